package dev.firebreak.diagnostic;

import dev.firebreak.chat.Outbox;
import dev.firebreak.chat.PostPages;
import dev.firebreak.chat.Reply;
import dev.firebreak.command.CommandContext;
import dev.firebreak.command.CommandHandler;
import dev.firebreak.command.CommandSpec;
import dev.firebreak.command.Outcome;
import dev.firebreak.command.ParsedCommand;
import dev.firebreak.incident.Incident;
import dev.firebreak.incident.IncidentService;
import dev.firebreak.incident.TimelineEntry;
import dev.firebreak.incident.TimelineEvent;
import dev.firebreak.kernel.Message;
import dev.firebreak.probe.ProbeResult;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Runs the probe a {@code /diag ...} command names, within its deadline ({@link ProbeDeadline}), posts the result in the
 * channel and puts it on the incident's timeline. Long output goes out a page at a time
 * ({@link PostPages}, {@code --page N} for the next). A probe that cannot run is a result
 * (ERROR), never an exception in chat.
 */
public final class DiagnosticCommand implements CommandHandler {

    private final ProbeRunner probes;
    private final IncidentService incidents;
    private final Outbox outbox;
    private final PostPages pages;

    public DiagnosticCommand(ProbeRunner probes, IncidentService incidents, Outbox outbox, PostPages pages) {
        this.probes = probes;
        this.incidents = incidents;
        this.outbox = outbox;
        this.pages = pages;
    }

    /**
     * Runs the probe and records the run on an open incident's timeline whatever page is asked
     * for, then posts that page; a page past the end (known only once the output is there) is
     * answered like any page that is not there, saying how many there are and what to type.
     */
    @Override
    public Outcome handle(CommandContext ctx) {
        ParsedCommand command = ctx.command();
        ProbeResult result = run(command);
        Optional<Incident> incident = incidents.ofCommand(ctx).filter(Incident::open);
        incident.ifPresent(i -> incidents.record(i, TimelineEntry.of(TimelineEvent.Type.DIAGNOSTIC, ctx.actor(),
                        command.spec().path() + ": " + result.status() + " " + result.summary())
                .from(ctx.fromRunbook() ? TimelineEvent.Source.RUNBOOK : TimelineEvent.Source.PERSON)
                .with("status", result.status().name())));
        if (ctx.fromRunbook()) {
            // the runbook posts the step with its result under it
            return new Outcome.Done(Reply.publicly(result.summary()), result.status().name(), result.details());
        }
        String line = (command.spec().path() + " " + String.join(" ", command.args().values())).strip();
        Message page = pages.details(ctx.platform(), Message.builder()
                        .paragraph(result.status().icon(), "`" + line + "`: " + result.summary()).build(),
                result.details(), command.page(), PostPages.LINES, "lines", line + " --" + CommandSpec.PAGE_OPTION).message();
        outbox.enqueue(ctx.platform(), ctx.channelId(), page);
        return new Outcome.Done(new Reply(Reply.Visibility.PUBLIC, Message.text(result.status().icon(), result.summary())), result.status().name(),
                result.details());
    }

    private ProbeResult run(ParsedCommand command) {
        Map<String, String> args = new HashMap<>(command.spec().with());
        args.putAll(command.args());
        return probes.run(command.spec().target().name(), args);
    }
}
