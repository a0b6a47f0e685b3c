package dev.firebreak.watch;

import dev.firebreak.app.MutableClock;
import dev.firebreak.chat.Inbound;
import dev.firebreak.config.ConfigLoader;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.demo.DemoEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The shipped {@code bot/watchers.yaml} against the demo environment, as {@code ./firebreak demo} runs it. */
class DemoWatchersTest {

    @TempDir
    Path data;
    private DemoEnvironment demo;
    private WatcherHarness bot;

    @BeforeEach
    void start() {
        demo = DemoEnvironment.start(data.resolve("demo"), Clock.systemUTC());
        FirebreakConfig config = demo.configure(new ConfigLoader(Path.of("."), demo.env(Map.of())).load());
        assertThat(config.watchers().watchers()).hasSizeGreaterThanOrEqualTo(15);
        bot = new WatcherHarness(config, data, new MutableClock(Instant.now()));
    }

    @AfterEach
    void stop() {
        if (bot != null) bot.close();
        demo.close();
    }

    @Test
    void the_shipped_watchers_reach_every_demo_peer_declare_the_crash_looping_op_node_and_post_the_low_batcher_balance() {
        bot.tickAfter(Duration.ZERO);
        String posted = bot.posts();
        assertThat(posted).doesNotContain(Watchers.UNREACHABLE_ALERT);
        assertThat(posted).contains("Alert firing: PodCrashLooping").contains("Alert firing: BatcherBalanceLow")
                .contains("below warning 1 ETH");
        assertThat(bot.incidents()).extracting(i -> i.severity()).contains("P1");
        assertThat(posted).doesNotContain("Alert firing: L2HeadStalled").doesNotContain("Alert firing: ContractPausedChanged");

        // the demo mines a block every 2 s of the wall clock: moved further than the stall threshold (60 s), the
        // bot's clock would find the head stalled; 30 s runs every 30 s watcher again
        bot.tickAfter(Duration.ofSeconds(30));
        assertThat(bot.posts()).as("nothing changed: nothing new").doesNotContain("Alert firing");

        var reply = bot.engine().engine().onCommand(new Inbound.Command("console", "alice", "incidents", "/diag watchers"));
        String overview = reply.message().plainText() + bot.posts();
        assertThat(overview).contains("pods-crash-looping").contains("critical since").contains("batcher-balance")
                .contains("warning since").contains("l2-head-stalled");
    }
}
