package dev.firebreak.oncall;

import dev.firebreak.chat.Reply;
import dev.firebreak.command.CommandContext;
import dev.firebreak.command.CommandHandler;
import dev.firebreak.command.Outcome;
import dev.firebreak.incident.Incident;
import dev.firebreak.incident.IncidentActivity;
import dev.firebreak.incident.IncidentService;
import dev.firebreak.chat.Outbox;
import dev.firebreak.template.Templates;
import dev.firebreak.incident.TimelineEvent;
import dev.firebreak.kernel.Durations;
import dev.firebreak.kernel.Icon;
import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.kernel.Message;
import dev.firebreak.people.People;
import dev.firebreak.people.Person;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code /oncall} (who is on call now and next, per rotation) and {@code /oncall override @person 4h}. */
public final class OncallCommands {

    /** An override longer than this is a schedule change: edit bot/oncall.yaml instead. */
    static final Duration LONGEST_OVERRIDE = Duration.ofDays(14);
    private static final DateTimeFormatter UPDATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("EEE MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final OnCallRoster roster;
    private final Escalations escalations;
    private final IncidentService incidents;
    private final People people;
    private final Outbox outbox;
    private final Templates templates;
    private final List<IncidentActivity> pendingWork;
    private final Clock clock;

    /** @param pendingWork what still waits in an incident (approvals, held runbook runs), listed in the handoff */
    public OncallCommands(OnCallRoster roster, Escalations escalations, IncidentService incidents, People people, Outbox outbox,
                          Templates templates, List<IncidentActivity> pendingWork, Clock clock) {
        this.roster = roster;
        this.escalations = escalations;
        this.incidents = incidents;
        this.people = people;
        this.outbox = outbox;
        this.templates = templates;
        this.pendingWork = List.copyOf(pendingWork);
        this.clock = clock;
    }

    /** The handlers by the builtin names {@code commands/oncall.yaml} and {@code /incident ack} point at. */
    public Map<String, CommandHandler> handlers() {
        return Map.of("oncall", ctx -> "override".equals(ctx.arg("action")) ? override(ctx) : show(ctx),
                "oncall.ack", this::acknowledge, "oncall.handoff", this::handoff);
    }

    /**
     * Seed 002's handoff checklist for the shift change nearest now: the outgoing and incoming
     * person of the rotation, every open incident (a security incident only as such outside its
     * channel) with its acknowledgement, pending approvals and held runbook runs.
     */
    private Outcome handoff(CommandContext ctx) {
        Instant now = clock.instant();
        Map<String, Object> values = new HashMap<>();
        values.put("from", ctx.actor());
        List<String> mentioned = new ArrayList<>();
        if (roster.rotations().isEmpty()) {
            values.putAll(Map.of("rotation", "the rotation", "rotationName", "none in bot/oncall.yaml", "outgoing", ctx.actor(),
                    "incoming", "the incoming engineer", "at", TIME.format(now)));
        } else {
            String rotation = ctx.arg("rotation") == null ? roster.rotations().getFirst() : ctx.arg("rotation");
            if (roster.rotation(rotation).isEmpty()) {
                throw new InvalidInput("Unknown rotation " + rotation + "; use one of " + String.join(", ", roster.rotations()) + ".");
            }
            OnCallRoster.OnCall current = roster.at(rotation, now);
            boolean justHandedOver = Duration.between(current.from(), now).compareTo(Duration.between(now, current.until())) < 0;
            OnCallRoster.OnCall outgoing = justHandedOver ? roster.at(rotation, current.from().minusSeconds(1)) : current;
            OnCallRoster.OnCall incoming = justHandedOver ? current : roster.next(rotation, now);
            values.putAll(Map.of("rotation", rotation, "rotationName", roster.rotation(rotation).orElseThrow().name(),
                    "outgoing", outgoing.person(), "incoming", incoming.person(),
                    "at", TIME.format(justHandedOver ? current.from() : current.until())));
            mentioned.addAll(List.of(outgoing.person(), incoming.person()));
        }
        List<Map<String, Object>> open = new ArrayList<>();
        for (Incident i : incidents.open()) {
            boolean visible = incidents.detailsVisibleIn(i, ctx.platform(), ctx.channelId());
            List<String> pending = pendingWork.stream().flatMap(a -> a.describe(i).stream()).toList();
            Map<String, Object> row = new HashMap<>();
            row.put("id", i.id());
            row.put("severity", i.severity());
            row.put("title", visible ? i.title() : IncidentService.SECURITY_INCIDENT);
            row.put("status", i.status().label());
            row.put("commander", incidents.holder(i.number(), "commander").orElse("none"));
            row.put("lastUpdate", UPDATED.format(i.lastUpdateAt()));
            row.put("acknowledgement", escalations.of(i).map(e -> e.acknowledged() ? "acknowledged by " + e.acknowledgedBy()
                    : "NOT acknowledged (level " + e.level() + " called)").orElse("nobody paged"));
            row.put("pending", visible || pending.isEmpty() ? pending
                    : List.of(pending.size() + " pending item" + (pending.size() == 1 ? "" : "s") + ", shown in its channel"));
            open.add(row);
        }
        values.put("incidents", open);
        outbox.enqueue(ctx.platform(), ctx.channelId(), Message.builder().paragraph(templates.render("handoff", values))
                .mentions(new java.util.LinkedHashSet<>(mentioned).stream()
                        .flatMap(p -> people.platformId(p, ctx.platform()).stream()).toList()).build());
        return Outcome.done(Reply.publicly("Handoff checklist posted."));
    }

    private Outcome acknowledge(CommandContext ctx) {
        Incident incident = incidents.requireOpenFor(ctx);
        String text = escalations.acknowledge(incident, ctx.actor(), TimelineEvent.Source.PERSON);
        return Outcome.done(incidents.detailsVisibleIn(incident, ctx.platform(), ctx.channelId()) ? Reply.publicly(text) : Reply.privately(text));
    }

    private Outcome show(CommandContext ctx) {
        if (ctx.arg("person") != null) {
            throw new InvalidInput("/oncall shows who is on call and takes nothing more; to cover for someone: /oncall override @person 4h");
        }
        if (roster.rotations().isEmpty()) {
            return Outcome.done(Reply.privately("No rotations are configured; add them to bot/oncall.yaml."));
        }
        Instant now = clock.instant();
        List<List<String>> rows = new ArrayList<>();
        for (String rotation : roster.rotations()) {
            OnCallRoster.OnCall current = roster.at(rotation, now);
            OnCallRoster.OnCall next = roster.next(rotation, now);
            rows.add(List.of(rotation + " (" + roster.rotation(rotation).orElseThrow().name() + ")",
                    current.person() + current.override().map(by -> " (override by " + by + ")").orElse(""),
                    TIME.format(current.until()), next.person() + next.override().map(by -> " (override)").orElse("")));
        }
        return Outcome.done(Reply.privately(Message.builder().heading("On call now")
                .table(List.of("rotation", "on call", "until", "next"), rows).build()));
    }

    private Outcome override(CommandContext ctx) {
        String usage = " Usage: /oncall override @person DURATION [ROTATION], e.g. /oncall override @bob 4h";
        if (ctx.arg("person") == null || ctx.arg("duration") == null) {
            throw new InvalidInput("Say who covers and for how long." + usage);
        }
        Person person = people.byReference(ctx.platform(), ctx.arg("person")).orElseThrow(() -> new InvalidInput(
                "Unknown person " + ctx.arg("person") + "; use one of " + String.join(", ", people.all().stream().map(Person::key).toList())
                        + "." + usage));
        Duration length;
        try {
            length = Durations.parse(ctx.arg("duration"));
        } catch (IllegalArgumentException e) {
            throw new InvalidInput("DURATION " + e.getMessage() + "." + usage);
        }
        if (length.toMinutes() < 1 || length.compareTo(LONGEST_OVERRIDE) > 0) {
            throw new InvalidInput("An override lasts from 1m to " + Durations.format(LONGEST_OVERRIDE) + "; for longer, change the rotation "
                    + "in bot/oncall.yaml.");
        }
        if (roster.rotations().isEmpty()) throw new InvalidInput("No rotations are configured; add them to bot/oncall.yaml.");
        String rotation = ctx.arg("rotation") == null ? roster.rotations().getFirst() : ctx.arg("rotation");
        if (roster.rotation(rotation).isEmpty()) {
            throw new InvalidInput("Unknown rotation " + rotation + "; use one of " + String.join(", ", roster.rotations()) + ".");
        }
        if (!ctx.person().hasRole("commander") && !ctx.actor().equals(person.key())) {
            return Outcome.refused("Only a commander or " + person.key() + " may put " + person.key() + " on call; ask "
                    + person.key() + " to run it, or a commander.");
        }
        Instant now = clock.instant();
        OnCallRoster.OnCall before = roster.at(rotation, now);
        roster.override(rotation, person.key(), now, now.plus(length), ctx.actor());
        String text = person.key() + " is on call for " + rotation + " until " + TIME.format(now.plus(length))
                + " (override by " + ctx.actor() + (before.person().equals(person.key()) ? ")." : "; covering " + before.person() + ").");
        outbox.enqueue(ctx.platform(), ctx.channelId(), Message.text(Icon.HANDOFF, text));
        return Outcome.done(Reply.publicly(text));
    }
}
