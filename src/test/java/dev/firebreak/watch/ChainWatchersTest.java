package dev.firebreak.watch;

import dev.firebreak.app.MutableClock;
import dev.firebreak.config.ConfigLoader;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.demo.chain.DemoChain;
import dev.firebreak.incident.Incident;
import dev.firebreak.incident.TimelineEvent;
import dev.firebreak.probe.chain.DevnetExtension;
import dev.firebreak.store.JdbcIncidentRepository;
import dev.firebreak.testing.RpcStandIn;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Watchers on the chain probes against anvil with mining switched off, balances moved with
 * {@code anvil_setBalance} and the op-node stand-in's lags set; the clock is moved, never waited
 * for, and anvil's next block is stamped with the moved clock's time.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(DevnetExtension.class)
class ChainWatchersTest {

    private DemoChain devnet;
    private RpcStandIn rpc;
    private FirebreakConfig base;
    @TempDir
    Path data;
    private WatcherHarness bot;

    @BeforeAll
    void start(DemoChain devnet) {
        this.devnet = devnet;
        rpc = RpcStandIn.inFrontOf(devnet.rpcUrl());
        Map<String, String> env = new HashMap<>(devnet.env());
        env.put("FIREBREAK_CHAIN_RPC_URL", rpc.url());
        env.put("FIREBREAK_CHAIN_RPC_FALLBACK_URL", rpc.url());
        env.put("SEQUENCER_URL", "http://127.0.0.1:9");
        base = new ConfigLoader(Path.of("."), env).load();
        devnet.rpc().call("evm_setAutomine", false);
    }

    @AfterAll
    void stop() {
        devnet.rpc().call("evm_setAutomine", true);
        rpc.close();
    }

    @AfterEach
    void closeBot() {
        if (bot != null) bot.close();
        rpc.mode(RpcStandIn.Mode.PASS);
    }

    private void startBot(WatchersConfig.Watcher... watchers) {
        // the clock starts at the newest block, which may be ahead of the wall clock after earlier tests
        long latest = Long.decode(devnet.rpc().call("eth_getBlockByNumber", "latest", false).path("timestamp").asText());
        Instant start = Instant.ofEpochSecond(Math.max(latest + 1, Instant.now().getEpochSecond()));
        bot = new WatcherHarness(WatcherHarness.with(base, WatcherHarness.watchers(watchers)), data, new MutableClock(start));
    }

    /** Mines one block stamped with the bot's clock: the chain moves on. */
    private void mineNow() {
        long latest = Long.decode(devnet.rpc().call("eth_getBlockByNumber", "latest", false).path("timestamp").asText());
        long now = bot.clock.instant().getEpochSecond();
        if (latest >= now) bot.clock.advance(Duration.ofSeconds(latest + 1 - now));   // blocks mined in a row ran ahead
        devnet.rpc().call("evm_setNextBlockTimestamp", "0x" + Long.toHexString(bot.clock.instant().getEpochSecond()));
        devnet.rpc().call("anvil_mine", "0x1");
    }

    private void setBalance(String account, String ether) {
        BigInteger wei = new BigDecimal(ether).movePointRight(18).toBigIntegerExact();
        devnet.rpc().call("anvil_setBalance", devnet.address(account), "0x" + wei.toString(16));
    }

    /** Sends a call from the guardian (an unlocked anvil account); it is mined by the next {@link #mineNow()}. */
    private void sendAsGuardian(String contract, String data) {
        send("guardian", contract, data);
    }

    private void send(String from, String contract, String data) {
        Map<String, String> tx = Map.of("from", devnet.address(from), "to", devnet.address(contract), "data", data);
        devnet.rpc().call("eth_sendTransaction", tx);
    }

    private static String selector(String signature) {
        return org.web3j.crypto.Hash.sha3String(signature).substring(0, 10);
    }

    private static WatchersConfig.Watcher watcher(String name, String probe, Map<String, String> with, String alert,
                                                  Duration cooldown) {
        return new WatchersConfig.Watcher(name, probe, with, Duration.ofSeconds(30), null, null, alert, Map.of("chain", "devnet"),
                cooldown);
    }

    @Test
    void a_stalled_l2_head_declares_a_p0_once_resolves_on_the_next_block_and_is_armed_again_after_its_cooldown() {
        startBot(watcher("l2-head-stalled", "chain.head", Map.of("chain", "devnet"), "L2HeadStalled", Duration.ofMinutes(5)));
        mineNow();
        bot.tickAfter(Duration.ofSeconds(1));
        assertThat(bot.posts()).as("a fresh head raises nothing").isEmpty();

        bot.tickAfter(Duration.ofSeconds(150));   // no block for more than stallAfterSeconds (120 s)
        String stalled = bot.posts();
        assertThat(stalled).contains("[#ops-alerts]").contains("Alert firing: L2HeadStalled").contains("STALLED")
                .contains("watcher=l2-head-stalled").contains("severity=critical");
        assertThat(bot.incidents()).hasSize(1);
        Incident incident = bot.incidents().getFirst();
        assertThat(incident.severity()).isEqualTo("P0");

        bot.tickAfter(Duration.ofSeconds(30));
        bot.tickAfter(Duration.ofSeconds(30));
        assertThat(bot.posts()).as("still stalled: said once").isEmpty();

        mineNow();
        bot.tickAfter(Duration.ofSeconds(30));
        String recovered = bot.posts();
        assertThat(recovered).contains("Alert resolved: L2HeadStalled").contains("recovered: devnet head")
                .contains("is " + incident.id() + " over?");
        assertThat(bot.incidents()).as("never resolved by the bot").hasSize(1);

        bot.tickAfter(Duration.ofSeconds(150));   // stalled again, 3.5 minutes after the first alert: within the cooldown
        assertThat(bot.posts()).isEmpty();
        bot.tickAfter(Duration.ofSeconds(90));    // the cooldown is over: alerted again, into the open incident
        String again = bot.posts();
        assertThat(again).contains("Alert firing: L2HeadStalled").contains(incident.id());
        assertThat(bot.incidents()).hasSize(1);
        assertThat(new JdbcIncidentRepository(bot.db).timeline(incident.number()).stream()
                .filter(e -> e.type() == TimelineEvent.Type.ALERT).map(TimelineEvent::text))
                .anyMatch(t -> t.startsWith("Alert L2HeadStalled firing"))
                .anyMatch(t -> t.startsWith("Alert L2HeadStalled resolved"));
        mineNow();
    }

    @Test
    void a_balance_alerts_at_warning_again_at_critical_not_back_at_warning_and_re_arms_once_topped_up() {
        startBot(watcher("batcher-balance", "chain.balance", Map.of("account", "batcher"), "BatcherBalanceLow", Duration.ZERO));
        setBalance("batcher", "5");
        bot.tickAfter(Duration.ofSeconds(1));
        assertThat(bot.posts()).isEmpty();

        setBalance("batcher", "0.5");             // below warning (1 ETH)
        bot.tickAfter(Duration.ofSeconds(30));
        assertThat(bot.posts()).contains("Alert firing: BatcherBalanceLow").contains("below warning 1 ETH")
                .contains("severity=warning");
        assertThat(bot.incidents()).as("warnings are posted only").isEmpty();

        setBalance("batcher", "0.05");            // below critical (0.1 ETH): worse, so alerted again
        bot.tickAfter(Duration.ofSeconds(30));
        assertThat(bot.posts()).contains("Alert firing: BatcherBalanceLow").contains("below critical 0.1 ETH")
                .contains("severity=critical");
        assertThat(bot.incidents()).hasSize(1);
        assertThat(bot.incidents().getFirst().severity()).isEqualTo("P1");

        setBalance("batcher", "0.5");             // better, not recovered: nothing
        bot.tickAfter(Duration.ofSeconds(30));
        assertThat(bot.posts()).isEmpty();

        setBalance("batcher", "3");               // recovered: both alerts resolved
        bot.tickAfter(Duration.ofSeconds(30));
        String recovered = bot.posts();
        assertThat(recovered).contains("Alert resolved: BatcherBalanceLow").contains("recovered: batcher 3");
        assertThat(recovered.split("Alert resolved: BatcherBalanceLow", -1)).hasSizeGreaterThanOrEqualTo(3);

        setBalance("batcher", "0.5");             // re-armed: a new warning
        bot.tickAfter(Duration.ofSeconds(30));
        assertThat(bot.posts()).contains("Alert firing: BatcherBalanceLow").contains("below warning 1 ETH");
        setBalance("batcher", "0.5");
    }

    @Test
    void the_op_node_safe_head_lag_is_posted_as_a_warning_and_resolved_when_it_catches_up() {
        startBot(watcher("safe-head-lag", "chain.sync", Map.of("chain", "devnet"), "SafeHeadLag", Duration.ZERO));
        devnet.rpc().call("anvil_mine", "0x400");
        devnet.opNode().setLags(2, 4);
        bot.tickAfter(Duration.ofSeconds(1));
        assertThat(bot.posts()).isEmpty();
        try {
            devnet.opNode().setLags(700, 800);    // over maxSafeLag (600)
            bot.tickAfter(Duration.ofSeconds(30));
            assertThat(bot.posts()).contains("Alert firing: SafeHeadLag").contains("safe head 700 blocks behind");
            bot.tickAfter(Duration.ofSeconds(30));
            assertThat(bot.posts()).isEmpty();
        } finally {
            devnet.opNode().setLags(2, 4);
        }
        bot.tickAfter(Duration.ofSeconds(30));
        assertThat(bot.posts()).contains("Alert resolved: SafeHeadLag");
    }

    @Test
    void a_target_that_cannot_be_reached_is_reported_once_and_its_recovery_too_and_a_restart_repeats_nothing() {
        startBot(watcher("l2-head-stalled", "chain.head", Map.of("chain", "devnet"), "L2HeadStalled", Duration.ZERO));
        mineNow();
        bot.tickAfter(Duration.ofSeconds(1));
        assertThat(bot.posts()).isEmpty();

        rpc.mode(RpcStandIn.Mode.UNAVAILABLE);
        bot.tickAfter(Duration.ofSeconds(30));
        String down = bot.posts();
        assertThat(down).contains("Alert firing: " + Watchers.UNREACHABLE_ALERT).contains("Watcher l2-head-stalled cannot run chain.head");
        bot.tickAfter(Duration.ofSeconds(30));
        bot.restart();
        bot.tickAfter(Duration.ofSeconds(30));
        assertThat(bot.posts()).as("reported once, also across a restart").isEmpty();

        rpc.mode(RpcStandIn.Mode.PASS);
        mineNow();
        bot.tickAfter(Duration.ofSeconds(30));
        assertThat(bot.posts()).contains("Alert resolved: " + Watchers.UNREACHABLE_ALERT)
                .contains("reaches its target again").doesNotContain("L2HeadStalled firing");
        assertThat(bot.incidents()).isEmpty();
    }

    @Test
    void a_watcher_does_not_run_before_its_interval_is_over() {
        startBot(watcher("batcher-balance", "chain.balance", Map.of("account", "batcher"), "BatcherBalanceLow", Duration.ZERO));
        setBalance("batcher", "5");
        bot.tickAfter(Duration.ofSeconds(1));
        setBalance("batcher", "0.5");
        bot.tickAfter(Duration.ofSeconds(15));
        assertThat(bot.posts()).as("15 s of its 30 s interval").isEmpty();
        bot.tickAfter(Duration.ofSeconds(15));
        assertThat(bot.posts()).contains("Alert firing: BatcherBalanceLow");
    }

    @Test
    void a_contract_paused_is_a_critical_change_that_resolves_when_it_is_unpaused() {
        startBot(new WatchersConfig.Watcher("manifest-dispatcher-paused", "chain.read",
                Map.of("contract", "manifestDispatcher", "function", "paused"), Duration.ofSeconds(30), "changed", "critical",
                "ContractPausedChanged", Map.of("contract", "manifestDispatcher"), Duration.ZERO));
        mineNow();
        bot.tickAfter(Duration.ofSeconds(1));
        assertThat(bot.posts()).as("the first reading is the baseline").isEmpty();

        sendAsGuardian("manifestDispatcher", selector("pause()"));
        mineNow();
        bot.tickAfter(Duration.ofSeconds(30));
        String paused = bot.posts();
        assertThat(paused).contains("Alert firing: ContractPausedChanged").contains("paused() = true (was: ")
                .contains("severity=critical");
        assertThat(bot.incidents()).hasSize(1);
        bot.tickAfter(Duration.ofSeconds(30));
        assertThat(bot.posts()).isEmpty();

        sendAsGuardian("manifestDispatcher", selector("unpause()"));
        mineNow();
        bot.tickAfter(Duration.ofSeconds(30));
        assertThat(bot.posts()).contains("Alert resolved: ContractPausedChanged").contains("paused() = false");
    }

    @Test
    void a_codehash_mismatch_event_is_critical_while_it_is_within_the_watched_blocks() {
        startBot(new WatchersConfig.Watcher("manifest-codehash-mismatch", "chain.events",
                Map.of("contract", "manifestDispatcher", "event", "CodehashMismatch", "blocks", "5"), Duration.ofSeconds(30),
                "critical", null, "CodehashMismatch", Map.of("contract", "manifestDispatcher"), Duration.ZERO));
        devnet.rpc().call("anvil_mine", "0x8");
        mineNow();
        bot.tickAfter(Duration.ofSeconds(1));
        assertThat(bot.posts()).isEmpty();

        sendAsGuardian("manifestDispatcher", selector("reportCodehash(bytes4,bytes32,bytes32)")
                + "12345678" + "0".repeat(56) + "a".repeat(64) + "b".repeat(64));
        mineNow();
        bot.tickAfter(Duration.ofSeconds(30));
        assertThat(bot.posts()).contains("Alert firing: CodehashMismatch").contains("1 CodehashMismatch event(s)")
                .contains("rates any CodehashMismatch critical");
        assertThat(bot.incidents()).hasSize(1);

        devnet.rpc().call("anvil_mine", "0x6");
        mineNow();
        bot.tickAfter(Duration.ofSeconds(30));
        assertThat(bot.posts()).contains("Alert resolved: CodehashMismatch");
    }

    @Test
    void the_l1_head_the_op_node_follows_is_critical_when_stale_and_resolves_when_l1_moves_on() {
        startBot(watcher("l1-head-stale", "chain.l1head", Map.of("chain", "devnet"), "L1HeadStale", Duration.ZERO));
        mineNow();
        bot.tickAfter(Duration.ofSeconds(1));
        assertThat(bot.posts()).isEmpty();
        bot.tickAfter(Duration.ofSeconds(150));   // over l1StaleAfterSeconds (120 s)
        assertThat(bot.posts()).contains("Alert firing: L1HeadStale").contains("op-node L1 head").contains("STALE");
        mineNow();
        bot.tickAfter(Duration.ofSeconds(30));
        assertThat(bot.posts()).contains("Alert resolved: L1HeadStale");
    }

    @Test
    void no_output_proposed_within_the_proposer_cadence_declares_and_a_new_output_resolves_it() {
        startBot(new WatchersConfig.Watcher("proposer-output-lag", "chain.events",
                Map.of("contract", "l2OutputOracle", "event", "OutputProposed", "blocks", "20", "minCount", "1"), Duration.ofSeconds(30),
                null, null, "ProposerOutputLag", Map.of("contract", "l2OutputOracle"), Duration.ZERO));
        devnet.rpc().call("anvil_mine", "0x20");   // the outputs proposed at deployment are older than the 20 blocks watched
        mineNow();
        bot.tickAfter(Duration.ofSeconds(1));
        assertThat(bot.posts()).contains("Alert firing: ProposerOutputLag").contains("expected at least 1");
        assertThat(bot.incidents()).extracting(i -> i.severity()).containsExactly("P1");   // rule proposer-stuck

        send("proposer", "l2OutputOracle", selector("proposeL2Output(bytes32,uint256)") + "c".repeat(64)
                + String.format("%064x", 100));
        mineNow();
        bot.tickAfter(Duration.ofSeconds(30));
        assertThat(bot.posts()).contains("Alert resolved: ProposerOutputLag").contains("1 OutputProposed event(s)");
    }
}
