package dev.firebreak.chat.discord;

import dev.firebreak.chat.RecordingListener;
import com.fasterxml.jackson.databind.JsonNode;
import dev.firebreak.chat.ChatException;
import dev.firebreak.chat.ChatPlatform;
import dev.firebreak.kernel.Message;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

import static dev.firebreak.chat.discord.FakeDiscord.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The outbound side through the real JDA client against the fake Discord REST API. */
class DiscordPlatformTest {

    static final long VIEW_CHANNEL = 1L << 10;

    static FakeDiscord discord;
    static DiscordAdapter adapter;
    static ChatPlatform platform;

    @BeforeAll
    static void connect() {
        discord = new FakeDiscord().start();
        DiscordSettings settings = ((DiscordSettings.Ready) DiscordSettings.fromEnvironment(discord.environment())).settings();
        adapter = new DiscordAdapter(settings, DiscordAdapterTest.COMMANDS, Executors.newVirtualThreadPerTaskExecutor(), Duration.ofSeconds(5));
        adapter.start(new RecordingListener());
        platform = adapter.platform();
    }

    @AfterAll
    static void disconnect() {
        adapter.close();
        discord.close();
    }

    @Test
    void finds_a_channel_by_name_and_says_clearly_when_there_is_none() {
        assertThat(platform.channelNamed("#Ops-Alerts")).isEqualTo(new ChatPlatform.Channel(ALERTS_CHANNEL_ID, "ops-alerts"));
        assertThatThrownBy(() -> platform.channelNamed("war-room"))
                .isInstanceOf(ChatException.class)
                .hasMessageContaining("no text channel #war-room")
                .matches(e -> ((ChatException) e).permanent());
    }

    @Test
    void a_channel_link_opens_the_channel_on_this_server() {
        assertThat(platform.channelLink(ALERTS_CHANNEL_ID)).contains("https://discord.com/channels/" + GUILD_ID + "/" + ALERTS_CHANNEL_ID);
    }

    @Test
    void a_restricted_channel_is_created_under_the_incidents_category_visible_only_to_the_bot_until_people_are_let_in() {
        ChatPlatform.Channel channel = platform.createChannel("inc-42-bridge-paused", true);
        assertThat(channel.name()).isEqualTo("inc-42-bridge-paused");
        List<FakeDiscord.Call> creates = discord.calls("POST", "guilds/" + GUILD_ID + "/channels");
        JsonNode category = creates.stream().map(FakeDiscord.Call::json).filter(j -> j.path("type").asInt() == 4).findFirst().orElseThrow();
        assertThat(category.path("name").asText()).isEqualTo("incidents");
        JsonNode created = creates.getLast().json();
        Map<String, Object> incidentsCategory = discord.channelNamed("incidents", 4);
        assertThat(incidentsCategory).isNotNull();
        assertThat(created.path("parent_id").asText()).isEqualTo(incidentsCategory.get("id"));
        List<String> allowedMembers = new ArrayList<>();
        boolean everyoneDenied = false;
        for (JsonNode overwrite : created.path("permission_overwrites")) {
            if (overwrite.path("id").asText().equals(GUILD_ID)) {
                everyoneDenied = (overwrite.path("deny").asLong() & VIEW_CHANNEL) != 0;
            } else if (overwrite.path("type").asInt() == 1 && (overwrite.path("allow").asLong() & VIEW_CHANNEL) != 0) {
                allowedMembers.add(overwrite.path("id").asText());
            }
        }
        assertThat(everyoneDenied).isTrue();
        assertThat(allowedMembers).containsExactly(BOT_ID);

        platform.createChannel("inc-43-open", false);
        List<FakeDiscord.Call> after = discord.calls("POST", "guilds/" + GUILD_ID + "/channels");
        assertThat(after.stream().filter(c -> c.json().path("type").asInt() == 4)).as("the category is reused").hasSize(1);
        assertThat(after.getLast().json().path("permission_overwrites")).isEmpty();
    }

    @Test
    void posts_an_embed_and_returns_the_message_id() {
        String id = platform.post(INCIDENTS_CHANNEL_ID, Message.builder()
                .heading("INC-7 declared: P1").field("Severity", "P1").paragraph("RPC latency *high*").build());
        assertThat(discord.message(id)).isNotNull();
        FakeDiscord.Call post = discord.awaitCall("POST", "channels/" + INCIDENTS_CHANNEL_ID + "/messages",
                c -> c.body().contains("INC-7 declared"), Duration.ofSeconds(1));
        JsonNode embeds = post.json().path("embeds");
        assertThat(embeds.get(0).path("title").asText()).isEqualTo("INC-7 declared: P1");
        assertThat(embeds.get(0).path("fields").get(0).path("value").asText()).isEqualTo("P1");
        assertThat(embeds.get(1).path("description").asText()).isEqualTo("RPC latency **high**");
    }

    @Test
    void long_output_is_split_into_several_messages_and_huge_verbatim_blocks_are_attached() {
        String paragraph = "word ".repeat(1000).strip();
        String log = "line of log output\n".repeat(400);
        int before = discord.messagesIn(ALERTS_CHANNEL_ID).size();
        platform.post(ALERTS_CHANNEL_ID, Message.builder().paragraph(paragraph).preformatted(log).build());
        List<java.util.Map<String, Object>> posted = discord.messagesIn(ALERTS_CHANNEL_ID).subList(before, discord.messagesIn(ALERTS_CHANNEL_ID).size());
        assertThat(posted).hasSizeGreaterThanOrEqualTo(3);
        StringBuilder all = new StringBuilder();
        for (var message : posted) {
            String content = (String) message.get("content");
            assertThat(content.length()).isLessThanOrEqualTo(2000);
            all.append(content).append(' ');
        }
        assertThat(all.toString().split("word", -1)).hasSize(1001);
        var withFile = posted.stream().filter(m -> !((List<?>) m.get("attachments")).isEmpty()).findFirst().orElseThrow();
        assertThat(withFile.get("attachments").toString()).contains("output-1.txt");
        assertThat((String) withFile.get("content")).contains("Full output attached as output-1.txt (400 lines");
    }

    @Test
    void a_403_on_adding_a_reaction_is_tried_once_and_reported_as_permanent() {
        String message = discord.storeMessage(INCIDENTS_CHANNEL_ID, BOT_ID, "approval");
        discord.fail("PUT", "channels/\\d+/messages/" + message + "/reactions/.*", 403, 50013, "Missing Permissions", 5);
        assertThatThrownBy(() -> platform.react(INCIDENTS_CHANNEL_ID, message, "white_check_mark"))
                .isInstanceOf(ChatException.class)
                .hasMessageContaining("add reaction white_check_mark")
                .hasMessageContaining("HTTP 403")
                .matches(e -> ((ChatException) e).permanent(), "permanent");
        assertThat(discord.calls("PUT", "channels/\\d+/messages/" + message + "/reactions/.*")).hasSize(1);
    }

    @Test
    void a_429_is_waited_out_and_the_reaction_added() {
        String message = discord.storeMessage(INCIDENTS_CHANNEL_ID, BOT_ID, "approval");
        discord.rateLimit("PUT", "channels/\\d+/messages/" + message + "/reactions/.*", 0.3, 1);
        platform.react(INCIDENTS_CHANNEL_ID, message, ":x:");
        assertThat(discord.calls("PUT", "channels/\\d+/messages/" + message + "/reactions/.*")).hasSize(2);
        assertThat(discord.reactionUsers(message, "\u274C")).containsExactly(BOT_ID);
    }

    @Test
    void reads_who_reacted_without_the_bot_itself() {
        String message = discord.storeMessage(INCIDENTS_CHANNEL_ID, BOT_ID, "approval");
        platform.react(INCIDENTS_CHANNEL_ID, message, "\u2705");
        discord.addReactionSilently(message, "\u2705", BOB);
        discord.addReactionSilently(message, "\u274C", ALICE);
        assertThat(platform.reactions(INCIDENTS_CHANNEL_ID, message)).containsExactlyInAnyOrder(
                new ChatPlatform.ReactionSnapshot("white_check_mark", List.of(BOB)),
                new ChatPlatform.ReactionSnapshot("x", List.of(ALICE)));
    }

    @Test
    void sets_the_topic_and_pins() {
        String message = discord.storeMessage(ALERTS_CHANNEL_ID, BOT_ID, "kickoff");
        platform.setTopic(ALERTS_CHANNEL_ID, "INC-9 | P2 | commander <@" + ALICE + ">");
        platform.pin(ALERTS_CHANNEL_ID, message);
        assertThat(discord.channel(ALERTS_CHANNEL_ID).get("topic")).isEqualTo("INC-9 | P2 | commander <@" + ALICE + ">");
        assertThat(discord.message(message).get("pinned")).isEqualTo(true);
    }

    @Test
    void a_private_message_outside_a_command_goes_as_a_direct_message_or_a_mention_when_dms_are_closed() {
        platform.postPrivately(INCIDENTS_CHANNEL_ID, ALICE, Message.text("your approval is needed"));
        FakeDiscord.Call open = discord.awaitCall("POST", "users/@me/channels", c -> c.body().contains(ALICE), Duration.ofSeconds(1));
        assertThat(open.json().path("recipient_id").asText()).isEqualTo(ALICE);
        discord.awaitCall("POST", "channels/920\\d+/messages", c -> c.body().contains("your approval is needed"), Duration.ofSeconds(1));

        discord.fail("POST", "channels/920\\d+/messages", 403, 50007, "Cannot send messages to this user", 1);
        platform.postPrivately(INCIDENTS_CHANNEL_ID, BOB, Message.text("you were paged"));
        FakeDiscord.Call mention = discord.awaitCall("POST", "channels/" + INCIDENTS_CHANNEL_ID + "/messages",
                c -> c.body().contains("you were paged"), Duration.ofSeconds(1));
        assertThat(mention.json().path("content").asText()).startsWith("<@" + BOB + ">");
    }

    @Test
    void posts_and_reacts_in_a_thread_but_refuses_a_topic_there() {
        String id = platform.post(THREAD_ID, Message.text("update in the war room"));
        assertThat(discord.message(id).get("channel_id")).isEqualTo(THREAD_ID);
        platform.react(THREAD_ID, id, "eyes");
        assertThat(discord.reactionUsers(id, "\uD83D\uDC40")).containsExactly(BOT_ID);
        assertThatThrownBy(() -> platform.setTopic(THREAD_ID, "x"))
                .isInstanceOf(ChatException.class).hasMessageContaining("has no topic");
    }

    @Test
    void ids_that_are_not_snowflakes_are_refused_with_a_clear_message() {
        assertThatThrownBy(() -> platform.pin("general", "1"))
                .isInstanceOf(ChatException.class)
                .hasMessageContaining("'general' is not a Discord channel id");
    }
}
