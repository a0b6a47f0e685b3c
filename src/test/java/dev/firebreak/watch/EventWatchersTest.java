package dev.firebreak.watch;

import dev.firebreak.app.MutableClock;
import dev.firebreak.config.ConfigLoader;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.demo.chain.DemoChain;
import dev.firebreak.incident.Incident;
import dev.firebreak.probe.chain.DevnetExtension;
import dev.firebreak.store.JdbcWatcherStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Watchers of events ({@code when: events}) and the proposer's output age against anvil with
 * mining switched off: events emitted by the seed fixtures, each block read once from the cursor
 * in the store, across restarts, gaps and a second replica on the same store; the clock is moved,
 * never waited for, and anvil's next block is stamped with the moved clock's time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(DevnetExtension.class)
class EventWatchersTest {

    private static final String ZERO_ROOT = "0".repeat(64);

    private DemoChain devnet;
    private FirebreakConfig base;
    @TempDir
    Path data;
    private WatcherHarness bot;
    private WatcherHarness replica;

    @BeforeAll
    void start(DemoChain devnet) {
        this.devnet = devnet;
        Map<String, String> env = new HashMap<>(devnet.env());
        env.put("SEQUENCER_URL", "http://127.0.0.1:9");
        // no scheduled checks: the clock moves by hours here, and they would post about the idle chain
        base = new ConfigLoader(Path.of("."), env).load().withSchedules(dev.firebreak.schedule.SchedulesConfig.none());
        devnet.rpc().call("evm_setAutomine", false);
    }

    @AfterAll
    void stop() {
        devnet.rpc().call("evm_setAutomine", true);
    }

    @AfterEach
    void closeBots() {
        if (replica != null) replica.close();
        if (bot != null) bot.close();
        replica = null;
    }

    private WatcherHarness startBot(WatchersConfig.Watcher... watchers) {
        long latest = Long.decode(devnet.rpc().call("eth_getBlockByNumber", "latest", false).path("timestamp").asText());
        Instant start = Instant.ofEpochSecond(Math.max(latest + 1, Instant.now().getEpochSecond()));
        bot = new WatcherHarness(WatcherHarness.with(base, WatcherHarness.watchers(watchers)), data, new MutableClock(start));
        return bot;
    }

    /** Mines one block stamped with the bot's clock. */
    private void mineNow() {
        long latest = Long.decode(devnet.rpc().call("eth_getBlockByNumber", "latest", false).path("timestamp").asText());
        long now = bot.clock.instant().getEpochSecond();
        if (latest >= now) bot.clock.advance(Duration.ofSeconds(latest + 1 - now));
        devnet.rpc().call("evm_setNextBlockTimestamp", "0x" + Long.toHexString(bot.clock.instant().getEpochSecond()));
        devnet.rpc().call("anvil_mine", "0x1");
    }

    /** Mines {@code blocks} empty blocks, 1 s apart, ending at the bot's clock or later. */
    private void mineEmpty(int blocks) {
        devnet.rpc().call("anvil_mine", "0x" + Integer.toHexString(blocks), "0x1");
        long latest = Long.decode(devnet.rpc().call("eth_getBlockByNumber", "latest", false).path("timestamp").asText());
        long now = bot.clock.instant().getEpochSecond();
        if (latest > now) bot.clock.advance(Duration.ofSeconds(latest - now));
    }

    private long head() {
        return Long.decode(devnet.rpc().call("eth_blockNumber").asText());
    }

    /** Sends a call from an unlocked anvil account; mined by the next {@link #mineNow()}. */
    private void send(String from, String contract, String data) {
        devnet.rpc().call("eth_sendTransaction", Map.of("from", devnet.address(from), "to", devnet.address(contract), "data", data));
    }

    /** Sends a call that will revert, with its gas given so that anvil does not refuse it at estimation. */
    private void sendReverting(String from, String contract, String data) {
        devnet.rpc().call("eth_sendTransaction", Map.of("from", devnet.address(from), "to", devnet.address(contract), "data", data,
                "gas", "0x30d40"));
    }

    private static String selector(String signature) {
        return org.web3j.crypto.Hash.sha3String(signature).substring(0, 10);
    }

    private static String word(String address) {
        return "0".repeat(24) + address.substring(2).toLowerCase();
    }

    private static String reportCodehash(char want) {
        return selector("reportCodehash(bytes4,bytes32,bytes32)") + "12345678" + "0".repeat(56) + String.valueOf(want).repeat(64)
                + "b".repeat(64);
    }

    private static WatchersConfig.Watcher events(String name, String probe, Map<String, String> with, String alert) {
        return new WatchersConfig.Watcher(name, probe, with, Duration.ofSeconds(30), "events", null, alert, Map.of("chain", "devnet"),
                Duration.ofMinutes(10));
    }

    private static int count(String text, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
        int n = 0;
        while (m.find()) n++;
        return n;
    }

    private WatchersConfig.Watcher codehash(Map<String, String> more) {
        Map<String, String> with = new LinkedHashMap<>(Map.of("contract", "manifestDispatcher", "event", "CodehashMismatch", "blocks", "5"));
        with.putAll(more);
        return events("manifest-codehash-mismatch", "chain.events", with, "CodehashMismatch");
    }

    @Test
    void every_codehash_mismatch_is_alerted_once_across_runs_a_restart_and_a_gap_longer_than_the_old_window() {
        startBot(codehash(Map.of()));
        mineEmpty(10);   // earlier mismatches (the deployment's) are out of the first run's window
        bot.tickAfter(Duration.ofSeconds(1));
        assertThat(bot.posts()).as("the first run reads the last 5 blocks: nothing there").isEmpty();

        send("guardian", "manifestDispatcher", reportCodehash('a'));
        mineNow();
        bot.tickAfter(Duration.ofSeconds(30));
        String first = bot.posts();
        assertThat(count(first, "[#ops-alerts]")).isEqualTo(1);
        assertThat(first).contains("Alert firing: CodehashMismatch").contains("want=0xaaaa").contains("rates any CodehashMismatch critical");
        assertThat(bot.incidents()).extracting(Incident::severity).containsExactly("P1");

        bot.tickAfter(Duration.ofSeconds(30));
        mineEmpty(3);
        bot.tickAfter(Duration.ofSeconds(30));
        assertThat(bot.posts()).as("the same event is not read again").isEmpty();

        send("guardian", "manifestDispatcher", reportCodehash('c'));
        send("guardian", "manifestDispatcher", reportCodehash('d'));
        mineNow();
        bot.restart();
        bot.tickAfter(Duration.ofSeconds(30));
        String afterRestart = bot.posts();
        assertThat(count(afterRestart, "Alert firing: CodehashMismatch")).as("two events, two alerts, once each")
                .isGreaterThanOrEqualTo(2);
        assertThat(afterRestart).contains("want=0xcccc").contains("want=0xdddd").doesNotContain("want=0xaaaa");
        assertThat(bot.incidents()).as("the critical rule's dedupe window: they join the open incident").hasSize(1);

        // a gap of 60 blocks, longer than the 50 the shipped watcher used to look back: the event at its start is seen
        send("guardian", "manifestDispatcher", reportCodehash('e'));
        mineNow();
        mineEmpty(60);
        bot.tickAfter(Duration.ofSeconds(30));
        String afterGap = bot.posts();
        assertThat(afterGap).contains("want=0xeeee").doesNotContain("want=0xcccc").doesNotContain(Watchers.SKIPPED_ALERT);
        assertThat(new JdbcWatcherStore(bot.db).cursor("manifest-codehash-mismatch")).contains(head());
    }

    @Test
    void a_watcher_too_far_behind_skips_ahead_says_how_many_blocks_and_reads_on_from_there() {
        startBot(codehash(Map.of("maxBlocks", "20")));
        mineEmpty(10);
        bot.tickAfter(Duration.ofSeconds(1));
        long cursor = head();
        send("guardian", "manifestDispatcher", reportCodehash('f'));   // in the blocks that will be skipped
        mineNow();
        mineEmpty(34);
        bot.tickAfter(Duration.ofSeconds(30));
        String posted = bot.posts();
        assertThat(posted).contains("Alert firing: " + Watchers.SKIPPED_ALERT)
                .contains("skipped 15 blocks (" + (cursor + 1) + ".." + (cursor + 15) + ")")
                .contains("/diag chain-events manifestDispatcher CodehashMismatch 35").doesNotContain("want=0xffff");
        assertThat(bot.incidents()).as("a warning: posted only").isEmpty();

        send("guardian", "manifestDispatcher", reportCodehash('9'));
        mineNow();
        bot.tickAfter(Duration.ofSeconds(30));
        assertThat(bot.posts()).contains("want=0x9999").doesNotContain(Watchers.SKIPPED_ALERT);
    }

    @Test
    void a_second_replica_on_the_same_store_reads_on_from_the_first_one_s_cursor_and_alerts_nothing_twice() {
        startBot(codehash(Map.of()));
        mineEmpty(10);
        bot.tickAfter(Duration.ofSeconds(1));
        replica = new WatcherHarness(WatcherHarness.with(base, WatcherHarness.watchers(codehash(Map.of()))), data, bot.clock);

        send("guardian", "manifestDispatcher", reportCodehash('7'));
        mineNow();
        bot.tickAfter(Duration.ofSeconds(30));
        replica.tickAfter(Duration.ZERO);
        assertThat(bot.posts()).contains("want=0x7777");
        assertThat(replica.posts()).as("the blocks were read by the first").isEmpty();

        // the replica leads now; the first one, deposed, reads with a cursor it saw before the replica moved it
        send("guardian", "manifestDispatcher", reportCodehash('8'));
        mineNow();
        replica.tickAfter(Duration.ofSeconds(30));
        assertThat(replica.posts()).contains("want=0x8888");
        JdbcWatcherStore store = new JdbcWatcherStore(bot.db);
        long moved = store.cursor("manifest-codehash-mismatch").orElseThrow();
        assertThat(store.advanceCursor("manifest-codehash-mismatch", java.util.Optional.of(moved - 1), moved + 5, bot.clock.instant()))
                .as("a stale cursor does not move it").isFalse();
        bot.tickAfter(Duration.ZERO);
        assertThat(bot.posts()).as("nothing new for the first: its alert for 0x8888 was raised once, by the replica").isEmpty();
        assertThat(bot.incidents()).hasSize(1);
    }

    @Test
    void a_commitment_by_another_sequencer_or_of_an_empty_root_is_critical_and_so_is_another_sequencer_authorised() {
        startBot(events("setregistry-unexpected-commitment", "chain.events", Map.of("contract", "setRegistry", "event", "Committed",
                        "blocks", "5", "expect", "sequencer=sequencer,root!=0x" + ZERO_ROOT), "UnexpectedCommitment"),
                events("setregistry-other-sequencer-authorised", "chain.events", Map.of("contract", "setRegistry",
                        "event", "SequencerAuthorizationChanged", "blocks", "5", "expect", "sequencer=sequencer"),
                        "SequencerAuthorizationChanged"));
        mineEmpty(10);
        bot.tickAfter(Duration.ofSeconds(1));
        assertThat(bot.posts()).isEmpty();

        send("sequencer", "setRegistry", selector("commit(bytes32)") + "1".repeat(64));
        mineNow();
        bot.tickAfter(Duration.ofSeconds(30));
        assertThat(bot.posts()).as("our sequencer committing a root is what is expected").isEmpty();

        String setAuthorization = selector("setSequencerAuthorization(address,bool)") + word(devnet.address("batcher"));
        send("guardian", "setRegistry", setAuthorization + "0".repeat(63) + "1");
        mineNow();
        send("batcher", "setRegistry", selector("commit(bytes32)") + "2".repeat(64));
        send("sequencer", "setRegistry", selector("commit(bytes32)") + ZERO_ROOT);
        send("guardian", "setRegistry", setAuthorization + "0".repeat(64));
        mineNow();
        bot.tickAfter(Duration.ofSeconds(30));
        String posted = bot.posts();
        String batcher = devnet.address("batcher").toLowerCase();
        assertThat(posted).contains("Alert firing: SequencerAuthorizationChanged").contains("Alert firing: UnexpectedCommitment")
                .contains("is not the expected sequencer").contains("root 0x" + ZERO_ROOT + " is 0x" + ZERO_ROOT);
        assertThat(posted.toLowerCase()).contains("sequencer " + batcher);
        assertThat(count(posted, "[#ops-alerts]")).as("authorised, commitment, empty root, deauthorised").isEqualTo(4);
        assertThat(bot.incidents()).isNotEmpty().allMatch(i -> i.severity().equals("P1"));
    }

    @Test
    void a_call_refused_by_access_control_declares_with_its_runbook_and_other_reverts_and_role_changes_do_not() {
        startBot(events("manifest-access-control", "chain.reverts", Map.of("contract", "manifestDispatcher", "blocks", "5"),
                        "AccessControlFailure"),
                events("manifest-role-granted", "chain.events", Map.of("contract", "manifestDispatcher", "event", "RoleGranted",
                        "blocks", "5", "level", "warning"), "RoleChanged"));
        mineEmpty(10);
        bot.tickAfter(Duration.ofSeconds(1));
        assertThat(bot.posts()).isEmpty();

        sendReverting("guardian", "manifestDispatcher", selector("applyRoutes(bytes4[],address[])")
                + "0".repeat(62) + "40" + "0".repeat(62) + "60" + "0".repeat(64) + "0".repeat(64));   // empty lists, nothing pending
        sendReverting("proposer", "manifestDispatcher", selector("pause()"));
        mineNow();
        bot.tickAfter(Duration.ofSeconds(30));
        String refused = bot.posts();
        assertThat(count(refused, "Alert firing: AccessControlFailure")).isGreaterThanOrEqualTo(1);
        assertThat(refused).contains("A call of manifestDispatcher.pause() by " + devnet.address("proposer").toLowerCase())
                .contains("AccessControl: account is missing role").doesNotContain("applyRoutes");
        assertThat(bot.incidents()).singleElement().satisfies(i -> assertThat(i.severity()).isEqualTo("P1"));
        assertThat(refused).contains("md-unauthorized-access");

        String emergencyRole = org.web3j.crypto.Hash.sha3String("EMERGENCY_ROLE").substring(2);
        send("guardian", "manifestDispatcher", selector("grantRole(bytes32,address)") + emergencyRole + word(devnet.address("proposer")));
        mineNow();
        bot.tickAfter(Duration.ofSeconds(30));
        String granted = bot.posts();
        assertThat(granted).contains("Alert firing: RoleChanged").contains("severity=warning").doesNotContain("AccessControlFailure");
        assertThat(bot.incidents()).as("a role change is posted only").hasSize(1);
        send("guardian", "manifestDispatcher", selector("revokeRole(bytes32,address)") + emergencyRole + word(devnet.address("proposer")));
        mineNow();
    }

    @Test
    void a_commit_over_one_and_a_half_times_its_gas_baseline_is_posted_and_one_within_it_is_not() {
        startBot(events("manifest-commit-gas", "chain.events", Map.of("contract", "manifestDispatcher", "event", "Committed",
                        "blocks", "5", "gasBaseline", "72519"), "UpgradeGasSpike"),
                events("manifest-commit-gas-tight", "chain.events", Map.of("contract", "manifestDispatcher", "event", "Committed",
                        "blocks", "5", "gasBaseline", "20000", "gasSpike", "1.5"), "UpgradeGasSpike"));
        mineEmpty(10);
        bot.tickAfter(Duration.ofSeconds(1));
        send("guardian", "manifestDispatcher", selector("commitRoot(bytes32)") + "5".repeat(64));
        mineNow();
        bot.tickAfter(Duration.ofSeconds(30));
        String posted = bot.posts();
        assertThat(count(posted, "Alert firing: UpgradeGasSpike")).as("only against the tight baseline").isEqualTo(1);
        assertThat(posted).contains("more than 1.5 x the baseline 20000 = 30000").contains("watcher=manifest-commit-gas-tight")
                .doesNotContain("watcher=manifest-commit-gas,").doesNotContain("baseline 72519");
        assertThat(bot.incidents()).as("the seed rates it info: posted only").isEmpty();
    }

    @Test
    void the_latest_output_older_than_twice_its_cadence_by_the_oracle_s_timestamp_declares_and_a_new_one_resolves_it() {
        startBot(new WatchersConfig.Watcher("proposer-output-lag", "chain.outputAge",
                Map.of("contract", "l2OutputOracle", "cadence", "1h"), Duration.ofMinutes(5), "critical", null, "ProposerOutputLag",
                Map.of("chain", "devnet", "contract", "l2OutputOracle"), Duration.ZERO));
        send("proposer", "l2OutputOracle", selector("proposeL2Output(bytes32,uint256)") + "a".repeat(64) + String.format("%064x", 100));
        mineNow();
        bot.tickAfter(Duration.ofSeconds(1));
        assertThat(bot.posts()).isEmpty();

        bot.tickAfter(Duration.ofMinutes(90));   // overdue by the cadence: a warning, which this watcher does not raise
        assertThat(bot.posts()).isEmpty();
        bot.tickAfter(Duration.ofMinutes(35));   // over 2 hours
        String late = bot.posts();
        assertThat(late).contains("Alert firing: ProposerOutputLag").contains("l2OutputOracle latest output #")
                .contains("proposed 2h5m").contains("LATE: none for more than 2h");
        assertThat(bot.incidents()).extracting(Incident::severity).containsExactly("P1");   // rule proposer-stuck

        send("proposer", "l2OutputOracle", selector("proposeL2Output(bytes32,uint256)") + "b".repeat(64) + String.format("%064x", 200));
        mineNow();
        bot.tickAfter(Duration.ofMinutes(5));
        assertThat(bot.posts()).contains("Alert resolved: ProposerOutputLag");
    }
}
