package dev.firebreak.app;

import dev.firebreak.chat.Outbox;
import dev.firebreak.chat.slack.FakeSlackServer;
import dev.firebreak.chat.slack.SlackPayloads;
import dev.firebreak.demo.chain.DemoChain;
import dev.firebreak.kernel.Message;
import dev.firebreak.probe.chain.DevnetExtension;
import dev.firebreak.store.Database;
import dev.firebreak.store.JdbcOutboxStore;
import dev.firebreak.store.TestDatabases;
import dev.firebreak.testing.Eventually;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two {@code firebreak run} processes, started from the production class path as the image starts
 * one, on one real PostgreSQL (skipped, saying so, where none is configured) and one Slack
 * stand-in in Socket Mode that counts what is posted: one leads, the other stands by; the leader
 * killed, paused or stopped, what was queued and approved is done once, and a paused leader that
 * wakes after losing its lock sends nothing.
 */
@ExtendWith(DevnetExtension.class)
class TwoProcessesTest {

    /** What the issue allows for a takeover once the leader is gone. */
    static final Duration TAKEOVER = Duration.ofSeconds(15);
    /** Starting a JVM, checking the configuration and connecting: seconds on an idle machine, far more on a busy one. */
    static final Duration START = Duration.ofSeconds(150);
    /** A paused leader is not dead: PostgreSQL ends its idle lock session after 10 s, then a standby's poll takes the lock. */
    static final Duration PAUSED_TAKEOVER = Duration.ofSeconds(30);

    @TempDir
    Path folder;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    final List<Replica> replicas = new ArrayList<>();
    FakeSlackServer slack;
    String url;
    Database store;
    Outbox producer;

    @BeforeEach
    void start() {
        url = TestDatabases.freshUrl("postgresql", folder);   // skipped without PostgreSQL
        store = Database.open(url);                           // migrated once, before the replicas start
        producer = new Outbox(new JdbcOutboxStore(store), Clock.systemUTC());
        slack = FakeSlackServer.start();
        slack.addChannel("C0INCIDENTS", "incidents");
        slack.addChannel("C0ALERTS", "ops-alerts");
    }

    @AfterEach
    void stop() {
        replicas.forEach(Replica::kill);
        if (slack != null) slack.close();
        if (store != null) store.close();
    }

    @Test
    void the_leader_killed_with_messages_queued_and_an_action_approved_the_standby_delivers_each_once_and_the_action_runs_once(
            DemoChain devnet) throws Exception {
        Map<String, String> chain = new HashMap<>(devnet.env());
        chain.put("FIREBREAK_CHAIN_RPC_FALLBACK_URL", devnet.rpcUrl());
        Replica first = replica("first", chain);
        Replica second = replica("second", chain);
        Replica leader = awaitOneReady(first, second);
        Replica standby = leader == first ? second : first;

        // an approved pause, sent and waiting for its receipt (anvil mines nothing for now)
        devnet.rpc().call("evm_setAutomine", false);
        long nonceBefore = nonce(devnet);
        slack.sendEnvelope("slash_commands", SlackPayloads.slashCommandJson("/action", "pause l2OutputOracle", "U0ALICE",
                "C0INCIDENTS", "1.2.3", slack.responseUrl("pause")));
        await(() -> !postedContaining("A-1").isEmpty(), START, "the approval request to be posted");
        // the stand-in records the ts it answered just after it records the call
        await(() -> slack.postedTs(postedContaining("A-1").getFirst()) != null, START, "the approval request's ts");
        String ts = slack.postedTs(postedContaining("A-1").getFirst());
        // as a person would: reacting once the bot has recorded which message the request is (a Slack ts is unique
        // only within its channel: the watchers' posts elsewhere can carry the same one)
        await(() -> store.jdbi().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM outbox WHERE platform_message_id = :ts "
                        + "AND channel_id = 'C0INCIDENTS'")
                .bind("ts", ts).mapTo(Long.class).one()) == 1, START, "the approval message to be recorded");
        for (String approver : List.of("U0BOB", "U0CAROL")) {
            slack.sendEnvelope("events_api", SlackPayloads.reactionEvent("Ev" + approver, FakeSlackServer.TEAM_ID, approver,
                    "white_check_mark", "reaction_added", "C0INCIDENTS", ts));
        }
        await(() -> !postedContaining("A-1 sent tx").isEmpty(), START, "the pause to be sent");

        // the leader stops dead with messages in the queue
        leader.signal("STOP");
        for (int i = 1; i <= 3; i++) producer.enqueue("slack", "C0INCIDENTS", Message.text("queued before the kill " + i));
        long killedAt = System.nanoTime();
        leader.kill();

        await(() -> standby.status("/ready") == 200, TAKEOVER, "the standby to take over");
        Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
        assertThat(takeover).isLessThan(TAKEOVER);
        for (int i = 1; i <= 3; i++) {
            String text = "queued before the kill " + i;
            await(() -> postedContaining(text).size() == 1, TAKEOVER, text + " to be posted");
        }

        devnet.rpc().call("anvil_mine", "0x1");
        await(() -> !postedContaining("A-1 done").isEmpty(), START, "the pause's result");
        devnet.rpc().call("anvil_mine", "0x1");
        standby.status("/ready");   // one more round of delivery happens meanwhile
        for (int i = 1; i <= 3; i++) assertThat(postedContaining("queued before the kill " + i)).as("posted once").hasSize(1);
        assertThat(postedContaining("A-1 done")).as("the result is posted once").hasSize(1);
        assertThat(nonce(devnet)).as("one transaction, by one replica, never a second").isEqualTo(nonceBefore + 1);
        devnet.rpc().call("evm_setAutomine", true);
    }

    @Test
    void a_paused_leader_that_wakes_after_losing_its_lock_sends_nothing_and_a_stopped_leader_hands_over_within_the_grace() throws Exception {
        // three replicas, as after the deposed one below has been restarted by its liveness probe
        List<Replica> all = List.of(replica("first", Map.of()), replica("second", Map.of()), replica("third", Map.of()));
        Replica paused = awaitOneReady(all.toArray(Replica[]::new));

        paused.signal("STOP");   // as a long GC pause or a frozen node: its lock session goes idle and PostgreSQL ends it
        producer.enqueue("slack", "C0INCIDENTS", Message.text("while the leader is paused"));
        List<Replica> others = all.stream().filter(r -> r != paused).toList();
        await(() -> others.stream().anyMatch(r -> r.status("/ready") == 200), PAUSED_TAKEOVER, "a standby to take over");
        Replica next = others.stream().filter(r -> r.status("/ready") == 200).findFirst().orElseThrow();
        Replica last = others.stream().filter(r -> r != next).findFirst().orElseThrow();
        assertThat(last.status("/ready")).as("still one leader").isEqualTo(503);
        await(() -> postedContaining("while the leader is paused").size() == 1, TAKEOVER, "the new leader to post");

        paused.signal("CONT");
        for (int i = 1; i <= 5; i++) producer.enqueue("slack", "C0INCIDENTS", Message.text("after the wake " + i));
        await(() -> paused.status("/health") == 503, TAKEOVER, "the woken replica to find it was deposed");
        assertThat(paused.status("/ready")).isEqualTo(503);
        for (int i = 1; i <= 5; i++) {
            String text = "after the wake " + i;
            await(() -> postedContaining(text).size() == 1, TAKEOVER, text + " to be posted");
        }
        assertThat(postsBy(paused)).as("the deposed leader posted nothing after it woke").isEqualTo(paused.postsWhenStopped);

        // SIGTERM the leader while it holds queued messages: it stops, lets go of the lock and exits within the
        // grace; what it did not deliver stays queued and the standby, taking over at once, delivers it
        next.signal("STOP");
        for (int i = 1; i <= 3; i++) producer.enqueue("slack", "C0INCIDENTS", Message.text("queued at the SIGTERM " + i));
        next.process.destroy();   // SIGTERM, seen once it runs again
        next.signal("CONT");
        assertThat(next.process.waitFor(Replica.GRACE.toSeconds(), TimeUnit.SECONDS)).as("exits within the grace").isTrue();
        assertThat(next.log()).contains("released the leadership");
        long exited = System.nanoTime();
        await(() -> last.status("/ready") == 200, TAKEOVER, "the standby to take over from the stopped leader");
        assertThat(Duration.ofNanos(System.nanoTime() - exited)).as("a released lock is taken at the next poll").isLessThan(TAKEOVER);
        for (int i = 1; i <= 3; i++) {
            String text = "queued at the SIGTERM " + i;
            await(() -> postedContaining(text).size() == 1, TAKEOVER, text + " to be posted");
        }
        assertThat(paused.status("/ready")).as("the deposed one never leads again").isEqualTo(503);
        for (int i = 1; i <= 3; i++) assertThat(postedContaining("queued at the SIGTERM " + i)).as("posted once").hasSize(1);
    }

    // ---- the replicas

    final class Replica {
        static final Duration GRACE = Duration.ofSeconds(10);
        final String name;
        final Process process;
        final Path log;
        final int port;
        final String token;
        long postsWhenStopped;

        Replica(String name, Process process, Path log, int port, String token) {
            this.name = name;
            this.process = process;
            this.log = log;
            this.port = port;
            this.token = token;
        }

        int status(String path) {
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                return -1;   // not listening (yet, or any more), or stopped
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }

        void signal(String signal) throws Exception {
            if (signal.equals("STOP")) postsWhenStopped = postsBy(this);
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start();
            assertThat(kill.waitFor()).as("kill -" + signal).isZero();
        }

        void kill() {
            process.destroyForcibly();   // SIGKILL
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        String log() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }
    }

    /**
     * Starts {@code firebreak run} in a JVM of its own on the production class path (target/classes
     * and the runtime dependencies), connected to the Slack stand-in in Socket Mode. Each replica
     * has a bot token of its own, so the stand-in can tell who posted.
     */
    /**
     * The shipped configuration without what runs by itself (watchers, schedules, first snapshots), so
     * the posts these tests count are the ones they cause; written once per test.
     */
    private Path configuration() throws IOException {
        Path root = folder.resolve("config");
        if (Files.isDirectory(root)) return root;
        for (String dir : List.of("bot", "commands", "runbooks", "templates")) {
            try (var files = Files.walk(Path.of(dir))) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    Path target = root.resolve(file.toString());
                    if (Files.isDirectory(file)) Files.createDirectories(target);
                    else Files.copy(file, target);
                }
            }
        }
        for (String automatic : List.of("bot/watchers.yaml", "bot/schedules.yaml", "bot/snapshot.yaml")) {
            Files.delete(root.resolve(automatic));
        }
        return root;
    }

    Replica replica(String name, Map<String, String> extra) throws IOException {
        Path classes = Path.of("target", "classes").toAbsolutePath();
        String classPath = classes + java.io.File.pathSeparator + Files.readString(Path.of("target", "runtime-classpath.txt")).trim();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        int port = freePort();
        String token = "xoxb-" + name + "-" + UUID.randomUUID();
        ProcessBuilder builder = new ProcessBuilder(java.toString(), "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                classPath, "dev.firebreak.app.Main", "--config", configuration().toString(), "run");
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(key -> key.startsWith("SLACK_") || key.startsWith("DISCORD_") || key.startsWith("FIREBREAK_"));
        env.putAll(extra);
        env.put("FIREBREAK_DB_URL", url);
        env.put("FIREBREAK_HTTP_PORT", String.valueOf(port));
        env.put("FIREBREAK_SHUTDOWN_GRACE", Replica.GRACE.toSeconds() + "s");
        env.put("SLACK_BOT_TOKEN", token);
        env.put("SLACK_APP_TOKEN", "xapp-" + name);
        env.put("SLACK_API_URL", slack.apiUrl());
        env.put("SEQUENCER_URL", "http://127.0.0.1:9");
        Path log = folder.resolve(name + ".log");
        Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        process.getOutputStream().close();
        Replica replica = new Replica(name, process, log, port, token);
        replicas.add(replica);
        return replica;
    }

    /** Waits until all answer and exactly one is ready; returns that one, the leader. */
    Replica awaitOneReady(Replica... all) {
        List<Replica> replicas = List.of(all);
        await(() -> replicas.stream().allMatch(r -> r.status("/health") == 200), START, "the replicas to start");
        await(() -> replicas.stream().filter(r -> r.status("/ready") == 200).count() == 1, START, "one replica to lead");
        Replica leader = replicas.stream().filter(r -> r.status("/ready") == 200).findFirst().orElseThrow();
        for (Replica standby : replicas) {
            if (standby == leader) continue;
            assertThat(standby.status("/ready")).as("a standby is not ready, so a Service routes to the leader").isEqualTo(503);
            assertThat(standby.status("/health")).as("but it is alive").isEqualTo(200);
        }
        return leader;
    }

    List<FakeSlackServer.Call> postedContaining(String text) {
        return slack.calls("chat.postMessage").stream().filter(call -> String.valueOf(call.param("text")).contains(text)).toList();
    }

    long postsBy(Replica replica) {
        return slack.calls("chat.postMessage").stream()
                .filter(call -> ("Bearer " + replica.token).equals(call.headers().get("authorization"))).count();
    }

    long nonce(DemoChain devnet) {
        return Long.decode(devnet.rpc().call("eth_getTransactionCount", devnet.address("guardian"), "pending").asText());
    }

    /** Waits for a real event (a post at the stand-in, an answer on a port); fails with the replicas' logs. */
    void await(java.util.function.BooleanSupplier condition, Duration timeout, String what) {
        try {
            Eventually.until(condition, timeout, what);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + logs(), e);
        }
    }

    /** The replicas' logs, for a failure message. */
    String logs() {
        StringBuilder out = new StringBuilder("\n--- posted ---");
        slack.calls().forEach(call -> out.append("\n").append(call.method()).append(": ")
                .append(String.valueOf(call.param("text")).replace("\n", " ")));
        for (Replica replica : replicas) {
            String log = replica.log();
            out.append("\n--- ").append(replica.name).append(" (").append(replica.process.isAlive() ? "running" : "exited")
                    .append(") ---\n").append(log.length() > 4000 ? log.substring(log.length() - 4000) : log);
        }
        return out.toString();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
