package dev.firebreak.contract;

import dev.firebreak.testing.Eventually;
import dev.firebreak.contract.ChatDriver.CreatedChannel;
import dev.firebreak.contract.ChatDriver.Posted;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What Firebreak does in chat, written once and run on every platform through a {@link ChatDriver}:
 * the console, Slack (Socket Mode and HTTP mode) and Discord, each with the real adapter, the real
 * engine on the repository's configuration and a SQLite store. Where a platform cannot do something
 * (see {@link Capabilities}) the test says so and checks what the platform does instead.
 */
abstract class ChatContract {

    private static final String APPROVE = "white_check_mark";

    @TempDir
    Path data;

    ContractEnvironment environment;
    ChatDriver chat;

    /** Starts Firebreak on the platform under test; the driver owns the platform (or its fake) and Firebreak. */
    abstract ChatDriver connect(ContractEnvironment environment);

    @BeforeEach
    void startFirebreak() {
        environment = ContractEnvironment.start(data);
        try {
            chat = connect(environment);
        } catch (RuntimeException | Error e) {
            environment.close();
            throw e;
        }
    }

    @AfterEach
    void nothing_sent_to_the_platform_or_stored_contains_a_secret() {
        try {
            String sent = chat.everythingSent();
            String stored = chat.everythingStored();
            assertThat(sent).isNotBlank();
            for (String secret : chat.secrets()) {
                assertThat(sent).as("everything sent to " + chat.platform()).doesNotContain(secret);
                assertThat(stored).as("everything stored").doesNotContain(secret);
            }
        } finally {
            try {
                chat.close();
            } finally {
                environment.close();
            }
        }
    }

    // ---- declaring

    @Test
    void declaring_an_incident_creates_its_dated_channel_posts_and_pins_the_kickoff_and_announces_it() {
        CreatedChannel channel = declare("alice", "P1 Anchoring lag");

        assertThat(channel.name()).isEqualTo("inc-" + today() + "-anchoring-lag");
        assertThat(channel.restricted()).isFalse();
        Posted kickoff = awaitPost(channel.id(), "INC-1 [P1] Anchoring lag");
        assertThat(kickoff.text()).contains("Declared by alice").contains("Commander: alice").contains("status update every");
        Posted announcement = awaitPost(incidents(), "INC-1 [P1] Anchoring lag declared by alice");
        assertThat(announcement.text()).contains("Join #" + channel.name());
        Eventually.assertThat(() -> assertThat(chat.topic(channel.id())).hasValueSatisfying(topic ->
                assertThat(topic).contains("INC-1 [P1] investigating").contains("Anchoring lag")));
        if (chat.capabilities().pinsMessages()) {
            Eventually.assertThat(() -> assertThat(chat.pinned(channel.id())).containsExactly(kickoff.id()));
        } else {
            assertThatThrownBy(() -> chat.pinned(channel.id())).as(chat.platform() + " has no pins")
                    .isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Test
    void a_security_incident_gets_a_private_channel_and_an_announcement_without_details() {
        CreatedChannel channel = declare("alice", "--security P0 Signer key leaked");

        assertThat(channel.restricted()).as("private channel").isTrue();
        assertThat(channel.members()).first().isEqualTo("alice");
        Eventually.assertThat(() -> assertThat(chat.createdChannels().getLast().members()).as("the declarer and the on-call person it calls")
                .containsExactlyInAnyOrderElementsOf(new java.util.LinkedHashSet<>(List.of("alice", onCallNow()))));
        assertThat(channel.name()).as("the channel name reveals nothing").matches("inc-" + today() + "-sec-[a-z0-9]{6}");
        Posted kickoff = awaitPost(channel.id(), "DO NOT DISCLOSE");
        assertThat(kickoff.text()).contains("INC-1 [P0] Signer key leaked").contains("private to the responders");
        Posted announcement = awaitPost(incidents(), "security incident declared by alice");
        assertThat(announcement.text()).doesNotContain("Signer key").doesNotContain(channel.name());
        Eventually.assertThat(() -> assertThat(chat.topic(channel.id())).hasValueSatisfying(topic ->
                assertThat(topic).contains("SECURITY: do not disclose")));
    }

    @Test
    void the_security_flag_counts_wherever_it_is_typed_and_an_unknown_option_starting_a_title_is_an_error() {
        CreatedChannel first = declare("alice", "P0 --security Attacker drained the bridge");
        assertThat(first.restricted()).isTrue();
        Posted kickoff = awaitPost(first.id(), "DO NOT DISCLOSE");
        assertThat(kickoff.text()).contains("INC-1 [P0] Attacker drained the bridge").doesNotContain("--security");

        CreatedChannel second = declare("alice", "P1 Signer key leaked --security");
        assertThat(second.restricted()).isTrue();
        assertThat(awaitPost(second.id(), "DO NOT DISCLOSE").text()).contains("INC-2 [P1] Signer key leaked").doesNotContain("--security");

        chat.command("alice", incidents(), "/incident declare P0 --securty Bridge exploit");
        awaitPrivate("alice", "The TITLE starts with --securty, which is not an option of /incident declare. Its options: --security, --new.");
        assertThat(chat.createdChannels()).hasSize(2);
        assertThat(String.join("\n", postsContaining(incidents(), "declared").stream().map(Posted::text).toList()))
                .doesNotContain("Attacker").doesNotContain("Signer").doesNotContain("--security");
    }

    @Test
    void a_security_incident_is_readable_only_in_its_own_channel() {
        CreatedChannel channel = declare("alice", "P0 --security Attacker 0xBAD drained 1200 ETH do not tweet");
        chat.command("alice", channel.id(), "/incident update Bridge paused, funds traced to 0xBAD");
        awaitPost(channel.id(), "funds traced to 0xBAD");

        chat.command("alice", incidents(), "/incident update INC-1 Attacker 0xBAD moved funds to a mixer");
        awaitPost(channel.id(), "Attacker 0xBAD moved funds to a mixer");
        assertThat(postsContaining(incidents(), "Update posted")).as("answered privately outside the channel").isEmpty();
        chat.command("mallory", incidents(), "/incident timeline INC-1");
        awaitPrivate("mallory", "INC-1 is a security incident: its timeline is shown only in its own channel, to the people in it.");
        chat.command("alice", incidents(), "/incident postmortem INC-1");
        awaitPrivate("alice", "INC-1 is a security incident: its post-mortem draft is shown only in its own channel");
        chat.command("alice", incidents(), "/incident post INC-1 incident-report");
        awaitPrivate("alice", "INC-1 is a security incident: its communication draft is shown only in its own channel");
        chat.command("mallory", incidents(), "/incident list");
        awaitPrivate("mallory", "Open incidents");
        assertThat(chat.privateTo("mallory").getLast()).contains("INC-1").contains("a security incident").contains("(private)")
                .doesNotContain("0xBAD").doesNotContain(channel.name());
        chat.command("mallory", incidents(), "/incident handoff");
        assertThat(awaitPost(incidents(), "On-call handoff").text()).contains("INC-1 [P0] a security incident").doesNotContain("0xBAD");

        chat.command("alice", channel.id(), "/incident timeline");
        assertThat(awaitPost(channel.id(), "Timeline of INC-1 [P0]").text()).contains("Attacker 0xBAD drained 1200 ETH");
        for (String outside : List.of(incidents(), chat.channelNamed("ops-alerts"))) {
            assertThat(String.join("\n", chat.postedIn(outside).stream().map(Posted::text).toList()))
                    .doesNotContain("0xBAD").doesNotContain("drained").doesNotContain(channel.name());
        }
        for (String person : List.of("mallory", "alice")) {
            assertThat(String.join("\n", chat.privateTo(person))).doesNotContain("0xBAD");
        }
    }

    @Test
    void people_given_a_role_in_a_security_incident_are_let_into_its_channel_and_hold_that_role_there() {
        CreatedChannel channel = declare("alice", "--security P0 Signer key leaked");
        assertThat(channel.members()).first().isEqualTo("alice");

        chat.command("alice", channel.id(), "/incident assign commander bob");
        awaitPost(channel.id(), "commander handed over from alice to bob");
        chat.command("alice", channel.id(), "/incident assign scribe carol");
        awaitPost(channel.id(), "carol is scribe");
        Eventually.assertThat(() -> assertThat(chat.createdChannels().getLast().members()).containsExactlyInAnyOrder("alice", "bob", "carol"));

        chat.command("carol", channel.id(), "/incident resolve Key rotated");
        awaitPrivate("carol", "/incident resolve needs the role commander");
        chat.command("bob", channel.id(), "/incident resolve Key rotated");
        awaitPost(channel.id(), "Root cause: Key rotated");
        Eventually.assertThat(() -> assertThat(chat.topic(channel.id())).hasValueSatisfying(topic -> assertThat(topic).contains("resolved")));
    }

    @Test
    void the_configured_security_responders_are_let_into_every_security_channel() {
        chat.stop();
        environment.withSecurityResponders("approver");
        chat.start();

        CreatedChannel security = declare("alice", "--security P0 Signer key leaked");
        assertThat(security.members()).containsExactlyInAnyOrder("alice", "bob", "carol");
        CreatedChannel ordinary = declare("alice", "P2 Disk 85%");
        assertThat(ordinary.restricted()).isFalse();
    }

    // ---- status updates

    @Test
    void a_status_update_is_posted_in_both_channels_and_the_topic_follows_the_status() {
        CreatedChannel channel = declare("alice", "P1 RPC latency high");

        chat.command("bob", channel.id(), "/incident update Failover to the backup RPC provider done, latency back to 120 ms");
        for (String where : List.of(channel.id(), incidents())) {
            Posted update = awaitPost(where, "INC-1 update (P1, investigating) from bob");
            assertThat(update.text()).contains("Failover to the backup RPC provider done, latency back to 120 ms")
                    .contains("Next update due by");
        }

        chat.command("bob", channel.id(), "/incident status monitoring");
        awaitPost(channel.id(), "INC-1 status is now monitoring (set by bob)");
        awaitPost(incidents(), "INC-1 status is now monitoring (set by bob)");
        Eventually.assertThat(() -> assertThat(chat.topic(channel.id())).hasValueSatisfying(topic ->
                assertThat(topic).contains("INC-1 [P1] monitoring")));
    }

    // ---- approvals

    @Test
    void a_gated_action_runs_once_after_two_distinct_approvers_other_than_the_requester() {
        CreatedChannel channel = declare("alice", "P1 Anchoring lag");

        chat.command("alice", channel.id(), "/action anchor-retry batch-42");
        Posted request = awaitPost(channel.id(), "Approval needed A-1");
        assertThat(request.text()).contains("Requested by: alice").contains("Can approve: bob, carol").contains("action hash");

        chat.react("mallory", channel.id(), request.id(), APPROVE);
        awaitPrivate("mallory", "Your reaction on A-1 was not counted: approving needs role approver");
        chat.react("alice", channel.id(), request.id(), APPROVE);
        awaitPrivate("alice", "You requested A-1, so your reaction does not count");

        chat.react("bob", channel.id(), request.id(), APPROVE);
        awaitPost(channel.id(), "bob approved A-1 (1/2)");
        chat.unreact("bob", channel.id(), request.id(), APPROVE);
        awaitPost(channel.id(), "bob withdrew their approval of A-1 (0/2)");
        chat.react("bob", channel.id(), request.id(), APPROVE);
        Eventually.assertThat(() -> assertThat(postsContaining(channel.id(), "bob approved A-1 (1/2)")).hasSize(2));
        assertThat(chat.anchorRequests()).as("nothing runs before the second approval").isEmpty();

        chat.react("carol", channel.id(), request.id(), APPROVE);
        awaitPost(channel.id(), "A-1 approved by bob, carol");
        awaitPost(channel.id(), "A-1 done");
        assertThat(chat.anchorRequests()).containsExactly("{\"batch_id\":\"batch-42\"}");

        chat.unreact("bob", channel.id(), request.id(), APPROVE);
        chat.react("bob", channel.id(), request.id(), APPROVE);
        awaitPrivate("bob", "A-1 is already succeeded; your reaction was not counted");
        assertThat(chat.anchorRequests()).as("it ran exactly once").hasSize(1);
        assertThat(postsContaining(channel.id(), "approved by")).hasSize(1);
        assertThat(postsContaining(channel.id(), "mallory")).isEmpty();
    }

    @Test
    void a_restart_between_the_two_approvals_keeps_the_request_and_the_first_vote() {
        CreatedChannel channel = declare("alice", "P0 L2 blocks stopped");
        chat.command("alice", channel.id(), "/action anchor-retry batch-7");
        Posted request = awaitPost(channel.id(), "Approval needed A-1");
        chat.react("bob", channel.id(), request.id(), APPROVE);
        awaitPost(channel.id(), "bob approved A-1 (1/2)");

        chat.stop();
        if (chat.capabilities().keepsReactionsWhileDown()) {
            // carol approves while Firebreak is away; it reads the reactions again when it reconnects
            chat.react("carol", channel.id(), request.id(), APPROVE);
            chat.start();
        } else {
            // a terminal takes input only while Firebreak runs, so carol approves after the restart
            assertThatThrownBy(() -> chat.react("carol", channel.id(), request.id(), APPROVE))
                    .as(chat.platform() + " cannot take reactions while Firebreak is stopped")
                    .isInstanceOf(IllegalStateException.class);
            chat.start();
            chat.react("carol", channel.id(), request.id(), APPROVE);
        }

        awaitPost(channel.id(), "A-1 approved by bob, carol");
        awaitPost(channel.id(), "A-1 done");
        assertThat(chat.anchorRequests()).containsExactly("{\"batch_id\":\"batch-7\"}");

        chat.command("alice", channel.id(), "/incident timeline");
        Posted timeline = awaitPost(channel.id(), "Timeline of INC-1 [P0] L2 blocks stopped");
        assertThat(timeline.text()).contains("bob approved A-1 (1/2)").contains("A-1 anchor-retry succeeded");
        assertThat(chat.anchorRequests()).as("it ran exactly once across the restart").hasSize(1);
    }

    @Test
    void a_vote_withdrawn_while_firebreak_was_away_does_not_count_when_another_arrives() {
        CreatedChannel channel = declare("alice", "P1 Anchoring lag");
        chat.command("alice", channel.id(), "/action anchor-retry batch-8");
        Posted request = awaitPost(channel.id(), "Approval needed A-1");
        chat.react("bob", channel.id(), request.id(), APPROVE);
        awaitPost(channel.id(), "bob approved A-1 (1/2)");

        chat.stop();
        if (!chat.capabilities().keepsReactionsWhileDown()) {
            assertThatThrownBy(() -> chat.unreact("bob", channel.id(), request.id(), APPROVE))
                    .as(chat.platform() + " cannot take reactions while Firebreak is stopped")
                    .isInstanceOf(IllegalStateException.class);
            return;
        }
        // in the same outage bob withdraws and carol approves; after the reconnect only carol's vote stands
        chat.unreact("bob", channel.id(), request.id(), APPROVE);
        chat.react("carol", channel.id(), request.id(), APPROVE);
        chat.start();

        awaitPost(channel.id(), "While Firebreak was away: bob withdrew their approval, carol approved on A-1 (1/2)");
        assertThat(postsContaining(channel.id(), "approved by")).isEmpty();
        assertThat(chat.anchorRequests()).isEmpty();

        chat.react("bob", channel.id(), request.id(), APPROVE);
        awaitPost(channel.id(), "A-1 approved by carol, bob");
        awaitPost(channel.id(), "A-1 done");
        assertThat(chat.anchorRequests()).hasSize(1);
    }

    @Test
    void a_vote_no_longer_counts_once_its_voter_lost_the_approver_role() {
        CreatedChannel channel = declare("alice", "P1 Anchoring lag");
        chat.command("alice", channel.id(), "/action anchor-retry batch-9");
        Posted request = awaitPost(channel.id(), "Approval needed A-1");
        chat.react("bob", channel.id(), request.id(), APPROVE);
        awaitPost(channel.id(), "bob approved A-1 (1/2)");

        chat.stop();
        environment.withoutRole("bob", "approver");
        chat.start();
        chat.react("carol", channel.id(), request.id(), APPROVE);

        // (a platform that keeps reactions may show carol's to the catch-up after the restart first)
        assertThat(awaitPost(channel.id(), "carol approved").text()).contains("(1/2)");
        chat.command("carol", channel.id(), "/action pending");
        awaitPrivate("carol", "Waiting for approval");
        assertThat(chat.privateTo("carol")).filteredOn(text -> text.contains("Waiting for approval")).singleElement()
                .asString().contains("1/2 (carol)").doesNotContain("bob");
        assertThat(postsContaining(channel.id(), "approved by")).isEmpty();
        assertThat(chat.anchorRequests()).as("bob's earlier vote did not complete the approval").isEmpty();
    }

    @Test
    void a_reaction_naming_the_approval_message_in_another_channel_is_no_vote() {
        CreatedChannel channel = declare("alice", "P1 Anchoring lag");
        chat.command("alice", channel.id(), "/action anchor-retry batch-10");
        Posted request = awaitPost(channel.id(), "Approval needed A-1");
        if (!chat.capabilities().reactionsNameTheirChannel()) {
            // the terminal finds a message's channel from its ref: a reaction is always on the message itself
            chat.react("bob", incidents(), request.id(), APPROVE);
            awaitPost(channel.id(), "bob approved A-1 (1/2)");
            return;
        }
        chat.react("bob", incidents(), request.id(), APPROVE);
        chat.react("carol", incidents(), request.id(), APPROVE);
        chat.react("bob", channel.id(), request.id(), APPROVE);

        awaitPost(channel.id(), "bob approved A-1 (1/2)");
        assertThat(postsContaining(channel.id(), "carol approved")).isEmpty();
        assertThat(chat.anchorRequests()).isEmpty();
    }

    @Test
    void voting_twice_posts_nothing_new_and_reactions_that_change_nothing_are_answered_privately() {
        CreatedChannel channel = declare("alice", "P1 Anchoring lag");
        chat.command("alice", channel.id(), "/action anchor-retry batch-11");
        Posted request = awaitPost(channel.id(), "Approval needed A-1");

        chat.react("bob", channel.id(), request.id(), APPROVE);
        awaitPost(channel.id(), "bob approved A-1 (1/2)");
        chat.react("bob", channel.id(), request.id(), APPROVE);
        awaitPrivate("bob", "You already approved A-1; each approver counts once (1/2). Nothing changed.");
        chat.react("carol", channel.id(), request.id(), "+1");
        awaitPrivate("carol", "on A-1 is not a vote. React with ");
        chat.react("carol", channel.id(), request.id(), "x");
        awaitPost(channel.id(), "A-1 rejected by carol. Nothing was run.");
        chat.react("carol", channel.id(), request.id(), APPROVE);
        awaitPrivate("carol", "A-1 is already rejected; your reaction was not counted.");

        if (chat.platform().equals("console")) {
            // a terminal's message refs are typed by hand: one that does not exist is answered too
            chat.react("bob", channel.id(), "m999", APPROVE);
            awaitPrivate("bob", "There is no message m999 yet");
        }

        assertThat(postsContaining(channel.id(), "bob approved A-1")).hasSize(1);
        assertThat(postsContaining(channel.id(), "A-1 rejected")).hasSize(1);
        assertThat(chat.anchorRequests()).isEmpty();
    }

    // ---- the lifecycle of a request

    @Test
    void resolving_an_incident_cancels_its_pending_approvals_and_says_so() {
        CreatedChannel channel = declare("alice", "P1 Anchoring lag");
        chat.command("alice", channel.id(), "/action anchor-retry batch-12");
        Posted request = awaitPost(channel.id(), "Approval needed A-1");
        chat.react("bob", channel.id(), request.id(), APPROVE);
        awaitPost(channel.id(), "bob approved A-1 (1/2)");

        chat.command("alice", channel.id(), "/incident resolve False alarm");
        awaitPost(channel.id(), "A-1 (anchor-retry) cancelled because INC-1 was resolved by alice. Nothing was run");
        awaitPost(channel.id(), "Resolving INC-1 cancelled the approval requests still waiting: A-1 (anchor-retry)");
        chat.react("carol", channel.id(), request.id(), APPROVE);
        awaitPrivate("carol", "A-1 is already cancelled; your reaction was not counted.");

        assertThat(postsContaining(channel.id(), "approved by")).isEmpty();
        assertThat(chat.anchorRequests()).isEmpty();
        assertThat(chat.everythingStored()).contains("A-1 cancelled because INC-1 was resolved by alice");
    }

    @Test
    void the_pending_list_shows_what_waits_and_who_can_approve_and_the_requester_can_cancel() {
        CreatedChannel channel = declare("alice", "P1 Anchoring lag");
        chat.command("alice", channel.id(), "/action anchor-retry batch-14");
        Posted request = awaitPost(channel.id(), "Approval needed A-1");
        chat.react("bob", channel.id(), request.id(), APPROVE);
        awaitPost(channel.id(), "bob approved A-1 (1/2)");

        chat.command("mallory", incidents(), "/action pending");
        awaitPrivate("mallory", "Waiting for approval");
        assertThat(chat.privateTo("mallory").getLast()).contains("A-1").contains("anchor-retry").contains("alice")
                .contains("1/2 (bob)").contains("carol");

        chat.command("alice", channel.id(), "/action anchor-retry batch-14");
        awaitPrivate("alice", "This exact action is already waiting for approval as A-1 (requested by alice");
        assertThat(postsContaining(channel.id(), "Approval needed A-2")).isEmpty();

        chat.command("mallory", channel.id(), "/action cancel A-1");
        awaitPrivate("mallory", "Only alice (who requested A-1), the commander of INC-1 or someone with the role commander can cancel it.");
        chat.command("alice", channel.id(), "/action cancel A-1");
        awaitPost(channel.id(), "A-1 (anchor-retry) cancelled by alice. Nothing was run; it can no longer be approved.");
        chat.react("carol", channel.id(), request.id(), APPROVE);
        awaitPrivate("carol", "A-1 is already cancelled; your reaction was not counted.");
        assertThat(chat.anchorRequests()).isEmpty();

        chat.command("alice", channel.id(), "/incident timeline");
        Posted timeline = awaitPost(channel.id(), "Timeline of INC-1 [P1]");
        assertThat(timeline.text()).contains("A-1 cancelled by alice");
        assertThat(chat.everythingStored()).contains("A-1 cancelled by alice");

        chat.command("alice", channel.id(), "/action anchor-retry batch-14");
        awaitPost(channel.id(), "Approval needed A-2");
    }

    @Test
    void a_message_pinned_with_a_reaction_goes_on_the_incident_timeline() {
        CreatedChannel channel = declare("alice", "P1 Sequencer stalled");
        String said = chat.say("bob", channel.id(), "Sequencer restarted at 03:12, blocks flowing again");
        chat.react("carol", channel.id(), said, "pushpin");
        awaitPost(channel.id(), "Added to the timeline of INC-1");

        chat.command("alice", channel.id(), "/incident timeline");
        Posted timeline = awaitPost(channel.id(), "Timeline of INC-1 [P1] Sequencer stalled");
        assertThat(timeline.text()).contains("Pinned: Sequencer restarted at 03:12, blocks flowing again");
    }

    // ---- long output

    @Test
    void long_diagnostic_output_goes_out_as_one_post_a_page_at_a_time_and_the_footer_names_the_next_page() {
        int deadLetters = environment.addDeadLetters(45);
        chat.command("alice", incidents(), "/diag dead-letters sequencer");
        Posted first = awaitPost(incidents(), "More: /diag dead-letters sequencer --page 2");
        java.util.regex.Matcher footer = java.util.regex.Pattern.compile("Page 1 of (\\d+) \\(lines 1-(\\d+) of "
                + deadLetters + "\\)\\. More: /diag dead-letters sequencer --page 2").matcher(first.text());
        assertThat(footer.find()).as("the first page names the next one: " + first.text()).isTrue();
        int perPage = Integer.parseInt(footer.group(2));
        assertThat(perPage).isGreaterThan(dev.firebreak.demo.sql.DemoSequencerDatabase.DEAD_LETTERS)
                .isLessThan(deadLetters);
        assertThat(postsContaining(incidents(), "replay-failure-")).as("one post, not one per chunk").containsExactly(first);
        assertThat(chat.threadOf(incidents(), first.id())).as("nothing in its thread").isEmpty();
        assertThat(first.text()).contains(ContractEnvironment.deadLetter(perPage))
                .doesNotContain(ContractEnvironment.deadLetter(perPage + 1));

        chat.command("alice", incidents(), "/diag dead-letters sequencer --page 2");
        Posted second = awaitPost(incidents(), "Page 2 of " + footer.group(1));
        assertThat(second.text()).contains("(lines " + (perPage + 1) + "-")
                .contains(ContractEnvironment.deadLetter(perPage + 1))
                .doesNotContain(ContractEnvironment.deadLetter(perPage));
        assertThat(postsContaining(incidents(), "replay-failure-")).containsExactly(first, second);
        assertThat(chat.threadOf(incidents(), second.id())).isEmpty();

        int posted = chat.postedIn(incidents()).size();
        chat.command("alice", incidents(), "/diag dead-letters sequencer --page 99");
        awaitPrivate("alice", "There are " + footer.group(1) + " pages of " + deadLetters
                + " lines; ask for one of them, e.g. /diag dead-letters sequencer --page " + footer.group(1) + ".");
        assertThat(chat.postedIn(incidents())).as("a page past the end posts nothing").hasSize(posted);
    }

    @Test
    void a_long_timeline_goes_out_as_one_post_a_page_at_a_time_and_a_diagnostic_past_its_last_page_is_still_on_it() {
        CreatedChannel channel = declare("alice", "P2 Bridge deposits delayed");
        awaitPost(channel.id(), "First snapshot of INC-1");
        String detail = " the relayer backlog keeps growing, failing over to the second relayer and checking the queue depth".repeat(4);
        int updates = 24;
        for (int i = 1; i <= updates; i++) chat.command("alice", channel.id(), "/incident update Update " + i + ":" + detail);
        awaitPost(channel.id(), "Update " + updates + ":");
        // a page of a diagnostic that is not there is answered, and the run is on the timeline like any other
        chat.command("alice", channel.id(), "/diag dead-letters sequencer --page 99");
        awaitPrivate("alice", "There is 1 page of " + dev.firebreak.demo.sql.DemoSequencerDatabase.DEAD_LETTERS
                + " lines; ask for one of them, e.g. /diag dead-letters sequencer --page 1.");

        chat.command("alice", channel.id(), "/incident timeline");
        Posted first = awaitPost(channel.id(), "Timeline of INC-1 [P2]");
        java.util.regex.Matcher footer = java.util.regex.Pattern.compile(
                "Page 1 of (\\d+) \\(events 1-(\\d+) of (\\d+)\\)\\. More: /incident timeline 2").matcher(first.text());
        assertThat(footer.find()).as("the first page names the next one: " + first.text()).isTrue();
        int pages = Integer.parseInt(footer.group(1));
        int perPage = Integer.parseInt(footer.group(2));
        int events = Integer.parseInt(footer.group(3));
        assertThat(events).isGreaterThan(updates);
        assertThat(pages).isEqualTo((events + perPage - 1) / perPage);
        for (int page = 2; page <= pages; page++) chat.command("alice", channel.id(), "/incident timeline " + page);
        Eventually.assertThat(() -> assertThat(postsContaining(channel.id(), "Timeline of INC-1 [P2]")).hasSize(pages));
        List<Posted> shown = postsContaining(channel.id(), "Timeline of INC-1 [P2]");
        String all = String.join("\n", shown.stream().map(Posted::text).toList());
        for (int page = 1; page <= pages; page++) {
            Posted posted = shown.get(page - 1);
            assertThat(posted.text()).as("page " + page + " is one post with its footer").contains("Page " + page + " of " + pages
                    + " (events " + ((page - 1) * perPage + 1) + "-" + Math.min(events, page * perPage) + " of " + events + ").");
            assertThat(chat.threadOf(channel.id(), posted.id())).as("nothing of page " + page + " in its thread").isEmpty();
        }
        for (int i = 1; i <= updates; i++) {
            assertThat(all.split("Update " + i + ": the relayer", -1)).as("update " + i + " on exactly one page").hasSize(2);
        }
        assertThat(shown.getLast().text()).contains("/diag dead-letters: ").doesNotContain("More:");
    }

    // ---- mistakes

    @Test
    void usage_and_permission_errors_are_answered_privately_and_change_nothing() {
        Map<String, List<Posted>> before = everythingPosted();
        chat.command("alice", incidents(), "/incident declare P9 Something odd");
        awaitPrivate("alice", "Unknown severity \"P9\"; use one of P0, P1, P2, P3.");
        chat.command("mallory", incidents(), "/incident declare P1 Not allowed");
        awaitPrivate("mallory", "/incident declare needs the role responder");
        chat.command("alice", incidents(), "/diag health nosuchservice");
        awaitPrivate("alice", "Unknown service \"nosuchservice\"; known services: ");
        if (chat.capabilities().freeFormCommandLines()) {
            chat.command("alice", incidents(), "/incident frobnicate");
            awaitPrivate("alice", "Unknown subcommand /incident frobnicate.");
        } else {
            assertThatThrownBy(() -> chat.command("alice", incidents(), "/incident frobnicate"))
                    .as(chat.platform() + " only sends the subcommands Firebreak registered")
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(chat.createdChannels()).isEmpty();
        assertThat(everythingPosted()).isEqualTo(before);

        CreatedChannel channel = declare("alice", "P2 Bridge deposits delayed");
        String topic = awaitTopic(channel.id());
        awaitPost(channel.id(), "First snapshot of INC-1");
        before = everythingPosted();
        chat.command("bob", channel.id(), "/incident resolve It fixed itself");
        awaitPrivate("bob", "/incident resolve needs the role commander; you have the roles responder, approver");
        chat.command("mallory", channel.id(), "/action anchor-retry batch-1");
        awaitPrivate("mallory", "/action anchor-retry needs the role responder; you have no roles");
        chat.command("alice", channel.id(), "/incident status frobbed");
        awaitPrivate("alice", "Unknown status \"frobbed\"");
        chat.command("alice", incidents(), "/incident update Still looking");
        awaitPrivate("alice", "Run this in an incident channel");

        assertThat(everythingPosted()).isEqualTo(before);
        assertThat(chat.createdChannels()).hasSize(1);
        assertThat(chat.topic(channel.id())).hasValue(topic);
        assertThat(chat.anchorRequests()).isEmpty();
        assertThat(String.join("\n", everythingPosted().values().stream().flatMap(List::stream).map(Posted::text).toList()))
                .doesNotContain("needs the role").doesNotContain("Unknown").doesNotContain("Exception");
    }

    // ---- resolving

    @Test
    void resolving_posts_the_resolution_notice_and_the_post_mortem_draft() {
        CreatedChannel channel = declare("alice", "P2 Bridge deposits delayed");
        chat.command("alice", channel.id(), "/incident resolve Relayer ran out of gas");

        Posted notice = awaitPost(channel.id(), "[RESOLVED] The issue affecting Bridge deposits delayed has been resolved.");
        assertThat(notice.text()).contains("Root cause: Relayer ran out of gas");
        awaitPost(incidents(), "[RESOLVED] The issue affecting Bridge deposits delayed has been resolved.");
        Posted head = awaitPost(incidents(), "Audit log head after INC-1 was resolved: entry ");
        assertThat(head.text()).containsPattern("hash [0-9a-f]{64}\\.").contains("firebreak audit verify --expect-head ");
        Eventually.assertThat(() -> assertThat(chat.topic(channel.id())).hasValueSatisfying(topic ->
                assertThat(topic).contains("INC-1 [P2] resolved")));
        if (chat.capabilities().pinsMessages()) {
            Eventually.assertThat(() -> assertThat(chat.pinned(channel.id())).contains(notice.id()));
        }

        chat.command("alice", channel.id(), "/incident postmortem");
        Posted draft = awaitPost(channel.id(), "Post-mortem draft for INC-1");
        assertThat(draft.text()).contains("Incident Post-Mortem: Bridge deposits delayed")
                .contains("Relayer ran out of gas").contains("alice: Incident declared: [P2] Bridge deposits delayed");
    }

    // ---- the status page

    @Test
    void the_communications_lead_publishes_to_the_status_page_and_nothing_else_reaches_it() {
        CreatedChannel channel = declare("alice", "P1 RPC pods crashlooping on node-7");
        chat.command("alice", channel.id(), "/incident assign communications bob");
        awaitPost(channel.id(), "bob is communications");

        chat.command("carol", channel.id(), "/incident post status-page rpc partial-outage errors");
        awaitPrivate("carol", "Only the communications lead or the commander of INC-1 publishes to the status page (bob, alice)");
        chat.command("bob", channel.id(), "/incident post status-page rpcs partial-outage errors");
        awaitPrivate("bob", "The status page has no component rpcs. Components: l2-blocks, rpc, bridge, sequencer-api");
        chat.command("bob", channel.id(), "/incident post status-page rpc half-down errors");
        awaitPrivate("bob", "half-down is not a component state. States: operational, degraded-performance, partial-outage, major-outage.");
        assertThat(chat.statusPageJson()).contains("\"active\":[]");

        chat.command("bob", channel.id(), "/incident post status-page rpc partial-outage elevated error rates on the public RPC");
        Posted published = awaitPost(channel.id(), "Published to the status page for INC-1 by bob: RPC is Partial Outage.");
        assertThat(published.text()).contains("[INVESTIGATING] We are investigating reports of elevated error rates on the public RPC.");
        assertThat(chat.statusPageJson()).contains("\"id\":\"rpc\",\"name\":\"RPC\",\"description\":\"Public JSON-RPC endpoints\","
                + "\"state\":\"partial-outage\"").contains("\"title\":\"RPC: Partial Outage\"")
                .doesNotContain("crashlooping").doesNotContain("node-7").doesNotContain(channel.name()).doesNotContain("bob");

        chat.command("alice", channel.id(), "/incident resolve liveness probe too strict");
        Posted hint = awaitPost(channel.id(), "The status page still shows INC-1 as active.");
        assertThat(hint.text()).contains("/incident post INC-1 status-page rpc operational <root cause, in words for the public>");
        assertThat(chat.statusPageJson()).as("resolving publishes nothing").contains("\"state\":\"partial-outage\"")
                .doesNotContain("liveness");
    }

    // ---- the commander's view

    @Test
    void incident_status_without_arguments_shows_the_state_a_commander_needs() {
        CreatedChannel channel = declare("alice", "P1 Sequencer API errors");
        chat.command("alice", channel.id(), "/incident assign communications bob");
        awaitPost(channel.id(), "bob is communications");
        chat.command("alice", channel.id(), "/action anchor-retry batch-7");
        awaitPost(channel.id(), "Approval needed A-1");

        chat.command("alice", channel.id(), "/incident status");
        awaitPrivate("alice", "commander alice, communications bob");
        String state = chat.privateTo("alice").stream().filter(t -> t.contains("communications bob")).findFirst().orElseThrow();
        assertThat(state).contains("INC-1 [P1] Sequencer API errors").contains("investigating")
                .contains("next due in").contains("Waiting for approval: A-1 anchor-retry (0/2");
    }

    @Test
    void declaring_the_same_outage_again_within_minutes_points_at_the_open_incident() {
        CreatedChannel first = declare("alice", "P0 L2 blocks stopped");
        awaitPost(first.id(), "First snapshot of INC-1");
        Map<String, List<Posted>> before = everythingPosted();

        chat.command("bob", incidents(), "/incident declare P0 Blocks stopped on L2");
        awaitPrivate("bob", "INC-1 (L2 blocks stopped) was declared");
        assertThat(chat.privateTo("bob")).anyMatch(t -> t.contains("in #" + first.name()) && t.contains("--new"));
        assertThat(chat.createdChannels()).hasSize(1);
        assertThat(everythingPosted()).isEqualTo(before);

        CreatedChannel second = declare("bob", "--new P0 Blocks stopped on L2");
        assertThat(second.name()).isNotEqualTo(first.name());
    }

    @Test
    void the_timeline_keeps_what_happened_not_every_command_typed() {
        CreatedChannel channel = declare("alice", "P2 Indexer lagging");
        chat.command("alice", channel.id(), "/incident list");
        chat.command("alice", channel.id(), "/help");
        chat.command("alice", channel.id(), "/incident status identified");
        awaitPost(channel.id(), "INC-1 status is now identified");
        chat.command("alice", channel.id(), "/incident timeline");
        Posted timeline = awaitPost(channel.id(), "Timeline of INC-1 [P2]");
        assertThat(timeline.text()).contains("Incident declared: [P2] Indexer lagging").contains("Status investigating -> identified")
                .doesNotContain("/incident list").doesNotContain("/help").doesNotContain("/incident timeline");

        chat.command("alice", channel.id(), "/incident postmortem");
        Posted draft = awaitPost(channel.id(), "Post-mortem draft for INC-1");
        assertThat(draft.text()).contains("Root cause identified (Status investigating -> identified)");
    }

    @Test
    void a_pinned_firebreak_message_goes_on_the_timeline_with_its_text() {
        CreatedChannel channel = declare("alice", "P2 Relayer slow");
        chat.command("alice", channel.id(), "/incident update Relayer queue at 400, draining");
        Posted update = awaitPost(channel.id(), "Relayer queue at 400, draining");

        chat.react("bob", channel.id(), update.id(), "pushpin");
        awaitPost(channel.id(), "Added to the timeline of INC-1");
        chat.command("alice", channel.id(), "/incident timeline");
        Posted timeline = awaitPost(channel.id(), "Timeline of INC-1 [P2]");
        assertThat(timeline.text()).contains("Pinned: ").contains("Relayer queue at 400, draining");
    }

    // ---- what leaves Firebreak

    @Test
    void a_service_error_that_echoes_its_token_is_posted_and_stored_with_the_token_masked() {
        CreatedChannel channel = declare("alice", "P1 Anchoring lag");
        environment.sequencer.echoCredentialsInErrors();
        chat.command("alice", channel.id(), "/action anchor-retry batch-13");
        Posted request = awaitPost(channel.id(), "Approval needed A-1");
        chat.react("bob", channel.id(), request.id(), APPROVE);
        awaitPost(channel.id(), "bob approved A-1 (1/2)");
        chat.react("carol", channel.id(), request.id(), APPROVE);

        Posted failed = awaitPost(channel.id(), "A-1 failed");
        assertThat(failed.text()).contains("HTTP 502").contains("upstream rejected the request")
                .doesNotContain(ContractEnvironment.SEQUENCER_TOKEN);
        assertThat(chat.anchorRequests()).as("the sequencer was called").hasSize(1);
        assertThat(chat.everythingStored()).contains("upstream rejected the request").contains("\\\"token\\\":\\\"****\\\"")
                .doesNotContain(ContractEnvironment.SEQUENCER_TOKEN);
    }

    @Test
    void mentions_links_and_control_characters_in_a_title_reach_nobody() {
        String title = "Bridge <!channel> <!here> <@U0BOB> <@100000000000000002> @everyone @here "
                + "<https://evil.example|click> \u001B[31mred\u001B[0m\u0007 \u202Eevil";
        CreatedChannel channel = declare("alice", "P1 " + title);

        Posted kickoff = awaitPost(channel.id(), "INC-1 [P1] Bridge");
        Posted announcement = awaitPost(incidents(), "INC-1 [P1] Bridge");
        String topic = awaitTopic(channel.id());
        chat.command("alice", channel.id(), "/incident list");
        awaitPrivate("alice", "Open incidents");
        List<String> seen = new ArrayList<>(List.of(kickoff.text(), announcement.text(), topic, chat.privateTo("alice").getLast()));
        chat.postedIn(incidents()).forEach(posted -> seen.add(posted.text()));
        for (String text : seen) {
            assertThat(text).contains("red").contains("evil")
                    .doesNotContain("<!channel>", "<!here>", "<@U0BOB>", "<@100000000000000002>", "@everyone", "@here")
                    .doesNotContain("\u001B", "\u0007", "\u202E");
        }
        if (chat.platform().equals("console")) {
            assertThat(chat.everythingSent()).doesNotContain("\u001B", "\u0007", "\u202E");
        }
    }

    // ---- alerts and the first snapshot

    @Test
    void a_declared_incident_gets_its_first_snapshot_as_one_message_after_the_kickoff() {
        CreatedChannel channel = declare("alice", "P1 Sequencer ingest stalled");

        Posted kickoff = awaitPost(channel.id(), "INC-1 [P1] Sequencer ingest stalled");
        Posted snapshot = awaitPost(channel.id(), "First snapshot of INC-1");
        assertThat(postsContaining(channel.id(), "First snapshot")).hasSize(1);
        assertThat(chat.postedIn(channel.id())).as("the snapshot follows the kickoff").startsWith(kickoff);
        assertThat(snapshot.text()).contains("/diag block").contains("/diag balance all").contains("/diag health sequencer")
                .contains("healthy");
    }

    @Test
    void a_message_a_rule_matches_in_ops_alerts_is_an_alert_a_repeat_changes_nothing_and_other_messages_are_left_alone() {
        String alerts = chat.channelNamed("ops-alerts");
        chat.say("alice", alerts, "is anyone looking at the critical dashboard?");
        chat.say("alice", alerts, "[CRITICAL] Forta: CodehashMismatch on the PIL orchestrator");
        Eventually.assertThat(() -> assertThat(chat.createdChannels()).hasSize(1));
        CreatedChannel channel = chat.createdChannels().getFirst();
        Posted alert = awaitPost(alerts, "Forta: CodehashMismatch on the PIL orchestrator");
        assertThat(alert.text()).contains("Alert firing: monitor-message").contains("severity=critical").contains("INC-1");
        awaitPost(channel.id(), "INC-1 [P1] Forta: CodehashMismatch on the PIL orchestrator");

        chat.say("alice", alerts, "[CRITICAL] Forta: CodehashMismatch on the PIL orchestrator");
        chat.say("alice", alerts, "[warning] Grafana: ingest p99 above 2 s");
        Posted warning = awaitPost(alerts, "Grafana: ingest p99 above 2 s");
        assertThat(warning.text()).contains("severity=warning");
        assertThat(postsContaining(alerts, "CodehashMismatch")).as("the repeat posted nothing").hasSize(1);
        assertThat(chat.createdChannels()).as("the repeat and the warning declared nothing").hasSize(1);
        assertThat(postsContaining(alerts, "dashboard")).as("a message no rule matches is left alone").isEmpty();
    }

    // ---- scheduled checks

    @Test
    void a_schedule_run_now_posts_one_digest_whose_checklist_its_owner_ticks_off() {
        String alerts = chat.channelNamed("ops-alerts");
        chat.command("bob", incidents(), "/schedule run stateset-daily");
        Posted digest = awaitPost(alerts, "Scheduled checks stateset-daily (S-1)");
        assertThat(digest.text()).contains("need attention", "/diag metrics sequencer", "For Alice (on-call) to do:",
                "1. Review the error logs for anomalies", "Full output: /schedule show stateset-daily (run by bob)");
        assertThat(digest.text().indexOf("/diag metrics sequencer")).as("what needs attention comes first")
                .isLessThan(digest.text().indexOf("/diag health sequencer"));
        assertThat(postsContaining(alerts, "Scheduled checks stateset-daily")).as("one digest for the whole run").hasSize(1);

        chat.command("bob", alerts, "/schedule done stateset-daily 1");
        awaitPrivate("bob", "Only alice, who owns stateset-daily, ticks off its checklist.");
        chat.react("alice", alerts, digest.id(), APPROVE);
        awaitPost(alerts, "alice ticked off item 1 of stateset-daily (S-1); its checklist is done.");

        chat.command("alice", incidents(), "/schedule show stateset-daily");
        awaitPrivate("alice", "Last run S-1 (run by bob)");
        assertThat(chat.privateTo("alice").getLast()).contains("Checklist: 1 done by alice").contains("/diag health sequencer ready");
        chat.command("alice", incidents(), "/schedule list");
        awaitPrivate("alice", "pil-weekly");
        chat.command("alice", incidents(), "/schedule run nightly");
        awaitPrivate("alice", "There is no schedule nightly; there are set-chain-daily");
    }

    @Test
    void pausing_and_resuming_a_schedule_is_said_where_it_reports() {
        String alerts = chat.channelNamed("ops-alerts");
        chat.command("alice", incidents(), "/schedule pause jeju-daily");
        awaitPost(alerts, "alice paused jeju-daily: it does not run until /schedule resume jeju-daily");
        awaitPrivate("alice", "Paused jeju-daily; said so in #ops-alerts.");
        chat.command("alice", incidents(), "/schedule pause jeju-daily");
        awaitPrivate("alice", "jeju-daily is already paused; /schedule resume jeju-daily resumes it.");
        chat.command("mallory", incidents(), "/schedule resume jeju-daily");
        awaitPrivate("mallory", "/schedule resume needs the role responder");
        chat.command("alice", incidents(), "/schedule resume jeju-daily");
        awaitPost(alerts, "alice resumed jeju-daily; next run");
    }

    @Test
    void an_alert_group_has_one_message_in_ops_alerts_edited_as_its_alerts_fire_and_resolve() {
        String alerts = chat.channelNamed("ops-alerts");
        String group = "{}:{alertname=\\\"RpcLatencyHigh\\\"}";
        assertThat(chat.alertmanager(alertmanager(group, "firing", alert("f1", "firing", "rpc-0 p99 above 2 s")))).isEqualTo(200);
        Posted first = awaitPost(alerts, "rpc-0 p99 above 2 s");
        assertThat(first.text()).contains("Alert firing: RpcLatencyHigh").contains("severity=warning");

        chat.alertmanager(alertmanager(group, "firing", alert("f1", "firing", "rpc-0 p99 above 2 s"),
                alert("f2", "firing", "rpc-1 p99 above 2 s")));
        Eventually.assertThat(() -> assertThat(postsContaining(alerts, "rpc-1 p99 above 2 s")).singleElement()
                .satisfies(p -> assertThat(p.id()).isEqualTo(first.id())));
        chat.alertmanager(alertmanager(group, "resolved", alert("f1", "resolved", "rpc-0 p99 above 2 s"),
                alert("f2", "resolved", "rpc-1 p99 above 2 s")));
        Eventually.assertThat(() -> assertThat(postsContaining(alerts, "The whole group is resolved")).singleElement()
                .satisfies(p -> assertThat(p.id()).isEqualTo(first.id())));
        assertThat(postsContaining(alerts, "RpcLatencyHigh")).as("one message, edited").hasSize(1);
        assertThat(postsContaining(alerts, "RpcLatencyHigh").getFirst().text()).contains("Alert resolved: RpcLatencyHigh")
                .doesNotContain("Alert firing");
    }

    // ---- runbooks

    @Test
    void a_runbook_run_is_one_message_edited_as_its_steps_complete_with_each_steps_output_in_its_thread() {
        CreatedChannel channel = declare("alice", "P2 Sequencer unhealthy");
        awaitPost(channel.id(), "First snapshot of INC-1");

        chat.command("alice", channel.id(), "/runbook run sequencer-health");
        String heading = "Runbook sequencer-health: Sequencer health checks";
        Posted run = awaitPost(channel.id(), heading);
        Eventually.assertThat(() -> assertThat(postsContaining(channel.id(), heading)).singleElement()
                .satisfies(p -> assertThat(p.text()).contains("Runbook sequencer-health (R-1) finished.")));
        String finished = postsContaining(channel.id(), heading).getFirst().text();
        assertThat(finished).contains("/diag health sequencer ready").contains("/diag metrics sequencer")
                .contains("Started by alice").doesNotContain("pending").doesNotContain("running");
        assertThat(postsContaining(channel.id(), heading).getFirst().id()).isEqualTo(run.id());
        assertThat(postsContaining(channel.id(), "Step 1/3")).as("no step's output in the channel itself").isEmpty();

        List<Posted> thread = chat.threadOf(channel.id(), run.id());
        assertThat(thread).as("each step's output in the run message's thread").hasSize(3);
        assertThat(thread.get(0).text()).contains("Step 1/3 `/diag health sequencer`");
        assertThat(thread.get(1).text()).contains("Step 2/3 `/diag health sequencer ready`");
        assertThat(thread.get(2).text()).contains("Step 3/3 `/diag metrics sequencer`");
    }

    @Test
    void a_gated_step_is_its_own_approval_request_and_after_a_restart_the_run_message_is_edited_not_posted_again() {
        CreatedChannel channel = declare("alice", "P1 Commitments unanchored");
        awaitPost(channel.id(), "First snapshot of INC-1");
        chat.command("alice", channel.id(), "/runbook run sequencer-anchor-recovery chain=devnet batch_id=7");
        Posted request = awaitPost(channel.id(), "Approval needed A-1");
        String heading = "Runbook sequencer-anchor-recovery: Recover from anchor service failure";
        Eventually.assertThat(() -> assertThat(postsContaining(channel.id(), heading)).singleElement()
                .satisfies(p -> assertThat(p.text()).contains("Waiting for approval A-1 at step 5/6")
                        .containsPattern("5\\s+/action anchor-retry 7\\s+running")));
        Posted run = postsContaining(channel.id(), heading).getFirst();
        assertThat(run.id()).isNotEqualTo(request.id());
        chat.react("bob", channel.id(), request.id(), APPROVE);
        awaitPost(channel.id(), "bob approved A-1 (1/2)");

        chat.stop();
        if (chat.capabilities().keepsReactionsWhileDown()) {
            chat.react("carol", channel.id(), request.id(), APPROVE);
            chat.start();
        } else {
            chat.start();
            chat.react("carol", channel.id(), request.id(), APPROVE);
        }

        Eventually.assertThat(() -> assertThat(postsContaining(channel.id(), heading)).singleElement()
                .satisfies(p -> {
                    assertThat(p.id()).as("the same message, edited").isEqualTo(run.id());
                    assertThat(p.text()).contains("Runbook sequencer-anchor-recovery (R-1) finished.")
                            .containsPattern("5\\s+/action anchor-retry 7\\s+ok");
                }));
        assertThat(chat.anchorRequests()).containsExactly("{\"batch_id\":\"7\"}");
        Eventually.assertThat(() -> assertThat(chat.threadOf(channel.id(), run.id())).extracting(Posted::text)
                .anyMatch(t -> t.contains("Step 5/6 `/action anchor-retry 7` waits for approval A-1"))
                .anyMatch(t -> t.contains("Step 6/6 `/diag metrics sequencer circuit`")));
    }

    // ---- on call

    @Test
    void oncall_shows_who_is_on_call_and_only_a_commander_or_the_person_may_override() {
        chat.command("mallory", incidents(), "/oncall");
        awaitPrivate("mallory", "On call now");
        assertThat(chat.privateTo("mallory").getLast()).contains("primary (On-call engineer)").contains(onCallNow())
                .contains("leads (Engineering lead)");

        chat.command("mallory", incidents(), "/oncall override @bob 4h");
        awaitPrivate("mallory", "Only a commander or bob may put bob on call; ask bob to run it, or a commander.");
        chat.command("alice", incidents(), "/oncall override @bob 4 hours");
        awaitPrivate("alice", "DURATION '4' is not a duration");

        chat.command("bob", incidents(), "/oncall override @bob 4h");
        assertThat(awaitPost(incidents(), "bob is on call for primary until").text()).contains("(override by bob");
        chat.command("mallory", incidents(), "/oncall");
        Eventually.assertThat(() -> assertThat(chat.privateTo("mallory").getLast()).contains("bob (override by bob)"));
    }

    @Test
    void declaring_mentions_the_on_call_person_and_the_commander_or_someone_called_acknowledges() {
        chat.command("bob", incidents(), "/oncall override @bob 1h");
        awaitPost(incidents(), "bob is on call for primary");
        CreatedChannel channel = declare("alice", "P1 RPC latency high");

        Posted notified = awaitPost(channel.id(), "bob is on call for primary (On-call engineer)");
        assertThat(notified.text()).contains("Acknowledge with /incident ack within 15m").contains(mention("bob"));

        chat.command("mallory", channel.id(), "/incident ack");
        awaitPrivate("mallory", "Only the commander of INC-1 or someone it called (bob) may acknowledge it.");
        chat.command("bob", channel.id(), "/incident ack");
        awaitPost(channel.id(), "INC-1 acknowledged by bob");

        chat.command("carol", incidents(), "/incident handoff");
        Posted handoff = awaitPost(incidents(), "On-call handoff");
        assertThat(handoff.text()).contains("hands over to").contains("INC-1 [P1] RPC latency high").contains("acknowledged by bob")
                .contains("Test paging system with");
    }

    // ---- helpers

    static String alertmanager(String groupKey, String status, String... alerts) {
        return "{\"receiver\":\"firebreak\",\"status\":\"" + status + "\",\"alerts\":[" + String.join(",", alerts)
                + "],\"groupLabels\":{},\"commonLabels\":{},\"commonAnnotations\":{},\"externalURL\":\"http://alertmanager:9093\","
                + "\"version\":\"4\",\"groupKey\":\"" + groupKey + "\",\"truncatedAlerts\":0}";
    }

    static String alert(String fingerprint, String status, String summary) {
        return "{\"status\":\"" + status + "\",\"labels\":{\"alertname\":\"RpcLatencyHigh\",\"severity\":\"warning\"},"
                + "\"annotations\":{\"summary\":\"" + summary + "\"},\"startsAt\":\"2026-11-23T02:59:30Z\",\"endsAt\":\""
                + ("resolved".equals(status) ? "2026-11-23T03:10:00Z" : "0001-01-01T00:00:00Z")
                + "\",\"generatorURL\":\"\",\"fingerprint\":\"" + fingerprint + "\"}";
    }

    /** Who the schedule of bot/oncall.yaml puts on call for primary now (the suite runs on the real clock). */
    String onCallNow() {
        return environment.config.oncall().rotations().get("primary").shiftAt(java.time.Instant.now()).person();
    }

    /** How a mention of {@code person} reads on this platform: the console shows {@code @id}, Slack and Discord {@code <@id>}. */
    String mention(String person) {
        String id = environment.idOf(person, chat.platform());
        return chat.platform().equals("console") ? "@" + id : "<@" + id + ">";
    }

    String incidents() {
        return chat.channelNamed("incidents");
    }

    /** Declares an incident from the incidents channel and returns the channel Firebreak created for it. */
    CreatedChannel declare(String person, String arguments) {
        int before = chat.createdChannels().size();
        chat.command(person, incidents(), "/incident declare " + arguments);
        Eventually.assertThat(() -> assertThat(chat.createdChannels()).hasSize(before + 1));
        return chat.createdChannels().getLast();
    }

    Posted awaitPost(String channelId, String text) {
        Eventually.assertThat(() -> assertThat(postsContaining(channelId, text)).as("posted in " + channelId).isNotEmpty());
        return postsContaining(channelId, text).getFirst();
    }

    List<Posted> postsContaining(String channelId, String text) {
        return chat.postedIn(channelId).stream().filter(p -> p.text().contains(text)).toList();
    }

    void awaitPrivate(String person, String text) {
        Eventually.assertThat(() -> assertThat(chat.privateTo(person)).as("shown only to " + person)
                .anyMatch(shown -> shown.contains(text)));
        for (String channel : everythingPosted().keySet()) {
            assertThat(postsContaining(channel, text)).as("a private answer posted in " + channel).isEmpty();
        }
    }

    String awaitTopic(String channelId) {
        Eventually.assertThat(() -> assertThat(chat.topic(channelId)).isPresent());
        return chat.topic(channelId).orElseThrow();
    }

    /** Everything posted in the incidents and alerts channels and every incident channel, by channel. */
    Map<String, List<Posted>> everythingPosted() {
        List<String> channels = new ArrayList<>(List.of(incidents(), chat.channelNamed("ops-alerts")));
        chat.createdChannels().forEach(c -> channels.add(c.id()));
        Map<String, List<Posted>> posted = new LinkedHashMap<>();
        channels.forEach(c -> posted.put(c, chat.postedIn(c)));
        return posted;
    }

    static String today() {
        return LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.BASIC_ISO_DATE);
    }
}
