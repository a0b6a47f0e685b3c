package dev.firebreak.diagnostic;

import dev.firebreak.chat.Outbox;
import dev.firebreak.chat.PostPages;
import dev.firebreak.command.CommandSpec;
import dev.firebreak.command.CommandLineParser;
import dev.firebreak.command.ParsedCommand;
import dev.firebreak.command.UsageError;
import dev.firebreak.incident.Incident;
import dev.firebreak.incident.IncidentService;
import dev.firebreak.incident.TimelineEntry;
import dev.firebreak.incident.TimelineEvent;
import dev.firebreak.kernel.Icon;
import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.kernel.Message;
import dev.firebreak.probe.ProbeResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * The first diagnostic snapshot of every declared incident: the checks {@code bot/snapshot.yaml}
 * gives its matched runbook or its severity, run at once in the background when the incident is
 * declared (the kickoff never waits for them), posted as one message in the incident's channel
 * and put on its timeline. Each check shows the first page of its output, {@link #LINES_PER_CHECK}
 * lines at most, with the command for the rest ({@link PostPages}).
 */
public final class FirstSnapshot implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FirstSnapshot.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final SnapshotConfig config;
    private final CommandLineParser parser;
    private final ProbeRunner probes;
    private final IncidentService incidents;
    private final Outbox outbox;
    private final PostPages pages;
    private final Clock clock;
    /** Lines of each check's output in the snapshot; the rest is a {@code --page} away. */
    static final int LINES_PER_CHECK = 5;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<CompletableFuture<?>> taking = ConcurrentHashMap.newKeySet();

    public FirstSnapshot(SnapshotConfig config, CommandLineParser parser, ProbeRunner probes, IncidentService incidents,
                         Outbox outbox, PostPages pages, Clock clock) {
        this.config = config;
        this.parser = parser;
        this.probes = probes;
        this.incidents = incidents;
        this.outbox = outbox;
        this.pages = pages;
        this.clock = clock;
    }

    /** Takes the snapshot of a just declared incident in the background; returns at once. */
    public CompletableFuture<Optional<Message>> declared(Incident incident, List<String> matchedRunbooks) {
        CompletableFuture<Optional<Message>> snapshot = CompletableFuture.supplyAsync(() -> take(incident, matchedRunbooks), threads)
                .exceptionally(e -> {
                    log.warn("The first snapshot of {} failed: {}", incident.id(), e.toString());
                    return Optional.empty();
                });
        taking.add(snapshot);
        snapshot.whenComplete((message, failure) -> taking.remove(snapshot));
        return snapshot;
    }

    /**
     * Waits, up to {@code limit}, for the snapshots being taken to be posted; the console uses it
     * so that a declaration's snapshot follows its line.
     */
    public void awaitTaken(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        for (CompletableFuture<?> snapshot : List.copyOf(taking)) {
            try {
                snapshot.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | CancellationException e) {
                // a snapshot reports its own failures
            }
        }
    }

    /** One check's line and what its probe found. */
    private record Check(String line, ProbeResult result) {}

    private Optional<Message> take(Incident incident, List<String> matchedRunbooks) {
        List<String> lines = config.checksFor(incident.severity(), matchedRunbooks);
        if (lines.isEmpty()) return Optional.empty();
        Instant started = clock.instant();
        List<CompletableFuture<Check>> running = lines.stream()
                .map(line -> CompletableFuture.supplyAsync(() -> new Check(line, run(line)), threads)).toList();
        List<Check> checks = running.stream().map(CompletableFuture::join).toList();
        Duration took = Duration.between(started, clock.instant());

        ProbeResult.Status worst = checks.stream().map(c -> c.result().status()).reduce(ProbeResult.Status.OK, ProbeResult::worst);
        long notOk = checks.stream().filter(c -> c.result().status() != ProbeResult.Status.OK).count();
        Message.Builder message = Message.builder().heading(worst.icon(), "First snapshot of " + incident.id() + ": "
                + (notOk == 0 ? checks.size() == 1 ? "its 1 check OK" : "all " + checks.size() + " checks OK" : notOk + " of " + checks.size() + " checks not OK"));
        for (Check check : checks) {
            message.append(pages.details(incident.platform(), Message.builder().paragraph(check.result().status().icon(),
                    "`" + check.line() + "`: " + check.result().summary()).build(), check.result().details(), 1, LINES_PER_CHECK,
                    "lines", check.line() + " --" + CommandSpec.PAGE_OPTION).message());
        }
        message.note("Taken at " + TIME.format(started) + " in " + took.toSeconds() + " s; run any of these again to refresh it.");
        Message built = message.build();
        try {
            incidents.record(incident, new TimelineEntry(TimelineEvent.Type.DIAGNOSTIC, TimelineEvent.Source.SNAPSHOT,
                    IncidentService.BOT, "First snapshot: " + checks.stream()
                            .map(c -> c.line() + " " + c.result().status() + " " + c.result().summary()).collect(Collectors.joining("; ")),
                    Map.of("status", worst.name(), "checks", String.valueOf(checks.size()))));
        } catch (RuntimeException e) {
            log.warn("The first snapshot of {} could not be put on its timeline: {}", incident.id(), e.toString());
        }
        outbox.enqueue(incident.platform(), incident.channelId(), built);
        return Optional.of(built);
    }

    private ProbeResult run(String line) {
        try {
            ParsedCommand command = parser.parse(line);
            Map<String, String> args = new HashMap<>(command.spec().with());
            args.putAll(command.args());
            return probes.run(command.spec().target().name(), args);
        } catch (UsageError | InvalidInput e) {
            return ProbeResult.of(ProbeResult.Status.ERROR, "cannot run (" + e.getMessage().replaceFirst("\\.$", "")
                    + "); fix this check in bot/snapshot.yaml");
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
