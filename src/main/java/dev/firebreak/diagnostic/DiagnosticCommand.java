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
import dev.firebreak.kernel.StoreUnavailable;
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
        return handle(ctx, () -> {});
    }

    /**
     * The command's journal entry and the look-up of its channel's incident are made while the
     * probe reads, once it has accepted its arguments, so the answer waits for the store only to
     * queue its post; a probe that refuses its arguments leaves no entry. A probe that failed or
     * timed out is a result like any other: its entry is written all the same. When the store fails
     * after the probe has read, the answer says what it found and what was not done with it.
     */
    @Override
    public Outcome handle(CommandContext ctx, Runnable journal) {
        ParsedCommand command = ctx.command();
        Alongside alongside = new Alongside(ctx, journal);
        ProbeResult result = run(command, alongside);
        Optional<Incident> incident = alongside.incident();
        String line = (command.spec().path() + " " + String.join(" ", command.args().values())).strip();
        String found = "`" + line + "` ran and found " + result.status() + " (" + result.summary() + ")";
        try {
            incident.ifPresent(i -> incidents.record(i, TimelineEntry.of(TimelineEvent.Type.DIAGNOSTIC, ctx.actor(),
                            command.spec().path() + ": " + result.status() + " " + result.summary())
                    .from(ctx.fromRunbook() ? TimelineEvent.Source.RUNBOOK : TimelineEvent.Source.PERSON)
                    .with("status", result.status().name())));
        } catch (StoreUnavailable e) {
            throw e.after(found + ", but it is not on " + incident.get().id() + "'s timeline and was not posted");
        }
        if (ctx.fromRunbook()) {
            // the runbook posts the step with its result under it
            return new Outcome.Done(Reply.publicly(result.summary()), result.status().name(), result.details());
        }
        Message page = pages.details(ctx.platform(), Message.builder()
                        .paragraph(result.status().icon(), "`" + line + "`: " + result.summary()).build(),
                result.details(), command.page(), PostPages.LINES, "lines", line + " --" + CommandSpec.PAGE_OPTION).message();
        try {
            outbox.enqueue(ctx.platform(), ctx.channelId(), page);
        } catch (StoreUnavailable e) {
            throw e.after(found + ", but it was not posted in the channel"
                    + incident.map(i -> " (it is on " + i.id() + "'s timeline)").orElse(""));
        }
        return new Outcome.Done(new Reply(Reply.Visibility.PUBLIC, Message.text(result.status().icon(), result.summary())), result.status().name(),
                result.details());
    }

    /** What the command reads and writes in the store while its probe reads: the open incident of its channel, then its journal entry. */
    private final class Alongside implements Runnable {
        private final CommandContext ctx;
        private final Runnable journal;
        private Optional<Incident> incident;

        Alongside(CommandContext ctx, Runnable journal) {
            this.ctx = ctx;
            this.journal = journal;
        }

        /** The look-up first: when the store fails it, nothing was recorded, as the answer then says. */
        @Override
        public void run() {
            incident = incidents.ofCommand(ctx).filter(Incident::open);
            journal.run();
        }

        /** The incident, after writing the entry now if the probe never got as far as reading (not available, failed to start). */
        Optional<Incident> incident() {
            if (incident == null) run();
            return incident;
        }
    }

    private ProbeResult run(ParsedCommand command, Runnable meanwhile) {
        Map<String, String> args = new HashMap<>(command.spec().with());
        args.putAll(command.args());
        return probes.run(command.spec().target().name(), args, meanwhile);
    }
}
