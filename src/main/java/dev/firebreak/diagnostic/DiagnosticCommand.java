package dev.firebreak.diagnostic;

import dev.firebreak.chat.Outbox;
import dev.firebreak.chat.Reply;
import dev.firebreak.command.CommandContext;
import dev.firebreak.command.CommandHandler;
import dev.firebreak.command.Outcome;
import dev.firebreak.command.ParsedCommand;
import dev.firebreak.incident.Incident;
import dev.firebreak.incident.IncidentService;
import dev.firebreak.incident.TimelineEntry;
import dev.firebreak.incident.TimelineEvent;
import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.kernel.Message;
import dev.firebreak.probe.Probe;
import dev.firebreak.probe.ProbeResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs the probe a {@code /diag ...} command names, within a deadline, posts the result in the
 * channel and puts it on the incident's timeline. A probe that cannot run is a result (ERROR),
 * never an exception in chat.
 */
public final class DiagnosticCommand implements CommandHandler, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DiagnosticCommand.class);
    private static final Duration DEADLINE = Duration.ofSeconds(20);

    private final Map<String, Probe> probes;
    private final IncidentService incidents;
    private final Outbox outbox;
    private final MeterRegistry metrics;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    public DiagnosticCommand(Map<String, Probe> probes, IncidentService incidents, Outbox outbox, MeterRegistry metrics) {
        this.probes = Map.copyOf(probes);
        this.incidents = incidents;
        this.outbox = outbox;
        this.metrics = metrics;
        probes.keySet().stream().map(DiagnosticCommand::family).distinct()
                .forEach(family -> { for (ProbeResult.Status status : ProbeResult.Status.values()) counter(family, status); });
    }

    /** The family of a probe is the part of its name before the first dot: chain, k8s, http, sql. */
    static String family(String probe) {
        int dot = probe.indexOf('.');
        return dot < 0 ? probe : probe.substring(0, dot);
    }

    private Counter counter(String family, ProbeResult.Status status) {
        return Counter.builder("firebreak.probes")
                .description("Probes run (by /diag and runbook steps), by probe family and result: ok, warning, critical, "
                        + "or error when the probe could not run (unreachable, timed out, failed)")
                .tag("family", family)
                .tag("outcome", status.name().toLowerCase(Locale.ROOT))
                .register(metrics);
    }


    @Override
    public Outcome handle(CommandContext ctx) {
        ParsedCommand command = ctx.command();
        ProbeResult result = run(command);
        counter(family(command.spec().target().name()), result.status()).increment();
        String line = (command.spec().path() + " " + String.join(" ", command.args().values())).strip();
        Optional<Incident> incident = incidents.ofCommand(ctx).filter(Incident::open);
        incident.ifPresent(i -> incidents.record(i, TimelineEntry.of(TimelineEvent.Type.DIAGNOSTIC, ctx.actor(),
                        command.spec().path() + ": " + result.status() + " " + result.summary())
                .from(ctx.fromRunbook() ? TimelineEvent.Source.RUNBOOK : TimelineEvent.Source.PERSON)
                .with("status", result.status().name())));
        if (ctx.fromRunbook()) {
            // the runbook posts the step with its result under it
            return new Outcome.Done(Reply.publicly(result.summary()), result.status().name(), result.details());
        }
        outbox.enqueue(ctx.platform(), ctx.channelId(), Message.builder()
                .paragraph(result.status().icon(), "`" + line + "`: " + result.summary())
                .append(result.details())
                .build());
        return new Outcome.Done(new Reply(Reply.Visibility.PUBLIC, Message.text(result.status().icon(), result.summary())), result.status().name(),
                result.details());
    }

    private ProbeResult run(ParsedCommand command) {
        String name = command.spec().target().name();
        Probe probe = probes.get(name);
        if (probe == null) {
            return ProbeResult.of(ProbeResult.Status.ERROR, "the probe " + name + " is not available in this deployment");
        }
        Map<String, String> args = new HashMap<>(command.spec().with());
        args.putAll(command.args());
        Future<ProbeResult> future = threads.submit(() -> probe.run(args));
        try {
            return future.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return ProbeResult.of(ProbeResult.Status.ERROR, "no answer within " + DEADLINE.toSeconds() + " s; the probe was abandoned");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof InvalidInput invalid) throw invalid;
            log.error("Probe {} failed", name, e.getCause());
            return ProbeResult.of(ProbeResult.Status.ERROR, "the probe failed inside Firebreak ("
                    + e.getCause().getClass().getSimpleName() + "); see the bot's log");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ProbeResult.of(ProbeResult.Status.ERROR, "interrupted");
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
