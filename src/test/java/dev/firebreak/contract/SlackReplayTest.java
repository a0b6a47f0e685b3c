package dev.firebreak.contract;

import dev.firebreak.contract.ChatDriver.CreatedChannel;
import dev.firebreak.contract.ChatDriver.Posted;
import dev.firebreak.testing.Eventually;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Captured, validly signed Slack requests sent again after a restart, inside the five minutes
 * Slack's signature is accepted for: the real Bolt app in HTTP mode behind the operations server,
 * the real engine and store. The deliveries already handled are in the store, so nothing happens twice.
 */
class SlackReplayTest {

    @TempDir
    Path data;

    ContractEnvironment environment;
    SlackDriver chat;

    @BeforeEach
    void start() {
        environment = ContractEnvironment.start(data);
        chat = new SlackDriver(environment, SlackDriver.Transport.HTTP);
    }

    @AfterEach
    void stop() {
        try {
            chat.close();
        } finally {
            environment.close();
        }
    }

    @Test
    void a_replayed_declare_after_a_restart_opens_no_second_incident() {
        String incidents = chat.channelNamed("incidents");
        chat.command("alice", incidents, "/incident declare P1 Anchoring lag");
        Eventually.assertThat(() -> assertThat(chat.createdChannels()).hasSize(1));
        SlackDriver.SignedRequest declare = chat.signedRequests().getLast();

        chat.stop();
        chat.start();
        chat.replay(declare);
        chat.command("alice", incidents, "/incident list");

        assertThat(chat.createdChannels()).hasSize(1);
        assertThat(chat.postedIn(incidents).stream().filter(p -> p.text().contains("declared by alice"))).hasSize(1);
        assertThat(chat.privateTo("alice").getLast()).contains("INC-1").doesNotContain("INC-2");
    }

    @Test
    void a_replayed_approval_after_a_restart_does_not_revive_a_withdrawn_vote() {
        String incidents = chat.channelNamed("incidents");
        chat.command("alice", incidents, "/incident declare P1 Anchoring lag");
        Eventually.assertThat(() -> assertThat(chat.createdChannels()).hasSize(1));
        CreatedChannel channel = chat.createdChannels().getFirst();
        chat.command("alice", channel.id(), "/action anchor-retry batch-5");
        Eventually.assertThat(() -> assertThat(posted(channel, "Approval needed A-1")).isNotEmpty());
        Posted request = posted(channel, "Approval needed A-1").getFirst();

        chat.react("bob", channel.id(), request.id(), "white_check_mark");
        Eventually.assertThat(() -> assertThat(posted(channel, "bob approved A-1 (1/2)")).hasSize(1));
        SlackDriver.SignedRequest approval = chat.signedRequests().getLast();
        chat.unreact("bob", channel.id(), request.id(), "white_check_mark");
        Eventually.assertThat(() -> assertThat(posted(channel, "bob withdrew their approval of A-1 (0/2)")).hasSize(1));

        chat.stop();
        chat.start();
        chat.replay(approval);
        chat.react("carol", channel.id(), request.id(), "white_check_mark");

        // the catch-up after the restart may see carol's reaction before its event arrives: either way it counts once
        Eventually.assertThat(() -> assertThat(posted(channel, "carol approved")).singleElement()
                .satisfies(posted -> assertThat(posted.text()).contains("(1/2)")));
        assertThat(posted(channel, "bob approved A-1")).hasSize(1);
        assertThat(posted(channel, "approved by")).isEmpty();
        assertThat(chat.anchorRequests()).isEmpty();
    }

    private java.util.List<Posted> posted(CreatedChannel channel, String text) {
        return chat.postedIn(channel.id()).stream().filter(p -> p.text().contains(text)).toList();
    }
}
