package dev.firebreak.incident;

import dev.firebreak.chat.Outbox;
import dev.firebreak.chat.PostPages;
import dev.firebreak.chat.Reply;
import dev.firebreak.command.CommandContext;
import dev.firebreak.command.CommandHandler;
import dev.firebreak.command.Outcome;
import dev.firebreak.incident.TimelineEvent.Type;
import dev.firebreak.kernel.Icon;
import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.kernel.StoreUnavailable;
import dev.firebreak.kernel.Message;
import dev.firebreak.kernel.Page;

import dev.firebreak.kernel.Durations;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The {@code /incident ...} commands: declare, update, status, severity, roles, timeline, resolve and the drafts. */
public final class IncidentCommands {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final Set<String> COMMUNICATIONS = Set.of("incident-report", "status-page-investigating",
            "status-page-resolved", "security-statement", "resolution-notice");

    /** The word after {@code /incident post} that publishes to the public status page rather than drafting. */
    private static final String STATUS_PAGE = "status-page";

    /** A declaration this soon after an open one with a similar title is probably the same outage. */
    private static final Duration DUPLICATE_WINDOW = Duration.ofMinutes(30);
    /** Pages small enough to be one post on every platform; the rest is a command away. */
    static final int LIST_PAGE = 20;
    /** {@code /incident list} counts the open incidents up to this many; past it, its pages say "more than". */
    static final int LIST_COUNTED_UP_TO = 1_000;
    /** A post-mortem page: at most this many lines of the draft, fewer where they would not be one post. */
    static final int POSTMORTEM_PAGE_LINES = 40;

    private final IncidentService incidents;
    private final Outbox outbox;
    private final PostPages pages;
    private final RunbookSuggestions suggestions;
    private final List<IncidentActivity> activities;
    private final PublicStatusPage statusPage;
    private final Clock clock;

    public IncidentCommands(IncidentService incidents, Outbox outbox, PostPages pages, RunbookSuggestions suggestions,
                            List<IncidentActivity> activities, PublicStatusPage statusPage, Clock clock) {
        this.incidents = incidents;
        this.outbox = outbox;
        this.pages = pages;
        this.suggestions = suggestions;
        this.activities = List.copyOf(activities);
        this.statusPage = statusPage;
        this.clock = clock;
    }

    /** The handlers by the builtin names that {@code commands/incident.yaml} points at. */
    public Map<String, CommandHandler> handlers() {
        Map<String, CommandHandler> handlers = new LinkedHashMap<>();
        handlers.put("incident.declare", this::declare);
        handlers.put("incident.update", this::update);
        handlers.put("incident.status", this::status);
        handlers.put("incident.severity", this::severity);
        handlers.put("incident.assign", this::assign);
        handlers.put("incident.timeline", this::timeline);
        handlers.put("incident.resolve", this::resolve);
        handlers.put("incident.postmortem", this::postmortem);
        handlers.put("incident.list", this::list);
        handlers.put("incident.post", this::postTemplate);
        return handlers;
    }

    private Outcome declare(CommandContext ctx) {
        Severity severity = incidents.severity(ctx.arg("severity")).orElseThrow();
        String title = ctx.arg("title");
        boolean security = ctx.command().flag("security");
        if (!ctx.command().flag("new")) {
            Optional<Incident> same;
            try {
                same = incidents.similarRecent(title, DUPLICATE_WINDOW);
            } catch (StoreUnavailable e) {
                throw e.after(IncidentService.NOTHING_DECLARED);
            }
            if (same.isPresent()) {
                Incident other = same.get();
                return Outcome.refused(other.id() + " (" + (other.security() ? "a security incident" : other.title()) + ") was declared "
                        + Durations.format(Duration.between(other.declaredAt(), clock.instant()).withNanos(0)) + " ago by "
                        + other.declaredBy() + (other.security() ? "" : " in #" + other.channelName()) + ". Join it there; if this is a different "
                        + "incident, declare it with --new.");
            }
        }
        Incident incident = incidents.declare(ctx.platform(), ctx.actor(), severity, title, security,
                suggestions.forIncident(title, security));
        String declared = "Declared " + incident.id() + " [" + severity.id() + "] in #" + incident.channelName() + ".";
        // a security incident's command line names it: the answer stays with the declarer, so nothing echoes it
        return security ? Outcome.done(Reply.privately(declared)) : done(declared);
    }

    private Outcome update(CommandContext ctx) {
        Incident incident = incidents.requireOpenFor(ctx);
        incidents.postUpdate(incident, ctx.actor(), ctx.arg("text"));
        return done(ctx, incident, "Update posted for " + incident.id() + ".");
    }

    private Outcome status(CommandContext ctx) {
        if (ctx.arg("status") == null) return state(incidents.requireFor(ctx));
        Incident incident = incidents.requireOpenFor(ctx);
        IncidentStatus status = IncidentStatus.parse(ctx.arg("status")).orElseThrow();
        if (status == IncidentStatus.RESOLVED) {
            throw new InvalidInput("Resolve with /incident resolve <root cause>, so the resolution notice is posted.");
        }
        incidents.changeStatus(incident, ctx.actor(), status);
        return done(ctx, incident, incident.id() + " is now " + status.label() + ".");
    }

    /** What a commander needs at a glance: severity, status, roles, age, updates, and the work still pending. */
    private Outcome state(Incident incident) {
        Instant now = clock.instant();
        Severity severity = incidents.severityOf(incident);
        List<Message.Field> fields = new ArrayList<>();
        fields.add(new Message.Field("Severity", severity.id() + " (" + severity.name() + ")"));
        fields.add(new Message.Field("Status", incident.status().label()));
        List<String> roles = new ArrayList<>();
        for (String role : IncidentService.INCIDENT_ROLES) {
            incidents.holder(incident.number(), role).ifPresent(person -> roles.add(role + " " + person));
        }
        fields.add(new Message.Field("Roles", roles.isEmpty() ? "none" : String.join(", ", roles)));
        fields.add(new Message.Field("Age", Durations.format(Duration.between(incident.declaredAt(), now).withNanos(0))));
        if (incident.open()) {
            Instant due = incident.lastUpdateAt().plus(severity.updateEvery());
            fields.add(new Message.Field("Last update", Durations.format(Duration.between(incident.lastUpdateAt(), now).withNanos(0))
                    + " ago; next " + (now.isBefore(due) ? "due in " + Durations.format(Duration.between(now, due).withNanos(0))
                    : "overdue by " + Durations.format(Duration.between(due, now).withNanos(0)))));
        } else {
            fields.add(new Message.Field("Resolved", TIME.format(incident.resolvedAt()) + " UTC: " + incident.rootCause()));
        }
        Message.Builder out = Message.builder().heading(incident.id() + " [" + incident.severity() + "] " + incident.title())
                .fields(fields);
        List<String> pending = activities.stream().flatMap(a -> a.describe(incident).stream()).toList();
        out.paragraph(pending.isEmpty() ? "Nothing pending: no approvals waiting, no runbook running." : String.join("\n", pending));
        return Outcome.done(Reply.privately(out.build()));
    }

    private Outcome severity(CommandContext ctx) {
        Incident incident = incidents.requireOpenFor(ctx);
        Severity severity = incidents.severity(ctx.arg("severity")).orElseThrow();
        incidents.changeSeverity(incident, ctx.actor(), severity);
        return done(ctx, incident, incident.id() + " is now " + severity.id() + ".");
    }

    private Outcome assign(CommandContext ctx) {
        Incident incident = incidents.requireOpenFor(ctx);
        incidents.assign(incident, ctx.actor(), ctx.arg("role"), ctx.arg("person"));
        return done(ctx, incident, ctx.arg("person") + " is " + ctx.arg("role") + " of " + incident.id() + ".");
    }

    /** The timeline a page at a time, each page one post ({@link PostPages}): as many events a page as fit, 20 at most. */
    private Outcome timeline(CommandContext ctx) {
        Incident incident = incidents.requireVisibleFor(ctx, "timeline");
        String command = ("/incident timeline " + (ctx.incident().isPresent() ? incident.id() : "")).strip();
        Paged<TimelineEvent> events = incidents.timeline(incident, ctx.command().page(), PostPages.LINES, command);
        List<List<String>> rows = new ArrayList<>();
        for (TimelineEvent e : events.items()) {
            rows.add(List.of(TIME.format(e.at()), e.actor(), e.type().stored().replace('_', ' '), e.text()));
        }
        Page page = events.page();
        outbox.enqueue(ctx.platform(), ctx.channelId(), pages.window(ctx.platform(),
                Message.builder().heading("Timeline of " + incident.id() + " [" + incident.severity() + "] " + incident.title()).build(),
                Message.builder().table(List.of("time (UTC)", "who", "what", "details"), rows).build(), Message.builder().build(),
                page, "events", command));
        return done("Timeline of " + incident.id() + " posted (" + (page.pages() == 1 ? page.total() + " events"
                : "page " + page.number() + " of " + page.pages() + ", " + page.total() + " events") + ").");
    }

    private Outcome resolve(CommandContext ctx) {
        Incident incident = incidents.requireOpenFor(ctx);
        IncidentService.Resolution resolution = incidents.resolve(incident, ctx.actor(), ctx.arg("root_cause"));
        // offered, never published: the page changes only when someone publishes the resolution
        statusPage.resolutionHint(resolution.incident()).ifPresent(hint ->
                outbox.enqueue(incident.platform(), incident.channelId(), Message.text(Icon.INFO, hint)));
        return done(ctx, incident, incident.id() + " resolved." + (resolution.ended().isEmpty() ? ""
                : " Cancelled the approval requests still waiting: " + String.join(", ", resolution.ended()) + ".")
                + " /incident postmortem drafts the post-mortem.");
    }

    private Outcome postmortem(CommandContext ctx) {
        Incident incident = incidents.requireVisibleFor(ctx, "post-mortem draft");
        String command = ("/incident postmortem " + (ctx.incident().isPresent() ? incident.id() : "")).strip();
        PostPages.Shown shown = pages.page(ctx.platform(), Message.builder().heading("Post-mortem draft for " + incident.id()).build(),
                Message.builder().preformatted(incidents.postmortemDraft(incident)).build(), Message.builder().build(),
                ctx.command().page(), POSTMORTEM_PAGE_LINES, "lines", command);
        outbox.enqueue(ctx.platform(), ctx.channelId(), shown.message());
        Page page = shown.page();
        return done("Post-mortem draft posted" + (page.pages() == 1 ? "." : " (page " + page.number() + " of " + page.pages() + ")."));
    }

    private Outcome list(CommandContext ctx) {
        Paged<Incident> page = incidents.open(ctx.command().page(), LIST_PAGE, LIST_COUNTED_UP_TO, "/incident list");
        List<List<String>> rows = new ArrayList<>();
        for (Incident i : page.items()) {
            boolean visible = incidents.detailsVisibleIn(i, ctx.platform(), ctx.channelId());
            rows.add(List.of(i.id(), i.severity(), i.status().label(), visible ? i.title() : IncidentService.SECURITY_INCIDENT,
                    visible ? "#" + i.channelName() : "(private)", incidents.holder(i.number(), "commander").orElse("-")));
        }
        Message.Builder message = Message.builder().heading("Open incidents")
                .table(List.of("id", "sev", "status", "title", "channel", "commander"), rows);
        String footer = page.page().footer("incidents", "/incident list");
        if (!footer.isEmpty()) message.paragraph(footer);
        return Outcome.done(Reply.privately(message.build()));
    }

    private Outcome postTemplate(CommandContext ctx) {
        String template = ctx.arg("template");
        if (STATUS_PAGE.equals(template)) return statusPage.publish(ctx, incidents.requireVisibleFor(ctx, "status page update"));
        Incident incident = incidents.requireVisibleFor(ctx, "communication draft");
        if (ctx.arg("component") != null) {
            throw new InvalidInput("/incident post " + template + " drafts a template and takes nothing after its name; "
                    + "/incident post status-page <component> <state> <text> publishes to the status page.");
        }
        if (!COMMUNICATIONS.contains(template)) {
            throw new InvalidInput("Unknown template " + template + "; use one of " + String.join(", ", COMMUNICATIONS) + ".");
        }
        String text = incidents.communication(incident, template);
        outbox.enqueue(ctx.platform(), ctx.channelId(), Message.builder()
                .paragraph("Template *" + template + "* for " + incident.id() + " (fill the [BRACKETS] before publishing):")
                .preformatted(text).build());
        incidents.record(incident, ctx.actor(), Type.COMMUNICATION, "Drafted " + template);
        return done("Template " + template + " posted.");
    }

    private static Outcome done(String text) {
        return Outcome.done(Reply.publicly(text));
    }

    /**
     * The answer to a command about {@code incident}: private when it was typed outside the
     * channel of a security incident, so no platform echoes the command line (which may hold its
     * details) where others see it.
     */
    private Outcome done(CommandContext ctx, Incident incident, String text) {
        return incidents.detailsVisibleIn(incident, ctx.platform(), ctx.channelId()) ? done(text) : Outcome.done(Reply.privately(text));
    }
}
