package dev.firebreak.status;

import dev.firebreak.chat.Outbox;
import dev.firebreak.chat.Reply;
import dev.firebreak.command.CommandContext;
import dev.firebreak.command.Outcome;
import dev.firebreak.incident.Incident;
import dev.firebreak.incident.IncidentService;
import dev.firebreak.incident.IncidentStatus;
import dev.firebreak.incident.PublicStatusPage;
import dev.firebreak.incident.TimelineEvent.Type;
import dev.firebreak.kernel.Durations;
import dev.firebreak.kernel.Emoji;
import dev.firebreak.kernel.Icon;
import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.kernel.Message;
import dev.firebreak.kernel.Redactor;
import dev.firebreak.kernel.WebPage;
import dev.firebreak.kernel.WebhookResponse;
import dev.firebreak.template.Templates;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The public status page: what {@code /incident post status-page} publishes and what
 * {@code GET /status} shows. The rules of what may be public live here and only here: only the
 * incident's communications lead or commander publishes; the text is seed 003's status-page
 * templates filled with public values only (never the incident's own title, channel or people);
 * a security incident shows nothing but the security statement, and only when someone publishes
 * it by name (seed 002: do not disclose before patched).
 */
public final class StatusPage implements PublicStatusPage {

    private static final Logger log = LoggerFactory.getLogger(StatusPage.class);

    /** How far back the page shows resolved incidents. */
    public static final Duration HISTORY = Duration.ofDays(7);
    /** The word that publishes the security statement for a security incident. */
    public static final String SECURITY_STATEMENT = "security-statement";
    /** A security incident's name on the page: nothing about what happened. */
    static final String SECURITY_TITLE = "Potential security issue";

    private static final DateTimeFormatter UTC = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final StatusPageConfig config;
    private final StatusPageStore store;
    private final IncidentService incidents;
    private final Outbox outbox;
    private final Templates templates;
    private final Clock clock;

    public StatusPage(StatusPageConfig config, StatusPageStore store, IncidentService incidents, Outbox outbox, Templates templates,
                      Clock clock) {
        this.config = config;
        this.store = store;
        this.incidents = incidents;
        this.outbox = outbox;
        this.templates = templates;
        this.clock = clock;
    }

    @Override
    public Outcome publish(CommandContext ctx, Incident incident) {
        if (config.components().isEmpty()) {
            throw new InvalidInput("No status page is configured: list its components in bot/status-page.yaml first.");
        }
        String componentId = ctx.arg("component");
        String stateWord = ctx.arg("state");
        String text = ctx.arg("text");
        if (componentId == null || stateWord == null) {
            throw new InvalidInput("Name the component and its state: /incident post status-page <component> <state> <text>. "
                    + components() + " " + states());
        }
        StatusPageConfig.Component component = config.component(componentId.toLowerCase(java.util.Locale.ROOT))
                .orElseThrow(() -> new InvalidInput("The status page has no component " + componentId + ". " + components()));
        ComponentState state = ComponentState.parse(stateWord)
                .orElseThrow(() -> new InvalidInput(stateWord + " is not a component state. " + states()));
        List<String> publishers = publishers(incident);
        if (!publishers.contains(ctx.actor())) {
            throw new InvalidInput("Only the communications lead or the commander of " + incident.id() + " publishes to the status page"
                    + (publishers.isEmpty() ? " and it has neither" : " (" + String.join(", ", publishers) + ")")
                    + ". Ask them, or the commander to /incident assign communications <person>. Nothing was published.");
        }
        List<StatusUpdate> earlier = store.ofIncident(incident.number());
        IncidentStatus phase = incident.open() ? incident.status() : IncidentStatus.RESOLVED;
        if (phase == IncidentStatus.RESOLVED && state != ComponentState.OPERATIONAL) {
            throw new InvalidInput(incident.id() + " is resolved: publish " + component.id() + " as operational with the resolution, "
                    + "e.g. " + resolveCommand(incident, component.id()) + ". Nothing was published.");
        }
        String title = earlier.isEmpty() ? publicTitle(incident, component, state) : earlier.getFirst().publicTitle();
        // the templates are chat text: their emoji shortcodes become the emoji themselves for the public;
        // a secret typed into the text is masked like everywhere else
        String body = Redactor.redact(Emoji.shortcodesAsUnicode(body(incident, component, state, text, phase, title, earlier)));
        StatusUpdate update = store.add(new StatusUpdate(0, incident.number(), title, component.id(), state, phase, body,
                ctx.actor(), clock.instant()), config.pushTo().isPresent(), clock.instant());
        incidents.record(incident, ctx.actor(), Type.COMMUNICATION, "Published to the status page: " + component.name() + " "
                + state.label() + (phase == IncidentStatus.RESOLVED ? ", resolved" : ""));
        outbox.enqueue(incident.platform(), incident.channelId(), Message.builder()
                .paragraph(Icon.INFO, "Published to the status page for " + incident.id() + " by " + ctx.actor() + ": " + component.name()
                        + " is " + state.label() + (config.pushTo().isPresent() ? " (queued for Statuspage)" : "") + ".")
                .preformatted(update.body()).build());
        String answer = "Published to the status page for " + incident.id() + ".";
        return Outcome.done(incidents.detailsVisibleIn(incident, ctx.platform(), ctx.channelId())
                ? Reply.publicly(answer) : Reply.privately(answer));
    }

    @Override
    public Optional<String> resolutionHint(Incident resolved) {
        List<StatusUpdate> published = store.ofIncident(resolved.number());
        if (published.isEmpty() || published.getLast().phase() == IncidentStatus.RESOLVED) return Optional.empty();
        String component = published.reversed().stream().filter(u -> u.state() != ComponentState.OPERATIONAL)
                .map(StatusUpdate::component).findFirst().orElse(published.getLast().component());
        String preview = resolvedBody(resolved, published.getFirst().publicTitle(), resolved.security() ? null : "<root cause>");
        return Optional.of("The status page still shows " + resolved.id() + " as active. Publish its resolution when the public may "
                + "know: " + resolveCommand(resolved, component) + " posts:\n" + preview);
    }

    /** {@code GET /status} (HTML) and {@code GET /status.json}, for the operations server. */
    public Map<String, WebPage> pages() {
        return Map.of("/status", () -> document("text/html; charset=utf-8", StatusPageDocuments::html),
                "/status.json", () -> document("application/json", StatusPageDocuments::json));
    }

    private WebhookResponse document(String contentType, java.util.function.Function<StatusPageView, String> render) {
        try {
            return new WebhookResponse(200, contentType, render.apply(view()));
        } catch (RuntimeException e) {
            log.warn("The status page could not be built: {}", e.toString());
            return WebhookResponse.text(503, "The status page is unavailable right now; try again in a minute.");
        }
    }

    /** The page as the public sees it now. */
    public StatusPageView view() {
        Instant now = clock.instant();
        Map<Long, List<StatusUpdate>> byIncident = new LinkedHashMap<>();
        for (StatusUpdate u : store.forPage(now.minus(HISTORY))) byIncident.computeIfAbsent(u.incidentNumber(), n -> new ArrayList<>()).add(u);
        Map<String, ComponentState> states = new LinkedHashMap<>();
        List<StatusPageView.PublicIncident> active = new ArrayList<>();
        List<StatusPageView.PublicIncident> history = new ArrayList<>();
        for (List<StatusUpdate> updates : byIncident.values()) {
            boolean resolved = updates.getLast().phase() == IncidentStatus.RESOLVED;
            if (!resolved) {
                Map<String, ComponentState> latest = new LinkedHashMap<>();
                updates.forEach(u -> latest.put(u.component(), u.state()));
                latest.forEach((component, state) -> states.merge(component, state, ComponentState::worse));
            }
            (resolved ? history : active).add(publicIncident(updates));
        }
        Comparator<StatusPageView.PublicIncident> newestFirst = Comparator.comparing(StatusPageView.PublicIncident::lastUpdateAt).reversed();
        active.sort(newestFirst);
        history.sort(newestFirst);
        List<StatusPageView.Component> components = new ArrayList<>();
        ComponentState overall = ComponentState.OPERATIONAL;
        for (StatusPageConfig.Component c : config.components()) {
            ComponentState state = states.getOrDefault(c.id(), ComponentState.OPERATIONAL);
            overall = overall.worse(state);
            components.add(new StatusPageView.Component(c.id(), c.name(), c.description() == null ? "" : c.description(),
                    state.word(), state.label()));
        }
        String summary = overall == ComponentState.OPERATIONAL ? "All systems operational" : overall.label();
        return new StatusPageView(config.title(), now.toString(),
                new StatusPageView.Component("overall", summary, "", overall.word(), overall.label()), components, active, history);
    }

    private StatusPageView.PublicIncident publicIncident(List<StatusUpdate> updates) {
        LinkedHashSet<String> components = new LinkedHashSet<>();
        List<StatusPageView.Update> shown = new ArrayList<>();
        for (StatusUpdate u : updates.reversed()) {
            String name = config.component(u.component()).map(StatusPageConfig.Component::name).orElse(u.component());
            components.add(name);
            shown.add(new StatusPageView.Update(u.publishedAt().toString(), UTC.format(u.publishedAt()), u.phase().label(), name,
                    u.state().label(), u.body()));
        }
        StatusUpdate first = updates.getFirst();
        return new StatusPageView.PublicIncident("INC-" + first.incidentNumber(), first.publicTitle(), updates.getLast().phase().label(),
                first.publishedAt().toString(), UTC.format(first.publishedAt()), updates.getLast().publishedAt().toString(),
                List.copyOf(components), shown);
    }

    /** The incident's communications lead and commander, who alone publish. */
    private List<String> publishers(Incident incident) {
        List<String> people = new ArrayList<>();
        incidents.holder(incident.number(), "communications").ifPresent(people::add);
        incidents.holder(incident.number(), "commander").filter(p -> !people.contains(p)).ifPresent(people::add);
        return people;
    }

    private String body(Incident incident, StatusPageConfig.Component component, ComponentState state, String text,
                        IncidentStatus phase, String title, List<StatusUpdate> earlier) {
        if (incident.security()) {
            if (!SECURITY_STATEMENT.equalsIgnoreCase(text == null ? "" : text.strip())) {
                throw new InvalidInput(incident.id() + " is a security incident: nothing about it is disclosed before it is patched "
                        + "(seed 002), so the status page takes only the security statement. To publish it, run "
                        + "/incident post status-page " + component.id() + " " + state.word() + " " + SECURITY_STATEMENT
                        + ". Nothing was published.");
            }
            return phase == IncidentStatus.RESOLVED ? resolvedBody(incident, title, null) : templates.render("security-statement", Map.of());
        }
        if (text == null || text.isBlank()) {
            throw new InvalidInput("Give the text the public reads, e.g. /incident post status-page " + component.id() + " " + state.word()
                    + (earlier.isEmpty() ? " slow responses from the public RPC" : " Fix deployed, we are monitoring")
                    + ". Nothing was published.");
        }
        String impact = component.name() + ": " + state.label();
        if (phase == IncidentStatus.RESOLVED) return resolvedBody(incident, title, text.strip());
        if (earlier.isEmpty()) {
            return templates.render("status-page-investigating", Map.of("title", text.strip(), "impact", impact,
                    "startedUtc", UTC.format(incident.declaredAt()),
                    "updateEvery", Durations.format(incidents.severityOf(incident).updateEvery())));
        }
        return "[" + phase.label().toUpperCase(java.util.Locale.ROOT) + "] " + text.strip() + "\nImpact: " + impact;
    }

    /** Seed 003's resolution for the page: the public title, the duration, and the root cause as published (none for a security incident). */
    private String resolvedBody(Incident incident, String title, String rootCause) {
        Instant end = incident.resolvedAt() == null ? clock.instant() : incident.resolvedAt();
        return templates.render("status-page-resolved", Map.of("title", title,
                "duration", Durations.format(Duration.between(incident.declaredAt(), end).withNanos(0)),
                "rootCause", rootCause == null ? "details will be shared once it is safe to do so" : rootCause));
    }

    private String publicTitle(Incident incident, StatusPageConfig.Component component, ComponentState state) {
        return incident.security() ? SECURITY_TITLE : component.name() + ": " + state.label();
    }

    private static String resolveCommand(Incident incident, String component) {
        return "/incident post " + incident.id() + " status-page " + component + " operational "
                + (incident.security() ? SECURITY_STATEMENT : "<root cause, in words for the public>");
    }

    private String components() {
        return "Components: " + config.componentIds() + " (bot/status-page.yaml).";
    }

    private static String states() {
        return "States: " + ComponentState.words() + ".";
    }
}
