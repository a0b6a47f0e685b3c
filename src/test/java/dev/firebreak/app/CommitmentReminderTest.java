package dev.firebreak.app;

import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.demo.chain.DemoChain;
import dev.firebreak.diagnostic.SnapshotConfig;
import dev.firebreak.probe.chain.DevnetExtension;
import dev.firebreak.testing.Eventually;
import dev.firebreak.watch.WatchersConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Hash;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reminder at a ManifestDispatcher commitment's ETA on anvil: the demo's pending manifest, seen
 * on chain only, is reminded once in the alerts channel; a commitment sent with /action contract-call
 * is not reminded before its ETA by the chain's time, is reminded once at it in the channel it was
 * run in, and not again after a restart or by a second engine on the same store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(DevnetExtension.class)
@DevnetExtension.SnapshotPerTest
class CommitmentReminderTest {

    private static final String ALERTS = "ops-alerts";
    private static final String NEW_ROOT = "0x" + "4d".repeat(32);
    private static final Instant ENGINE_NOW = Instant.parse("2026-05-04T10:00:00Z");
    private final Clock clock = Clock.fixed(ENGINE_NOW, ZoneOffset.UTC);
    private DemoChain devnet;
    @TempDir
    Path data;

    @BeforeAll
    void devnet(DemoChain devnet) {
        this.devnet = devnet;
    }

    private FirebreakConfig config() {
        return config(Map.of(), Map.of());
    }

    /** Only bot/watchers.yaml's chain.commitment watcher, with {@code with} over its arguments: its contract is the one reminded. */
    private FirebreakConfig config(Map<String, String> env, Map<String, String> with) {
        FirebreakConfig loaded = DevnetConfig.load(devnet, env).withSnapshot(SnapshotConfig.none());
        return loaded.withWatchers(new WatchersConfig(loaded.watchers().watchers().stream()
                .filter(w -> w.name().equals("manifest-activation-late"))
                .map(w -> {
                    Map<String, String> arguments = new java.util.HashMap<>(w.with());
                    arguments.putAll(with);
                    return new WatchersConfig.Watcher(w.name(), w.probe(), arguments, w.every(), w.when(), w.level(), w.alert(),
                            w.labels(), w.cooldown());
                }).toList()));
    }

    @Test
    void the_committed_event_is_looked_for_in_the_blocks_the_watcher_reads() {
        // the demo's manifest-2 was committed more than 200 blocks ago: beyond a watcher reading 100, within one reading 1000
        devnet.rpc().call("anvil_mine", "0xc8");
        String store = "jdbc:sqlite:" + data.resolve("window.db");
        try (ConsoleBot narrow = ConsoleBot.started(config(Map.of(), Map.of("blocks", "100")), store, clock)) {
            narrow.firebreak().tick();
            assertThat(claims(narrow)).as("its ETA is unknown within the watcher's 100 blocks: not claimed, not reminded").isZero();
        }
        try (ConsoleBot wide = ConsoleBot.started(config(Map.of(), Map.of("blocks", "1000")), store, clock)) {
            wide.firebreak().tick();
            assertThat(wide.awaitOutput("ManifestDispatcher commitment epoch 2 is ready to activate")).contains("Committed by: seen on chain");
            assertThat(claims(wide)).isEqualTo(1);
        }
    }

    private static long claims(ConsoleBot bot) {
        return bot.database().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM commitment_reminders").mapTo(Long.class).one());
    }

    @Test
    void a_failed_eth_getLogs_is_logged_without_the_rpc_url_and_read_again_at_the_next_tick() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean refuseLogs = new java.util.concurrent.atomic.AtomicBoolean(true);
        com.sun.net.httpserver.HttpServer provider = logCappingProvider(refuseLogs);
        String url = "http://127.0.0.1:" + provider.getAddress().getPort() + "/v2/key-in-the-path";
        FirebreakConfig config = config(Map.of("FIREBREAK_CHAIN_RPC_URL", url, "FIREBREAK_CHAIN_RPC_FALLBACK_URL", url), Map.of());
        try (ConsoleBot bot = ConsoleBot.started(config, "jdbc:sqlite:" + data.resolve("l.db"), clock);
             dev.firebreak.chat.slack.LogCapture logged = dev.firebreak.chat.slack.LogCapture.everything()) {
            bot.firebreak().tick();
            java.util.List<String> warned = logged.lines().stream().filter(l -> l.contains("could not be read")).toList();
            assertThat(warned).as("the failed read is logged").singleElement().asString()
                    .contains("manifestDispatcher").contains("eth_getLogs failed: query exceeds max block range")
                    .doesNotContain("key-in-the-path");
            assertThat(logged.lines()).noneMatch(l -> l.contains("key-in-the-path"));

            refuseLogs.set(false);
            bot.firebreak().tick();
            assertThat(bot.awaitOutput("ManifestDispatcher commitment epoch 2 is ready to activate")).contains("Pending root:");
        } finally {
            provider.stop(0);
        }
    }

    /** A JSON-RPC provider in front of anvil that answers eth_getLogs with the error a provider capping the log range gives. */
    private com.sun.net.httpserver.HttpServer logCappingProvider(java.util.concurrent.atomic.AtomicBoolean refuseLogs) throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                String request = new String(body, java.nio.charset.StandardCharsets.UTF_8);
                byte[] answer;
                if (refuseLogs.get() && request.contains("\"eth_getLogs\"") && !request.trim().startsWith("[")) {
                    String id = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body).get("id").toString();
                    answer = ("{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"error\":{\"code\":-32005,"
                            + "\"message\":\"query exceeds max block range 10000\"}}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                } else {
                    answer = client.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(devnet.rpcUrl()))
                                    .header("Content-Type", "application/json")
                                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                            java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body();
                }
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        return server;
    }

    @Test
    void one_reminder_at_the_eta_none_before_and_none_again_across_a_restart_and_two_engines() {
        FirebreakConfig config = config();
        String store = "jdbc:sqlite:" + data.resolve("firebreak.db");
        String all;
        try (ConsoleBot first = ConsoleBot.started(config, store, clock)) {
            // the demo's manifest-2 was committed with its ETA already passed
            first.firebreak().tick();
            String demo = first.awaitOutput("ManifestDispatcher commitment epoch 2 is ready to activate");
            assertThat(demo).contains("Activate it: /action contract-call manifestDispatcher activateCommittedRoot")
                    .contains("Late after:").contains("ETA + grace + 5m");

            call("activateCommittedRoot()", "");
            call("setCommitDelay(uint256)", String.format("%064x", 120));
            assertThat(first.say("alice", "/action contract-call manifestDispatcher commitRoot " + NEW_ROOT).message().plainText())
                    .contains("A-1 posted");
            first.approve(1, "bob", "carol");
            first.awaitOutput("A-1 done");
            first.firebreak().tick();
            advance(60);
            first.firebreak().tick();
            assertThat(first.output()).as("no reminder before the ETA").doesNotContain("commitment epoch 3");

            advance(61);
            first.firebreak().tick();
            first.firebreak().tick();
            all = first.awaitOutput("ManifestDispatcher commitment epoch 3 is ready to activate");
            assertThat(all).contains("Pending root: " + NEW_ROOT).contains("Committed by: A-1 of alice");
            assertThat(channelOf(all, "commitment epoch 2 is ready")).as("seen on chain only").isEqualTo(ALERTS);
            assertThat(channelOf(all, "commitment epoch 3 is ready")).as("where the commit was run").isEqualTo(ConsoleBot.INCIDENTS);
        }
        try (ConsoleBot second = ConsoleBot.started(config, store, clock); ConsoleBot replica = ConsoleBot.started(config, store, clock)) {
            second.firebreak().tick();
            replica.firebreak().tick();
            advance(600);
            second.firebreak().tick();
            replica.firebreak().tick();
            String both = all + second.output() + replica.output();
            assertThat(ConsoleBot.count(both, "commitment epoch 3 is ready to activate")).as("one reminder across a restart and two engines")
                    .isEqualTo(1);
            assertThat(ConsoleBot.count(both, "commitment epoch 2 is ready to activate")).isEqualTo(1);
            java.util.List<String> claimed = second.database().jdbi().withHandle(h -> h.createQuery(
                    "SELECT reminded_at FROM commitment_reminders WHERE root = :r").bind("r", NEW_ROOT).mapTo(String.class).list());
            assertThat(claimed).as("claimed by the engine's clock").containsExactly(ENGINE_NOW.toString());
            long audited = second.database().jdbi().withHandle(h -> h.createQuery(
                    "SELECT count(*) FROM audit_log WHERE event = 'commitment.reminded'").mapTo(Long.class).one());
            assertThat(audited).isEqualTo(2);
        }
    }

    /** The channel the console printed the message with this heading in. */
    private static String channelOf(String output, String heading) {
        String before = output.substring(0, output.indexOf(heading));
        java.util.regex.Matcher channel = java.util.regex.Pattern.compile("\\[#([^\\]]+)\\] m\\d+").matcher(before);
        String last = null;
        while (channel.find()) last = channel.group(1);
        return last;
    }

    private void advance(long seconds) {
        devnet.rpc().call("evm_increaseTime", seconds);
        devnet.rpc().call("evm_mine");
    }

    private void call(String function, String arguments) {
        String data = Hash.sha3String(function).substring(0, 10) + arguments;
        String hash = devnet.rpc().call("eth_sendTransaction", Map.of("from", devnet.address("guardian"),
                "to", devnet.address("manifestDispatcher"), "data", data)).asText();
        Eventually.until(() -> !devnet.rpc().call("eth_getTransactionReceipt", hash).isNull(), "for the receipt of " + hash);
        assertThat(devnet.rpc().call("eth_getTransactionReceipt", hash).get("status").asText()).as(function).isEqualTo("0x1");
    }
}
