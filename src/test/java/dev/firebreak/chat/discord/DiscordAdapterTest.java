package dev.firebreak.chat.discord;

import dev.firebreak.chat.SlashCommand;
import dev.firebreak.chat.CommandCatalog;
import dev.firebreak.testing.Eventually;
import dev.firebreak.chat.RecordingListener;
import com.fasterxml.jackson.databind.JsonNode;
import dev.firebreak.chat.ChatPlatform;
import dev.firebreak.chat.Inbound;
import dev.firebreak.chat.InboundListener;
import dev.firebreak.kernel.Message;
import dev.firebreak.chat.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static dev.firebreak.chat.discord.FakeDiscord.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The real JDA client against the fake Discord: commands, reactions, messages, reconnects. */
class DiscordAdapterTest {

    static final CommandCatalog COMMANDS = new CommandCatalog(List.of(new SlashCommand("incident", "Declare and run incidents", List.of(
            new SlashCommand.Subcommand("declare", "Declare an incident", List.of(
                    new SlashCommand.Option("severity", SlashCommand.OptionType.CHOICE, "P0 to P3", false, List.of("P0", "P1", "P2", "P3"), null),
                    SlashCommand.Option.required("title", SlashCommand.OptionType.TEXT, "what is wrong"))),
            new SlashCommand.Subcommand("hang", "A command whose work never finishes in time", List.of()))),
            new SlashCommand("diag", "Diagnostics", List.of(
                    new SlashCommand.Subcommand("block", "Chain head", List.of(new SlashCommand.Option("chain",
                            SlashCommand.OptionType.WORD, "chain", true, List.of(), null)), false, "chain"),
                    new SlashCommand.Subcommand("health", "Service health", List.of(SlashCommand.Option.required("service",
                            SlashCommand.OptionType.WORD, "service")))))));

    static FakeDiscord discord;
    static DiscordAdapter adapter;
    static RecordingListener listener = new RecordingListener();

    @BeforeAll
    static void connect() {
        discord = new FakeDiscord().start();
        DiscordSettings settings = ((DiscordSettings.Ready) DiscordSettings.fromEnvironment(discord.environment())).settings();
        adapter = new DiscordAdapter(settings, COMMANDS, Executors.newVirtualThreadPerTaskExecutor(), Duration.ofSeconds(5));
        listener.platform = adapter.platform();
        adapter.start(listener);
    }

    @AfterAll
    static void disconnect() {
        adapter.close();
        discord.close();
    }

    @BeforeEach
    void reset() {
        listener.commands.clear();
        listener.reactions.clear();
        listener.messages.clear();
        listener.reconciliations.clear();
        listener.pending.clear();
        listener.answer = command -> Reply.privately("ok: " + command.text());
    }

    @Test
    void registers_the_slash_commands_on_the_configured_guild_with_only_the_intents_it_needs() {
        FakeDiscord.Call put = discord.awaitCall("PUT", "applications/" + APPLICATION_ID + "/guilds/" + GUILD_ID + "/commands", Duration.ofSeconds(5));
        JsonNode incident = put.json().get(0);
        assertThat(incident.path("name").asText()).isEqualTo("incident");
        JsonNode declare = incident.path("options").get(0);
        assertThat(declare.path("name").asText()).isEqualTo("declare");
        assertThat(declare.path("options").get(0).path("choices")).hasSize(4);
        int intents = discord.identifyPayloads().getFirst().path("intents").asInt();
        // GUILDS (1, JDA always asks for it) | GUILD_MESSAGES (1<<9) | GUILD_MESSAGE_REACTIONS (1<<10) | MESSAGE_CONTENT (1<<15)
        assertThat(intents).isEqualTo(1 | (1 << 9) | (1 << 10) | (1 << 15));
    }

    @Test
    void a_command_is_deferred_at_once_and_answered_privately_after_the_work() {
        String id = discord.interaction(ALICE, INCIDENTS_CHANNEL_ID, "incident", "declare",
                ordered("title", "RPC latency high", "severity", "P1"));
        FakeDiscord.Call ack = discord.awaitCall("POST", "interactions/" + id + "/.*/callback", Duration.ofSeconds(3));
        assertThat(ack.json().path("type").asInt()).isEqualTo(5);
        assertThat(ack.json().path("data").path("flags").asInt() & 64).isEqualTo(64);
        FakeDiscord.Call answer = discord.awaitCall("PATCH", "webhooks/" + APPLICATION_ID + "/token-" + id + "/messages/@original", Duration.ofSeconds(5));
        assertThat(answer.json().path("content").asText()).isEqualTo("ok: /incident declare P1 RPC latency high");
        assertThat(listener.commands).containsExactly(
                new Inbound.Command("discord", ALICE, INCIDENTS_CHANNEL_ID, "/incident declare P1 RPC latency high"));
    }

    @Test
    void a_command_is_acknowledged_while_the_work_behind_it_hangs() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        listener.answer = command -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Reply.privately("finally");
        };
        String id = discord.interaction(ALICE, INCIDENTS_CHANNEL_ID, "incident", "hang", Map.of());
        // acknowledged while the work is still blocked on the latch: the ack does not wait for it
        discord.awaitCall("POST", "interactions/" + id + "/.*/callback", Duration.ofSeconds(10));
        // a second command is not held up by the first
        String second = discord.interaction(BOB, INCIDENTS_CHANNEL_ID, "incident", "hang", Map.of());
        discord.awaitCall("POST", "interactions/" + second + "/.*/callback", Duration.ofSeconds(3));
        release.countDown();
        FakeDiscord.Call answer = discord.awaitCall("PATCH", "webhooks/.*/token-" + id + "/messages/@original", Duration.ofSeconds(5));
        assertThat(answer.json().path("content").asText()).isEqualTo("finally");
    }

    @Test
    void a_public_answer_is_posted_in_the_channel_and_the_private_placeholder_removed() {
        listener.answer = command -> Reply.publicly("Incident INC-7 declared; commander <@" + BOB + ">");
        String id = discord.interaction(ALICE, INCIDENTS_CHANNEL_ID, "incident", "declare", ordered("severity", "P2", "title", "disk"));
        FakeDiscord.Call post = discord.awaitCall("POST", "channels/" + INCIDENTS_CHANNEL_ID + "/messages",
                c -> c.body().contains("INC-7"), Duration.ofSeconds(5));
        assertThat(post.json().path("content").asText()).contains("Incident INC-7 declared").contains("<@" + ALICE + "> ran /incident declare P2 disk");
        assertThat(post.json().path("allowed_mentions").path("parse").toString()).doesNotContain("everyone").doesNotContain("roles");
        // Bob is told he is commander; Alice, who ran the command, is named without a notification
        assertThat(post.json().path("allowed_mentions").path("users").toString()).contains(BOB).doesNotContain(ALICE);
        discord.awaitCall("DELETE", "webhooks/.*/token-" + id + "/messages/@original", Duration.ofSeconds(5));
    }

    @Test
    void reactions_from_guild_members_are_delivered_and_removals_too() {
        String message = discord.storeMessage(INCIDENTS_CHANNEL_ID, BOT_ID, "approve?");
        discord.reactionAdded(GUILD_ID, INCIDENTS_CHANNEL_ID, message, ALICE, "\u2705");
        discord.reactionRemoved(GUILD_ID, INCIDENTS_CHANNEL_ID, message, ALICE, "\u2705");
        Eventually.until(() -> listener.reactions.size() == 2, Duration.ofSeconds(5), "two reactions");
        assertThat(listener.reactions).containsExactlyInAnyOrder(
                new Inbound.Reaction("discord", ALICE, INCIDENTS_CHANNEL_ID, message, "white_check_mark", true),
                new Inbound.Reaction("discord", ALICE, INCIDENTS_CHANNEL_ID, message, "white_check_mark", false));
    }

    @Test
    void a_reaction_from_someone_outside_the_guild_or_from_the_bot_is_not_delivered() {
        String message = discord.storeMessage(INCIDENTS_CHANNEL_ID, BOT_ID, "approve?");
        discord.reactionAdded(OTHER_GUILD_ID, OTHER_GUILD_CHANNEL_ID, message, MALLORY, "\u2705");
        discord.reactionAdded(GUILD_ID, INCIDENTS_CHANNEL_ID, message, BOT_ID, "\u2705");
        discord.reactionAdded(GUILD_ID, INCIDENTS_CHANNEL_ID, message, BOB, "\u274C");
        Eventually.until(() -> !listener.reactions.isEmpty(), Duration.ofSeconds(5), "Bob's reaction");
        // reactions on one message reach the engine in gateway order, so the two before Bob's were seen and dropped
        assertThat(listener.reactions).containsExactly(
                new Inbound.Reaction("discord", BOB, INCIDENTS_CHANNEL_ID, message, "x", true));
    }

    @Test
    void messages_in_guild_channels_are_delivered_but_not_the_bots_own() {
        discord.messageCreated(ALERTS_CHANNEL_ID, BOT_ID, "my own post");
        String id = discord.messageCreated(ALERTS_CHANNEL_ID, BOB, "FIRING: L2HeadStalled");
        Eventually.until(() -> !listener.messages.isEmpty(), Duration.ofSeconds(5), "Bob's message");
        assertThat(listener.messages).containsExactly(
                new Inbound.ChannelMessage("discord", BOB, ALERTS_CHANNEL_ID, id, "FIRING: L2HeadStalled"));
    }

    @Test
    void alerts_posted_by_a_webhook_are_delivered_with_their_embed_text() {
        String id = discord.webhookMessageCreated(ALERTS_CHANNEL_ID, "930000000000000001", "Alertmanager",
                "[FIRING:1] L2HeadStalled", "op-node unsafe head has not advanced for 5m");
        Eventually.until(() -> !listener.messages.isEmpty(), Duration.ofSeconds(5), "the alert");
        assertThat(listener.messages).containsExactly(new Inbound.ChannelMessage("discord", "930000000000000001", ALERTS_CHANNEL_ID, id,
                "[FIRING:1] L2HeadStalled\nop-node unsafe head has not advanced for 5m"));
    }

    @Test
    void reactions_given_while_disconnected_are_counted_after_a_new_session() {
        String approval = discord.storeMessage(INCIDENTS_CHANNEL_ID, BOT_ID, "Approve pause of L1 bridge?");
        listener.pending.add(new RecordingListener.PendingMessage(INCIDENTS_CHANNEL_ID, approval));
        int identifiesBefore = discord.identifies();
        discord.acceptResume(false);
        discord.addReactionSilently(approval, "\u2705", BOT_ID);
        discord.addReactionSilently(approval, "\u2705", ALICE);
        discord.addReactionSilently(approval, "\u2705", BOB);
        discord.dropConnection();
        Eventually.until(() -> !listener.reconciliations.isEmpty(), Duration.ofSeconds(30), "reconcile after reconnect");
        assertThat(discord.identifies()).isGreaterThan(identifiesBefore);
        assertThat(listener.reconciliations.getFirst()).isEqualTo(new RecordingListener.Reconciliation("discord", INCIDENTS_CHANNEL_ID, approval,
                List.of(new ChatPlatform.ReactionSnapshot("white_check_mark", List.of(ALICE, BOB)))));
    }

    @Test
    void reactions_are_reconciled_after_a_resumed_session_too() {
        String approval = discord.storeMessage(INCIDENTS_CHANNEL_ID, BOT_ID, "Approve scale down?");
        listener.pending.add(new RecordingListener.PendingMessage(INCIDENTS_CHANNEL_ID, approval));
        discord.acceptResume(true);
        discord.addReactionSilently(approval, "\u274C", BOB);
        int resumesBefore = discord.resumes();
        discord.dropConnection();
        Eventually.until(() -> !listener.reconciliations.isEmpty(), Duration.ofSeconds(30), "reconcile after resume");
        assertThat(discord.resumes()).isGreaterThan(resumesBefore);
        assertThat(listener.reconciliations.getFirst().reactions())
                .containsExactly(new ChatPlatform.ReactionSnapshot("x", List.of(BOB)));
    }

    @Test
    void private_messages_during_a_command_go_as_ephemeral_follow_ups() {
        listener.answer = command -> {
            adapter.platform().postPrivately(command.channelId(), command.userId(), Message.text("only for you"));
            return Reply.privately("done");
        };
        String id = discord.interaction(ALICE, INCIDENTS_CHANNEL_ID, "incident", "hang", Map.of());
        FakeDiscord.Call followUp = discord.awaitCall("POST", "webhooks/" + APPLICATION_ID + "/token-" + id, Duration.ofSeconds(5));
        assertThat(followUp.json().path("content").asText()).isEqualTo("only for you");
        assertThat(followUp.json().path("flags").asInt() & 64).isEqualTo(64);
    }

    @Test
    void a_failing_command_gets_a_private_answer_without_internals_and_bad_input_gets_its_explanation() {
        listener.answer = command -> {
            if (command.text().contains("hang")) throw new IllegalStateException("db password=hunter2 refused");
            throw new dev.firebreak.kernel.InvalidInput("Unknown severity P9; use one of P0, P1, P2, P3.");
        };
        String broken = discord.interaction(ALICE, INCIDENTS_CHANNEL_ID, "incident", "hang", Map.of());
        String bad = discord.interaction(ALICE, INCIDENTS_CHANNEL_ID, "incident", "declare", ordered("severity", "P9", "title", "x"));
        String brokenAnswer = discord.awaitCall("PATCH", "webhooks/.*/token-" + broken + "/messages/@original", Duration.ofSeconds(5))
                .json().path("content").asText();
        assertThat(brokenAnswer).contains("could not run `/incident hang`").doesNotContain("hunter2").doesNotContain("Exception");
        assertThat(discord.awaitCall("PATCH", "webhooks/.*/token-" + bad + "/messages/@original", Duration.ofSeconds(5))
                .json().path("content").asText()).isEqualTo("Unknown severity P9; use one of P0, P1, P2, P3.");
    }

    @Test
    void a_long_private_answer_continues_in_ephemeral_follow_ups() {
        listener.answer = command -> Reply.privately(Message.text("help line\n".repeat(500)));
        String id = discord.interaction(ALICE, INCIDENTS_CHANNEL_ID, "incident", "hang", Map.of());
        FakeDiscord.Call first = discord.awaitCall("PATCH", "webhooks/.*/token-" + id + "/messages/@original", Duration.ofSeconds(5));
        FakeDiscord.Call more = discord.awaitCall("POST", "webhooks/" + APPLICATION_ID + "/token-" + id, Duration.ofSeconds(5));
        assertThat(first.json().path("content").asText().length()).isLessThanOrEqualTo(2000);
        assertThat(more.json().path("flags").asInt() & 64).isEqualTo(64);
        Eventually.until(() -> discord.calls("POST", "webhooks/" + APPLICATION_ID + "/token-" + id).size() == 2, Duration.ofSeconds(5), "all parts");
        int total = first.json().path("content").asText().length();
        for (FakeDiscord.Call call : discord.calls("POST", "webhooks/" + APPLICATION_ID + "/token-" + id)) {
            total += call.json().path("content").asText().length();
        }
        assertThat(total).isGreaterThanOrEqualTo("help line\n".repeat(500).strip().length() - 3);
    }

    @Test
    void a_command_from_another_server_is_refused_and_never_reaches_the_engine() {
        String id = discord.interaction(OTHER_GUILD_ID, MALLORY, OTHER_GUILD_CHANNEL_ID, "incident", "hang", Map.of());
        FakeDiscord.Call reply = discord.awaitCall("POST", "interactions/" + id + "/.*/callback", Duration.ofSeconds(3));
        assertThat(reply.json().path("type").asInt()).isEqualTo(4);
        assertThat(reply.json().path("data").path("content").asText()).contains("only on its own server");
        assertThat(listener.commands).isEmpty();
    }

    @Test
    void a_rejected_token_fails_start_once_with_a_clear_message() {
        try (FakeDiscord locked = new FakeDiscord().start()) {
            locked.fail("GET", "users/@me", 401, 0, "401: Unauthorized", 100);
            DiscordSettings settings = ((DiscordSettings.Ready) DiscordSettings.fromEnvironment(locked.environment())).settings();
            DiscordAdapter rejected = new DiscordAdapter(settings, COMMANDS, Executors.newVirtualThreadPerTaskExecutor(), Duration.ofSeconds(5));
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> rejected.start(new RecordingListener()))
                    .isInstanceOf(dev.firebreak.chat.ChatException.class)
                    .hasMessageContaining("DISCORD_BOT_TOKEN")
                    .hasMessageNotContaining(FakeDiscord.TOKEN)
                    .matches(e -> ((dev.firebreak.chat.ChatException) e).permanent(), "permanent");
            assertThat(locked.calls("GET", "users/@me")).hasSize(1);
            assertThat(locked.identifies()).isZero();
        }
    }

    @Test
    void the_platform_is_usable_before_start_and_approvals_are_reconciled_when_start_hands_over_the_engine() {
        try (FakeDiscord fresh = new FakeDiscord().start()) {
            DiscordSettings settings = ((DiscordSettings.Ready) DiscordSettings.fromEnvironment(fresh.environment())).settings();
            try (DiscordAdapter early = new DiscordAdapter(settings, COMMANDS, Executors.newVirtualThreadPerTaskExecutor(), Duration.ofSeconds(5))) {
                assertThat(early.platform().channelNamed("incidents").id()).isEqualTo(INCIDENTS_CHANNEL_ID);
                String approval = fresh.storeMessage(INCIDENTS_CHANNEL_ID, BOT_ID, "approve?");
                fresh.reactionAdded(GUILD_ID, INCIDENTS_CHANNEL_ID, approval, ALICE, "\u2705");
                String tooEarly = fresh.interaction(ALICE, INCIDENTS_CHANNEL_ID, "incident", "hang", Map.of());
                assertThat(fresh.awaitCall("POST", "interactions/" + tooEarly + "/.*/callback", Duration.ofSeconds(3)).body())
                        .contains("starting");
                RecordingListener engine = new RecordingListener();
                engine.pending.add(new RecordingListener.PendingMessage(INCIDENTS_CHANNEL_ID, approval));
                engine.platform = early.platform();
                early.start(engine);
                Eventually.until(() -> !engine.reconciliations.isEmpty(), Duration.ofSeconds(5), "reconcile on start");
                assertThat(engine.reconciliations.getFirst().reactions())
                        .containsExactly(new ChatPlatform.ReactionSnapshot("white_check_mark", List.of(ALICE)));
                assertThat(fresh.calls("PUT", ".*/commands")).hasSize(1);
            }
        }
    }

    @Test
    void once_it_stops_receiving_commands_are_answered_restarting_and_posting_still_works_until_close() {
        try (FakeDiscord fresh = new FakeDiscord().start()) {
            DiscordSettings settings = ((DiscordSettings.Ready) DiscordSettings.fromEnvironment(fresh.environment())).settings();
            RecordingListener engine = new RecordingListener();
            try (DiscordAdapter stopping = new DiscordAdapter(settings, COMMANDS, Executors.newVirtualThreadPerTaskExecutor(), Duration.ofSeconds(5))) {
                engine.platform = stopping.platform();
                stopping.start(engine);
                stopping.stopReceiving();
                String late = fresh.interaction(ALICE, INCIDENTS_CHANNEL_ID, "incident", "hang", Map.of());
                assertThat(fresh.awaitCall("POST", "interactions/" + late + "/.*/callback", Duration.ofSeconds(3)).body())
                        .contains("restarting");
                // what the engine delivers from its queue while it stops still goes out
                stopping.platform().post(INCIDENTS_CHANNEL_ID, Message.text("Firebreak is restarting; the incident goes on"));
                assertThat(fresh.messagesIn(INCIDENTS_CHANNEL_ID)).extracting(m -> String.valueOf(m.get("content")))
                        .contains("Firebreak is restarting; the incident goes on");
            }
            assertThat(engine.commands).isEmpty();
        }
    }

    @Test
    void a_command_running_when_it_stops_receiving_is_still_answered_before_it_disconnects() throws Exception {
        try (FakeDiscord fresh = new FakeDiscord().start()) {
            CountDownLatch release = new CountDownLatch(1);
            RecordingListener engine = new RecordingListener().answering(command -> {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Reply.privately("finished while stopping");
            });
            DiscordAdapter stopping = DiscordAdapter.fromEnvironment(fresh.environment(), COMMANDS).orElseThrow();
            try (stopping) {
                engine.platform = stopping.platform();
                stopping.start(engine);
                String id = fresh.interaction(ALICE, INCIDENTS_CHANNEL_ID, "incident", "hang", Map.of());
                Eventually.until(() -> !engine.commands.isEmpty(), Duration.ofSeconds(5), "the command to be running");
                Thread stop = Thread.ofVirtual().start(stopping::stopReceiving);
                Eventually.until(() -> stop.getState() == Thread.State.TIMED_WAITING || !stop.isAlive(), Duration.ofSeconds(5),
                        "stopReceiving to wait or return");
                assertThat(stop.isAlive()).as("stopReceiving waits for the command under way").isTrue();
                release.countDown();
                stop.join();
                assertThat(fresh.calls("PATCH", "webhooks/.*/token-" + id + "/messages/@original"))
                        .as("answered before stopReceiving returned").singleElement()
                        .satisfies(call -> assertThat(call.json().path("content").asText()).isEqualTo("finished while stopping"));
            }
        }
    }

    @Test
    void a_typed_command_line_arrives_at_the_engine_unchanged_through_discords_options() {
        DiscordDriver driver = new DiscordDriver(discord, COMMANDS);
        listener.answer = command -> Reply.privately("declared");
        String id = driver.run(BOB, INCIDENTS_CHANNEL_ID, "/incident declare P1 RPC latency \"high\" on l2");
        assertThat(driver.answer(id, INCIDENTS_CHANNEL_ID, Duration.ofSeconds(5))).isEqualTo("declared");
        assertThat(listener.commands).extracting(Inbound.Command::text).containsExactly("/incident declare P1 RPC latency \"high\" on l2");
    }

    @Test
    void a_subcommand_in_a_group_arrives_as_the_plain_command_line() {
        listener.answer = command -> Reply.privately("head");
        FakeDiscord.Call put = discord.awaitCall("PUT", "applications/" + APPLICATION_ID + "/guilds/" + GUILD_ID + "/commands", Duration.ofSeconds(5));
        JsonNode diag = put.json().get(1);
        assertThat(diag.path("options").findValuesAsText("name")).contains("chain", "block", "health");
        String id = discord.interaction(ALICE, INCIDENTS_CHANNEL_ID, "diag", "chain block", Map.of("chain", "devnet"));
        discord.awaitCall("PATCH", "webhooks/.*/token-" + id + "/messages/@original", c -> c.body().contains("head"), Duration.ofSeconds(5));
        assertThat(listener.commands).extracting(Inbound.Command::text).contains("/diag block devnet");
    }

    @Test
    void an_answer_after_discords_fifteen_minutes_goes_by_direct_message() {
        listener.answer = command -> Reply.privately("took a long time");
        long sixteenMinutesAgo = (System.currentTimeMillis() - Duration.ofMinutes(16).toMillis() - 1420070400000L) << 22;
        String id = discord.interaction(Long.toString(sixteenMinutesAgo), GUILD_ID, ALICE, INCIDENTS_CHANNEL_ID, "incident", "hang", Map.of());
        FakeDiscord.Call dm = discord.awaitCall("POST", "channels/920\\d+/messages", c -> c.body().contains("took a long time"), Duration.ofSeconds(5));
        assertThat(dm.body()).contains("Answer to /incident hang");
        assertThat(discord.calls("PATCH", "webhooks/.*/token-" + id + "/messages/@original")).isEmpty();
    }

    @Test
    void when_discord_refuses_the_acknowledgement_the_answer_goes_by_direct_message() {
        listener.answer = command -> Reply.privately("answer despite a lost interaction");
        String id = discord.newId();
        discord.fail("POST", "interactions/" + id + "/.*/callback", 404, 10062, "Unknown interaction", 1);
        discord.interaction(id, GUILD_ID, BOB, INCIDENTS_CHANNEL_ID, "incident", "hang", Map.of());
        FakeDiscord.Call dm = discord.awaitCall("POST", "channels/920\\d+/messages",
                c -> c.body().contains("answer despite a lost interaction"), Duration.ofSeconds(5));
        assertThat(dm.body()).contains("Answer to /incident hang");
        assertThat(discord.calls("POST", "interactions/" + id + "/.*/callback")).hasSize(1);
    }

    static Map<String, Object> ordered(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) map.put((String) pairs[i], pairs[i + 1]);
        return map;
    }
}
