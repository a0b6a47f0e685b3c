package dev.firebreak.chat.slack;


import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firebreak.chat.ChatException;
import dev.firebreak.chat.ChatPlatform;
import dev.firebreak.kernel.Message;
import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.store.Database;
import dev.firebreak.store.JdbcDeliveryLog;
import dev.firebreak.store.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Web API side, through the real Slack SDK client pointed at the local fake Web API. */
class SlackPlatformTest {

    static final String BOT_TOKEN = "xoxb-7777-8888-PLATFORMBOTTOKEN";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;
    FakeSlackServer slack;
    Database store;
    ChatPlatform platform;

    @BeforeEach
    void start() {
        slack = FakeSlackServer.start();
        store = TestDatabases.sqliteIn(data);
        platform = SlackAdapter.fromEnvironment(Map.of("SLACK_BOT_TOKEN", BOT_TOKEN, "SLACK_APP_TOKEN", "xapp-1-x",
                "SLACK_API_URL", slack.apiUrl()), SlackPayloads.COMMANDS, Clock.systemUTC(), new JdbcDeliveryLog(store, Clock.systemUTC())).orElseThrow().platform();
    }

    @AfterEach
    void stop() {
        slack.close();
        store.close();
    }

    @Test
    void finds_a_channel_by_name_across_pages() {
        slack.pageSize(2);
        slack.addChannel("C01", "general");
        slack.addChannel("C02", "random");
        slack.addChannel("C03", "ops-alerts");

        assertThat(platform.channelNamed("#ops-alerts")).isEqualTo(new ChatPlatform.Channel("C03", "ops-alerts"));
        assertThat(slack.calls("conversations.list")).hasSize(2);
        assertThat(slack.calls("conversations.list").get(1).param("cursor")).isEqualTo("2");
        assertThat(slack.calls("conversations.list").getFirst().param("types")).isEqualTo("public_channel,private_channel");
        assertThat(slack.calls("conversations.list").getFirst().headers().get("authorization")).isEqualTo("Bearer " + BOT_TOKEN);
    }

    @Test
    void a_channel_link_redirects_into_the_app_and_asks_slack_nothing() {
        assertThat(platform.channelLink("C03")).contains("https://slack.com/app_redirect?channel=C03");
        assertThat(slack.calls("conversations.list")).isEmpty();
    }

    @Test
    void a_missing_channel_is_a_permanent_error_naming_it() {
        slack.addChannel("C01", "general");
        assertThatThrownBy(() -> platform.channelNamed("incidents"))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.permanent()).isTrue())
                .hasMessageContaining("#incidents not found").hasMessageContaining("/invite");
    }

    @Test
    void creates_a_private_channel_and_invites_the_members_but_not_the_bot() {
        ChatPlatform.Channel channel = platform.createChannel("INC 42 rpc latency", true);
        assertThat(slack.calls("conversations.invite")).as("people are let in after the channel exists").isEmpty();
        platform.invite(channel.id(), List.of("U1ALICE", "U2BOB", FakeSlackServer.BOT_USER_ID));

        assertThat(channel.name()).isEqualTo("inc-42-rpc-latency");
        assertThat(channel.id()).startsWith("G");
        FakeSlackServer.Call create = slack.calls("conversations.create").getFirst();
        assertThat(FakeSlackServer.truthy(create.param("is_private"))).isTrue();
        assertThat(slack.calls("conversations.invite").getFirst().param("users")).isEqualTo("U1ALICE,U2BOB");
        assertThat(platform.channelNamed("inc-42-rpc-latency")).isEqualTo(channel);
    }

    @Test
    void creating_a_public_channel_with_a_taken_name_is_a_permanent_error() {
        ChatPlatform.Channel first = platform.createChannel("inc-1", false);
        assertThat(first.id()).startsWith("C");
        assertThat(slack.calls("conversations.invite")).isEmpty();
        assertThatThrownBy(() -> platform.createChannel("inc-1", false))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.permanent()).isTrue())
                .hasMessageContaining("name_taken");
        assertThatThrownBy(() -> platform.createChannel("!!!", false)).isInstanceOf(InvalidInput.class);
    }

    @Test
    void posts_block_kit_and_returns_the_ts() throws Exception {
        String ts = platform.post("C0OPS", Message.builder().heading("INC-42 declared").field("Severity", "P1").build());

        assertThat(ts).startsWith("1700000000.");
        FakeSlackServer.Call post = slack.calls("chat.postMessage").getFirst();
        assertThat(post.param("channel")).isEqualTo("C0OPS");
        assertThat(post.param("text")).contains("INC-42 declared");
        assertThat(JSON.readTree(post.param("blocks")).get(0).path("type").asText()).isEqualTo("header");
        assertThat(JSON.readTree(post.param("blocks")).get(1).path("fields").get(0).path("text").asText())
                .isEqualTo("*Severity*\nP1");
    }

    @Test
    void long_output_is_truncated_with_the_full_text_in_the_thread() {
        StringBuilder logs = new StringBuilder();
        for (int i = 0; i < 400; i++) logs.append("line ").append(i).append(" op-node: derivation pipeline reset\n");

        String ts = platform.post("C0OPS", Message.builder().heading("Logs").preformatted(logs.toString()).build());

        List<FakeSlackServer.Call> posts = slack.calls("chat.postMessage");
        assertThat(posts.getFirst().param("blocks")).contains("output truncated").contains("the full text is in the thread");
        List<FakeSlackServer.Call> replies = posts.subList(1, posts.size());
        assertThat(replies).isNotEmpty().allSatisfy(r -> assertThat(r.param("thread_ts")).isEqualTo(ts));
        String threaded = String.join("", replies.stream().map(r -> r.param("text")).toList());
        assertThat(threaded).contains("line 0 op-node").contains("line 399 op-node");
    }

    @Test
    void private_messages_topics_pins_and_reactions_use_their_methods() {
        platform.postPrivately("C0OPS", "U1ALICE", Message.text("only you"));
        platform.setTopic("C0OPS", "P1 | RPC latency | IC @alice | " + "x".repeat(300));
        platform.pin("C0OPS", "1700000000.000001");
        platform.react("C0OPS", "1700000000.000001", ":white_check_mark:");

        assertThat(slack.calls("chat.postEphemeral").getFirst().params())
                .containsEntry("channel", "C0OPS").containsEntry("user", "U1ALICE").containsEntry("text", "only you");
        assertThat(slack.calls("conversations.setTopic").getFirst().param("topic")).hasSize(250).startsWith("P1 | RPC");
        assertThat(slack.calls("pins.add").getFirst().param("timestamp")).isEqualTo("1700000000.000001");
        assertThat(slack.calls("reactions.add").getFirst().param("name")).isEqualTo("white_check_mark");
    }

    @Test
    void a_topic_cannot_mention_the_channel_or_carry_a_link() {
        platform.setTopic("C0OPS", "INC-4 [P1] <!channel> <@U1ALICE> <https://evil|click>");

        assertThat(slack.calls("conversations.setTopic").getFirst().param("topic"))
                .isEqualTo("INC-4 [P1] &lt;!channel&gt; <@U1ALICE> &lt;https://evil|click&gt;");
    }

    @Test
    void reactions_leave_out_the_bot_and_fold_skin_tones() {
        slack.setReactions("C0OPS", "1700000000.000009", Map.of(
                "+1", List.of("U1ALICE", FakeSlackServer.BOT_USER_ID),
                "+1::skin-tone-4", List.of("U2BOB"),
                "x", List.of(FakeSlackServer.BOT_USER_ID)));

        assertThat(platform.reactions("C0OPS", "1700000000.000009")).singleElement().satisfies(snapshot -> {
            assertThat(snapshot.emoji()).isEqualTo("+1");
            assertThat(snapshot.userIds()).containsExactlyInAnyOrder("U1ALICE", "U2BOB");
        });
    }

    @Test
    void http_429_becomes_rate_limited_with_slacks_retry_after() {
        slack.failNext("chat.postMessage", FakeSlackServer.Failure.rateLimited(7));
        assertThatThrownBy(() -> platform.post("C0OPS", Message.text("hi")))
                .isInstanceOfSatisfying(ChatException.class, e -> {
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(7));
                    assertThat(e.permanent()).isFalse();
                });
        assertThat(platform.post("C0OPS", Message.text("hi again"))).isNotBlank();
    }

    @Test
    void a_ratelimited_error_body_is_rate_limited_too() {
        slack.failNext("reactions.add", FakeSlackServer.Failure.error("ratelimited"));
        assertThatThrownBy(() -> platform.react("C0OPS", "1.2", "x"))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.retryAfter()).isPresent());
    }

    @Test
    void errors_retrying_cannot_fix_are_permanent_and_never_show_the_token() {
        for (String code : List.of("invalid_auth", "not_in_channel", "channel_not_found")) {
            slack.failNext("chat.postMessage", FakeSlackServer.Failure.error(code));
            assertThatThrownBy(() -> platform.post("C0GONE", Message.text("hi")))
                    .isInstanceOfSatisfying(ChatException.class, e -> {
                        assertThat(e.permanent()).isTrue();
                        assertThat(e.retryAfter()).isEmpty();
                        assertThat(e.getMessage()).contains(code).contains("chat.postMessage").contains("C0GONE")
                                .doesNotContain(BOT_TOKEN);
                    });
        }
    }

    @Test
    void server_errors_are_transient() {
        slack.failNext("pins.add", FakeSlackServer.Failure.status(503));
        assertThatThrownBy(() -> platform.pin("C0OPS", "1.2"))
                .isInstanceOfSatisfying(ChatException.class, e -> {
                    assertThat(e.permanent()).isFalse();
                    assertThat(e.retryAfter()).isEmpty();
                });
        slack.failNext("pins.add", FakeSlackServer.Failure.error("already_pinned"));
        platform.pin("C0OPS", "1.2");
    }

    @Test
    void an_unreachable_slack_is_transient() {
        slack.close();
        assertThatThrownBy(() -> platform.post("C0OPS", Message.text("hi")))
                .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.permanent()).isFalse())
                .hasMessageNotContaining(BOT_TOKEN);
    }
}
