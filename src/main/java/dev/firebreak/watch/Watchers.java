package dev.firebreak.watch;

import dev.firebreak.alert.Alert;
import dev.firebreak.alert.AlertIntake;
import dev.firebreak.alert.AlertSignal;
import dev.firebreak.kernel.Durations;
import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.kernel.Message;
import dev.firebreak.probe.Probe;
import dev.firebreak.probe.ProbeResult;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the watchers of {@code bot/watchers.yaml} on the clock tick. A watcher whose reading turns
 * bad raises an alert through the {@link AlertIntake} (so the rules of {@code bot/alerts.yaml}
 * post it or declare an incident); it raises again only when the reading gets worse (warning to
 * critical, never back), resolves its alerts when the reading recovers and is then armed again,
 * though a new alert waits out the cooldown since the last one. A target it cannot reach is
 * reported once, and again when it answers. Its state is kept in the store.
 */
public final class Watchers implements AutoCloseable {

    /** The source the received-alerts counter gives the watchers' alerts. */
    public static final String SOURCE = "watcher";


    private static final Logger log = LoggerFactory.getLogger(Watchers.class);
    static final String UNREACHABLE_ALERT = "WatcherCannotReachTarget";
    static final String SKIPPED_ALERT = "WatcherSkippedBlocks";
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private final WatchersConfig config;
    private final Map<String, Probe> probes;
    private final AlertIntake intake;
    private final WatcherStore store;
    private final Clock clock;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    /** When each watcher last ran in this process; the store has it as of its last change. */
    private final Map<String, Instant> lastRuns = new java.util.concurrent.ConcurrentHashMap<>();

    public Watchers(WatchersConfig config, Map<String, Probe> probes, AlertIntake intake, WatcherStore store, Clock clock) {
        this.config = config;
        this.probes = Map.copyOf(probes);
        this.intake = intake;
        this.store = store;
        this.clock = clock;
    }

    /** Runs every watcher that is due, their probes at once; a failure of one does not stop the others. */
    public synchronized void tick() {
        Instant now = clock.instant();
        Map<WatchersConfig.Watcher, WatcherState> due = new LinkedHashMap<>();
        for (WatchersConfig.Watcher watcher : config.watchers()) {
            WatcherState state = store.state(watcher.name()).orElseGet(() -> WatcherState.fresh(watcher.name()));
            Instant lastRun = lastRuns.getOrDefault(watcher.name(), state.lastRunAt());
            if (lastRun == null || !now.isBefore(lastRun.plus(watcher.every()))) due.put(watcher, state);
        }
        Map<WatchersConfig.Watcher, Optional<Long>> cursors = new LinkedHashMap<>();
        for (WatchersConfig.Watcher watcher : due.keySet()) {
            if (watcher.condition() == WatchersConfig.Condition.EVENTS) cursors.put(watcher, store.cursor(watcher.name()));
        }
        Map<WatchersConfig.Watcher, Future<ProbeResult>> running = new LinkedHashMap<>();
        due.keySet().forEach(w -> running.put(w, threads.submit(() -> probe(w, cursors.getOrDefault(w, Optional.empty())))));
        for (var entry : running.entrySet()) {
            WatchersConfig.Watcher watcher = entry.getKey();
            Optional<ProbeResult> reading = await(entry.getValue());
            if (reading.isEmpty()) {
                // stopping: a reading that never came is no reading, and not the watcher failing to run its probe
                running.values().forEach(result -> result.cancel(true));
                return;
            }
            try {
                WatcherState before = due.get(watcher);
                WatcherState after = judge(watcher, before, reading.get(), cursors.getOrDefault(watcher, Optional.empty()), now);
                // an unchanged reading writes nothing: the store is written on a change only
                if (!after.equals(before) || before.lastRunAt() == null) store.save(after.ranAt(now));
                lastRuns.put(watcher.name(), now);
            } catch (RuntimeException e) {
                log.warn("Watcher {} could not record its reading: {}", watcher.name(), e.toString());
            }
        }
    }

    /** Runs a watcher's probe; a watcher of events reads the blocks after its cursor (its first run: the probe's window). */
    private ProbeResult probe(WatchersConfig.Watcher watcher, Optional<Long> cursor) {
        Probe probe = probes.get(watcher.probe());
        if (probe == null) return ProbeResult.of(ProbeResult.Status.ERROR, "the probe " + watcher.probe() + " is not available here");
        Map<String, String> args = new LinkedHashMap<>(watcher.with());
        cursor.ifPresent(through -> args.put("after", String.valueOf(through)));
        try {
            return probe.run(args);
        } catch (InvalidInput e) {
            return ProbeResult.of(ProbeResult.Status.ERROR, e.getMessage() + " (fix watchers." + watcher.name() + ".with in bot/watchers.yaml)");
        }
    }

    /** The probe's reading, an error once it is past the deadline; empty when the wait was interrupted (the engine is stopping). */
    private static Optional<ProbeResult> await(Future<ProbeResult> future) {
        try {
            return Optional.of(future.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS));
        } catch (TimeoutException e) {
            future.cancel(true);
            return Optional.of(ProbeResult.of(ProbeResult.Status.ERROR, "no answer within " + DEADLINE.toSeconds() + " s"));
        } catch (ExecutionException e) {
            return Optional.of(ProbeResult.of(ProbeResult.Status.ERROR, "the probe failed inside Firebreak ("
                    + e.getCause().getClass().getSimpleName() + "); see the bot's log"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The state after this reading, having raised or resolved what it calls for. */
    private WatcherState judge(WatchersConfig.Watcher watcher, WatcherState state, ProbeResult result, Optional<Long> cursor,
                               Instant now) {
        if (result.status() == ProbeResult.Status.ERROR) {
            if (state.unreachableSince() != null) return state;
            signal(unreachableKey(watcher, now), unreachableLabels(watcher), Alert.Status.FIRING,
                    "Watcher " + watcher.name() + " cannot run " + watcher.probe() + ": " + result.summary());
            return state.unreachable(now);
        }
        if (state.unreachableSince() != null) {
            signal(unreachableKey(watcher, state.unreachableSince()), unreachableLabels(watcher), Alert.Status.RESOLVED,
                    "Watcher " + watcher.name() + " reaches its target again: " + result.summary());
            state = state.unreachable(null);
        }
        if (watcher.condition() == WatchersConfig.Condition.EVENTS) return events(watcher, state, result, cursor, now);
        Level level;
        String summary = result.summary();
        if (watcher.condition() == WatchersConfig.Condition.CHANGED) {
            if (state.baseline() == null) return state.withBaseline(result.summary());
            level = result.summary().equals(state.baseline()) ? Level.OK : watcher.changedLevel();
            summary = "changed: " + result.summary() + " (was: " + state.baseline() + ")";
        } else {
            level = Level.of(result.status());
            if (watcher.condition() == WatchersConfig.Condition.CRITICAL && level != Level.CRITICAL) level = Level.OK;
        }
        if (level == Level.OK) {
            for (Level raised : state.raised()) {
                signal(episodeKey(watcher, state.episodeStart(), raised), labels(watcher, raised), Alert.Status.RESOLVED,
                        "recovered: " + result.summary());
            }
            return state.recovered();
        }
        if (!level.worseThan(state.level())) return state;
        boolean newEpisode = state.raised().isEmpty();
        if (newEpisode && state.lastRaisedAt() != null && now.isBefore(state.lastRaisedAt().plus(watcher.cooldown()))) {
            log.info("Watcher {} is {} again within its cooldown of {}; it alerts once the cooldown is over", watcher.name(),
                    level.label(), Durations.format(watcher.cooldown()));
            return state;
        }
        Instant episode = newEpisode ? now : state.episodeStart();
        signal(episodeKey(watcher, episode, level), labels(watcher, level), Alert.Status.FIRING, summary);
        return state.raisedAt(level, now);
    }

    /**
     * A watcher of events: each finding in the blocks read is an alert of its own, keyed by the
     * event (so raising it again, after a crash before the cursor moved, changes nothing), then the
     * cursor moves past the blocks read, by compare-and-set: a replica that read the same blocks
     * first has raised the same alerts, which the intake took once. Blocks skipped because the
     * watcher was too far behind are said, as a warning of their own.
     */
    private WatcherState events(WatchersConfig.Watcher watcher, WatcherState state, ProbeResult result, Optional<Long> cursor,
                                Instant now) {
        ProbeResult.Scan scan = result.scan();
        if (scan == null) {
            log.warn("Watcher {} watches events but {} read no blocks; use when: status for it", watcher.name(), watcher.probe());
            return state;
        }
        if (scan.skipped() > 0) {
            long first = scan.from() - scan.skipped();
            signal(watcher.name() + ":skipped:" + first, watcher.alertLabels(SKIPPED_ALERT, "warning"), Alert.Status.FIRING,
                    "Watcher " + watcher.name() + " was too far behind and skipped " + scan.skipped() + " blocks (" + first + ".."
                            + (scan.from() - 1) + "): events there were not checked; look at them with /diag chain-events "
                            + watcher.with().getOrDefault("contract", "<contract>") + " " + watcher.with().getOrDefault("event", "<event>")
                            + " " + (scan.through() - first + 1));
        }
        boolean raised = false;
        for (ProbeResult.Finding finding : scan.findings()) {
            Level level = Level.of(finding.status());
            if (level == Level.OK) continue;
            signal(watcher.name() + ":event:" + finding.id(), labels(watcher, level), Alert.Status.FIRING, finding.summary());
            raised = true;
        }
        if (!store.advanceCursor(watcher.name(), cursor, scan.through(), now)) {
            log.info("Watcher {}: another process read blocks after {} first; its alerts were raised once", watcher.name(),
                    cursor.map(String::valueOf).orElse("its start"));
        }
        return raised ? state.alertedAt(now) : state;
    }

    /** Raises or resolves one of this watcher's alerts; {@code key} names its group (see {@link #episodeKey}). */
    private void signal(String key, Map<String, String> labels, Alert.Status status, String summary) {
        AlertSignal signal = new AlertSignal(SOURCE, key, labels, labels.get("severity"), summary);
        if (status == Alert.Status.FIRING) {
            intake.raise(signal);
        } else {
            intake.resolve(signal);
        }
    }

    /** One group per level of one episode, so a worse level is a new alert the rules judge afresh. */
    private static String episodeKey(WatchersConfig.Watcher watcher, Instant episode, Level level) {
        return watcher.name() + ":" + episode.toEpochMilli() + ":" + level.label();
    }

    private static String unreachableKey(WatchersConfig.Watcher watcher, Instant since) {
        return watcher.name() + ":" + since.toEpochMilli() + ":unreachable";
    }

    private static Map<String, String> labels(WatchersConfig.Watcher watcher, Level level) {
        return watcher.alertLabels(watcher.alert(), level.label());
    }

    private static Map<String, String> unreachableLabels(WatchersConfig.Watcher watcher) {
        return watcher.alertLabels(UNREACHABLE_ALERT, "warning");
    }

    /** Every watcher and how it stands, for {@code /diag watchers}. */
    public ProbeResult overview() {
        List<List<String>> rows = new ArrayList<>();
        ProbeResult.Status worst = ProbeResult.Status.OK;
        for (WatchersConfig.Watcher watcher : config.watchers()) {
            WatcherState state = store.state(watcher.name()).orElseGet(() -> WatcherState.fresh(watcher.name()));
            Optional<Long> cursor = watcher.condition() == WatchersConfig.Condition.EVENTS ? store.cursor(watcher.name()) : Optional.empty();
            String standing = state.unreachableSince() != null ? "cannot reach its target since " + state.unreachableSince()
                    : state.lastRunAt() == null && !lastRuns.containsKey(watcher.name()) ? "not run yet"
                    : state.raised().isEmpty() ? "ok" + cursor.map(c -> ", read through block " + c).orElse("")
                            + (cursor.isPresent() && state.lastRaisedAt() != null ? ", last alert " + state.lastRaisedAt() : "")
                    : state.level().label() + " since " + state.episodeStart();
            ProbeResult.Status status = state.unreachableSince() != null ? ProbeResult.Status.ERROR
                    : state.level() == Level.CRITICAL ? ProbeResult.Status.CRITICAL
                    : state.level() == Level.WARNING ? ProbeResult.Status.WARNING : ProbeResult.Status.OK;
            worst = ProbeResult.worst(worst, status);
            rows.add(List.of(watcher.name(), watcher.probe(), Durations.format(watcher.every()), watcher.alert(), standing,
                    lastRuns.containsKey(watcher.name()) ? lastRuns.get(watcher.name()).toString()
                            : state.lastRunAt() == null ? "-" : state.lastRunAt().toString()));
        }
        long alerting = rows.stream().filter(r -> !r.get(4).startsWith("ok") && !r.get(4).equals("not run yet")).count();
        String summary = config.watchers().size() + " watcher(s), " + alerting + " alerting or unreachable";
        return new ProbeResult(worst, summary, Message.builder().heading("Watchers")
                .table(List.of("watcher", "probe", "every", "alert", "state", "last run"), rows).build());
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
