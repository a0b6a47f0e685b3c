package dev.firebreak.app;

import dev.firebreak.approval.ApprovalRequest;
import dev.firebreak.approval.ApprovalState;
import dev.firebreak.chat.Inbound;
import dev.firebreak.chat.Reply;
import dev.firebreak.chat.console.ConsolePlatform;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.runbook.RunbookRun;
import dev.firebreak.store.Database;
import dev.firebreak.store.JdbcApprovalRepository;
import dev.firebreak.store.JdbcOutboxStore;
import dev.firebreak.store.JdbcRunbookRuns;
import dev.firebreak.testing.Eventually;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One bot process on a store, as {@code firebreak console} assembles it, driven through its
 * engine the way the chat adapters drive it: commands and reactions from the console platform's
 * people, in the incidents channel unless told otherwise. Closing it is a restart's first half:
 * the engine stops (mid-step, mid-wait) and the store is closed; assemble another on the same URL.
 */
final class ConsoleBot implements AutoCloseable {

    static final String INCIDENTS = "incidents";
    /** How long a vote or a command may take before the test calls it blocked. */
    static final Duration PROMPTLY = Duration.ofSeconds(5);

    private static final java.util.concurrent.ExecutorService CALLERS = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final Database db;
    private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
    private final Firebreak firebreak;

    private ConsoleBot(FirebreakConfig config, String storeUrl, Clock clock) {
        db = Database.open(storeUrl);
        ConsolePlatform platform = new ConsolePlatform(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                new JdbcOutboxStore(db).countDelivered("console"));
        firebreak = Firebreak.assemble(config, db, clock,
                List.of(new Firebreak.PlatformConnection(platform, Duration.ZERO)), metrics);
    }

    /** Assembles the engine on the store; {@link #start()} resumes what a restart interrupted. */
    static ConsoleBot assemble(FirebreakConfig config, String storeUrl) {
        return new ConsoleBot(config, storeUrl, Clock.systemUTC());
    }

    static ConsoleBot started(FirebreakConfig config, String storeUrl) {
        return started(config, storeUrl, Clock.systemUTC());
    }

    /** Started with the engine's clock given. */
    static ConsoleBot started(FirebreakConfig config, String storeUrl, Clock clock) {
        ConsoleBot bot = new ConsoleBot(config, storeUrl, clock);
        bot.start();
        return bot;
    }

    /** Starts the engine, failing when start-up does not return promptly (it must not wait for receipts). */
    ConsoleBot start() {
        withinDoing(PROMPTLY, "start-up", () -> firebreak.start(Duration.ofHours(1)));
        return this;
    }

    Firebreak firebreak() {
        return firebreak;
    }

    Database database() {
        return db;
    }

    SimpleMeterRegistry metrics() {
        return metrics;
    }

    /** A command typed in the incidents channel; fails when it is not answered promptly. */
    Reply say(String who, String line) {
        return say(who, INCIDENTS, line);
    }

    Reply say(String who, String channel, String line) {
        return within(PROMPTLY, line, () -> firebreak.engine().onCommand(new Inbound.Command("console", who, channel, line)));
    }

    /** {@code who} reacts with the approval emoji on request {@code A-id}; fails when the reaction is not handled promptly. */
    void approve(long requestId, String... who) {
        String message = approvalMessage(requestId);
        for (String person : who) {
            withinDoing(PROMPTLY, person + "'s approval of A-" + requestId, () ->
                    firebreak.engine().onReaction(new Inbound.Reaction("console", person, INCIDENTS, message, "white_check_mark", true)));
        }
    }

    /** The console reference (m12) of the approval message of request {@code A-id}, once it is delivered. */
    String approvalMessage(long requestId) {
        String[] ref = new String[1];
        Eventually.until(() -> {
            Long outboxId = request(requestId).outboxId();
            ref[0] = outboxId == null ? null : firebreak.outbox().find(outboxId).map(e -> e.platformMessageId()).orElse(null);
            return ref[0] != null;
        }, "for the approval message of A-" + requestId + " to be delivered");
        return ref[0];
    }

    ApprovalRequest request(long id) {
        return new JdbcApprovalRepository(db).find(id).orElseThrow(() -> new AssertionError("no request A-" + id));
    }

    ApprovalState state(long id) {
        return request(id).state();
    }

    void awaitState(long id, ApprovalState state) {
        Eventually.until(() -> state(id) == state, "for A-" + id + " to be " + state + " (it is " + state(id) + ")");
    }

    RunbookRun run(long id) {
        return new JdbcRunbookRuns(db).find(id).orElseThrow(() -> new AssertionError("no run R-" + id));
    }

    /** Everything the console platform printed so far. */
    String output() {
        firebreak.outbox().deliverDue();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Waits until the output shows {@code text}. */
    String awaitOutput(String text) {
        Eventually.until(() -> output().contains(text), "for the console to show \"" + text + "\":\n" + output());
        return output();
    }

    static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    private static <T> T within(Duration limit, String what, java.util.concurrent.Callable<T> work) {
        CompletableFuture<T> future = CompletableFuture.supplyAsync(() -> {
            try {
                return work.call();
            } catch (Exception e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, CALLERS);
        try {
            return future.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError(what + " did not return within " + limit.toSeconds() + " s: something it waited for blocked it");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError(what + " failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    private static void withinDoing(Duration limit, String what, Runnable work) {
        within(limit, what, () -> {
            work.run();
            return null;
        });
    }

    /** As a kill: the store goes first, so nothing the engine does from now on is stored; then the engine stops. */
    void crash() {
        db.close();
        firebreak.close();
    }

    @Override
    public void close() {
        firebreak.close();
        db.close();
    }
}
