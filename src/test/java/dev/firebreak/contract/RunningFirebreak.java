package dev.firebreak.contract;

import dev.firebreak.testing.Eventually;
import dev.firebreak.app.Firebreak;
import dev.firebreak.chat.ChatPlatform;
import dev.firebreak.store.Database;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The engine as {@code app.Bot} and {@code Main} build it: {@link Firebreak#assemble} on the
 * repository's configuration and a SQLite store, one chat platform, then started. Posting is not
 * paced (Bot paces Slack at one message a second per channel; the outbox's pacing has its own tests),
 * so the suite stays fast.
 */
final class RunningFirebreak implements AutoCloseable {

    private final Database database;
    private final Firebreak firebreak;

    private RunningFirebreak(Database database, Firebreak firebreak) {
        this.database = database;
        this.firebreak = firebreak;
    }

    static RunningFirebreak start(ContractEnvironment environment, ChatPlatform platform) {
        return start(environment, database -> platform);
    }

    /** For platforms that need the store first, as the console numbers its messages on from those already delivered. */
    static RunningFirebreak start(ContractEnvironment environment, java.util.function.Function<Database, ChatPlatform> platformOn) {
        Database database = Database.open(environment.databaseUrl());
        try {
            ChatPlatform platform = platformOn.apply(database);
            Firebreak firebreak = Firebreak.assemble(environment.config, database, Clock.systemUTC(),
                    List.of(new Firebreak.PlatformConnection(platform, Duration.ZERO)), new SimpleMeterRegistry());
            firebreak.start(Duration.ofSeconds(15));
            return new RunningFirebreak(database, firebreak);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    Firebreak firebreak() {
        return firebreak;
    }

    Database database() {
        return database;
    }

    /** Every text Firebreak keeps in its store: queued and sent messages, timelines, the audit log, approval requests. */
    String everythingStored() {
        return database.jdbi().withHandle(h -> String.join("\n", h.createQuery("""
                        SELECT body FROM outbox
                        UNION ALL SELECT text || ' ' || COALESCE(details, '') FROM timeline_events
                        UNION ALL SELECT subject || ' ' || detail FROM audit_log
                        UNION ALL SELECT preview || ' ' || canonical_json || ' ' || COALESCE(result, '') FROM approval_requests
                        UNION ALL SELECT public_title || ' ' || body FROM status_updates
                        """).mapTo(String.class).list()));
    }

    /** What {@code GET /status.json} serves now. */
    String statusPageJson() {
        return firebreak.pages().get("/status.json").get().body();
    }

    /** Waits until every message queued so far has been handed to the platform. */
    void awaitOutboxDrained() {
        Eventually.until(() -> firebreak.outbox().depth() == 0, "for the outbox to deliver everything queued");
    }

    @Override
    public void close() {
        firebreak.close();
        database.close();
    }
}
