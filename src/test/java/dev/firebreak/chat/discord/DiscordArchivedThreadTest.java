package dev.firebreak.chat.discord;

import dev.firebreak.chat.ChatPlatform;
import dev.firebreak.chat.RecordingListener;
import dev.firebreak.kernel.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

import static dev.firebreak.chat.discord.FakeDiscord.INCIDENTS_CHANNEL_ID;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A message's details thread that Discord archived (a day without messages: a late restart, a
 * runbook step that waits hours for a person), through the real JDA client against the Discord
 * stand-in, which answers as Discord does: a post unarchives an archived thread, unless a moderator
 * locked it (400, code 50083).
 */
class DiscordArchivedThreadTest {

    FakeDiscord discord;
    DiscordAdapter adapter;
    RecordingListener listener;

    @BeforeEach
    void connect() {
        discord = new FakeDiscord().start();
        adapter = started();
    }

    @AfterEach
    void disconnect() {
        adapter.close();
        discord.close();
    }

    private DiscordAdapter started() {
        DiscordSettings settings = ((DiscordSettings.Ready) DiscordSettings.fromEnvironment(discord.environment())).settings();
        DiscordAdapter started = new DiscordAdapter(settings, DiscordAdapterTest.COMMANDS, Executors.newVirtualThreadPerTaskExecutor(),
                Duration.ofSeconds(5));
        listener = new RecordingListener();
        started.start(listener);
        return started;
    }

    /** A run message in #incidents with its first step's output in the message's thread; returns the message (and thread) id. */
    private String runWithAStep(String key) {
        ChatPlatform platform = adapter.platform();
        String run = platform.postPart(INCIDENTS_CHANNEL_ID, text("Runbook R-1 running"), new ChatPlatform.Part(0, key + ".0", null));
        platform.postPart(INCIDENTS_CHANNEL_ID, text("Step 1/2 done"), new ChatPlatform.Part(0, key + ".1", null, run));
        assertThat(texts(discord.messagesIn(run))).containsExactly("Step 1/2 done");
        return run;
    }

    @Test
    void after_a_late_restart_a_step_goes_into_the_archived_thread_which_the_post_unarchives() {
        String run = runWithAStep("fb1");
        adapter.close();
        discord.archiveThread(run, false, false);   // archived while Firebreak was down: JDA starts without it
        adapter = started();
        discord.clearCalls();

        adapter.platform().postPart(INCIDENTS_CHANNEL_ID, text("Step 2/2 done"), new ChatPlatform.Part(0, "fb2.0", null, run));

        assertThat(texts(discord.messagesIn(run))).containsExactly("Step 1/2 done", "Step 2/2 done");
        assertThat(texts(discord.messagesIn(INCIDENTS_CHANNEL_ID))).as("nothing fell back into the channel")
                .containsExactly("Runbook R-1 running");
        assertThat(((Map<?, ?>) discord.channel(run).get("thread_metadata")).get("archived")).isEqualTo(false);
        assertThat(discord.calls("GET", "channels/" + INCIDENTS_CHANNEL_ID + "/threads/archived/public")).hasSize(1);
        assertThat(discord.calls("PATCH", "channels/" + run)).as("the post unarchives it; no PATCH").isEmpty();

        discord.clearCalls();
        adapter.platform().postPart(INCIDENTS_CHANNEL_ID, text("Run done"), new ChatPlatform.Part(0, "fb3.0", null, run));
        assertThat(discord.calls("GET", ".*threads/archived.*")).as("known again once unarchived").isEmpty();
        assertThat(discord.calls("POST", ".*/threads")).isEmpty();
    }

    @Test
    void a_thread_archived_while_connected_is_found_again() {
        String run = runWithAStep("fb1");
        discord.archiveThread(run, false, true);   // Discord tells JDA, which forgets it
        // the gateway's events are handled in order: once a later one is in, JDA has handled the THREAD_UPDATE
        discord.reactionAdded(FakeDiscord.GUILD_ID, INCIDENTS_CHANNEL_ID, run, FakeDiscord.ALICE, "\u2705");
        dev.firebreak.testing.Eventually.until(() -> !listener.reactions.isEmpty(), "for the reaction after the THREAD_UPDATE");

        adapter.platform().postPart(INCIDENTS_CHANNEL_ID, text("Step 2/2 done"), new ChatPlatform.Part(0, "fb2.0", null, run));

        assertThat(discord.calls("GET", ".*threads/archived/public")).hasSize(1);
        assertThat(texts(discord.messagesIn(run))).containsExactly("Step 1/2 done", "Step 2/2 done");
        assertThat(texts(discord.messagesIn(INCIDENTS_CHANNEL_ID))).containsExactly("Runbook R-1 running");
    }

    @Test
    void a_thread_a_moderator_locked_is_left_locked_and_the_step_is_posted_in_the_channel() {
        String run = runWithAStep("fb1");
        adapter.close();
        discord.archiveThread(run, true, false);
        adapter = started();

        adapter.platform().postPart(INCIDENTS_CHANNEL_ID, text("Step 2/2 done"), new ChatPlatform.Part(0, "fb2.0", null, run));

        assertThat(texts(discord.messagesIn(run))).containsExactly("Step 1/2 done");
        assertThat(texts(discord.messagesIn(INCIDENTS_CHANNEL_ID))).containsExactly("Runbook R-1 running", "Step 2/2 done");
        assertThat(((Map<?, ?>) discord.channel(run).get("thread_metadata")).get("locked")).isEqualTo(true);
        assertThat(discord.calls("PATCH", "channels/" + run)).isEmpty();

        discord.clearCalls();
        adapter.platform().postPart(INCIDENTS_CHANNEL_ID, text("Step 3/3 done"), new ChatPlatform.Part(0, "fb3.0", null, run));
        assertThat(texts(discord.messagesIn(INCIDENTS_CHANNEL_ID))).endsWith("Step 3/3 done");
        assertThat(discord.calls("GET", ".*threads/archived.*")).as("the locked thread is known: not looked up again").isEmpty();
        assertThat(discord.calls("POST", ".*/threads")).as("nor started again").isEmpty();
        assertThat(discord.calls("POST", "channels/" + run + "/messages")).isEmpty();
        assertThat(discord.calls(".*", ".*")).as("one REST call: the post in the channel").hasSize(1);
    }

    @Test
    void when_discord_refuses_a_post_into_a_thread_locked_unbeknown_to_jda_the_step_is_posted_in_the_channel() {
        String run = runWithAStep("fb1");
        discord.archiveThread(run, true, false);   // the THREAD_UPDATE was missed: JDA still has the thread as active
        discord.clearCalls();

        adapter.platform().postPart(INCIDENTS_CHANNEL_ID, text("Step 2/2 done"), new ChatPlatform.Part(0, "fb2.0", null, run));

        assertThat(discord.calls("POST", "channels/" + run + "/messages")).as("Discord answered 400, code 50083").hasSize(1);
        assertThat(texts(discord.messagesIn(run))).containsExactly("Step 1/2 done");
        assertThat(texts(discord.messagesIn(INCIDENTS_CHANNEL_ID))).containsExactly("Runbook R-1 running", "Step 2/2 done");

        discord.clearCalls();
        adapter.platform().postPart(INCIDENTS_CHANNEL_ID, text("Step 3/3 done"), new ChatPlatform.Part(0, "fb3.0", null, run));
        assertThat(discord.calls("POST", "channels/" + run + "/messages")).as("the refusal is remembered: not tried again").isEmpty();
        assertThat(discord.calls(".*", ".*")).as("one REST call: the post in the channel").hasSize(1);
        assertThat(texts(discord.messagesIn(INCIDENTS_CHANNEL_ID))).endsWith("Step 3/3 done");
    }

    private static Message text(String text) {
        return Message.builder().paragraph(text).build();
    }

    private static List<String> texts(List<Map<String, Object>> messages) {
        return messages.stream().map(m -> String.valueOf(m.get("content")).strip()).toList();
    }
}
