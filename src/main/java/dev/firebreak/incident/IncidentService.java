package dev.firebreak.incident;

import dev.firebreak.chat.ChatPlatform;
import dev.firebreak.chat.ChatPlatforms;
import dev.firebreak.kernel.Icon;
import dev.firebreak.kernel.Message;
import dev.firebreak.kernel.Page;
import dev.firebreak.chat.Outbox;
import dev.firebreak.kernel.Durations;
import dev.firebreak.people.People;
import dev.firebreak.template.Templates;
import dev.firebreak.command.CommandContext;
import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.kernel.StoreUnavailable;
import dev.firebreak.kernel.UnfinishedWrites;
import dev.firebreak.chat.ChatException;
import dev.firebreak.incident.TimelineEvent.Type;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Declares and runs incidents: the incident channel, kickoff, status updates in both channels,
 * roles, the timeline, cadence reminders, resolution and the post-mortem draft. Every change
 * goes on the timeline and into the audit log.
 */
public final class IncidentService {

    public static final List<String> INCIDENT_ROLES = List.of("commander", "communications", "scribe");
    public static final String BOT = "firebreak";
    /** How a security incident is named where its details may not be shown. */
    public static final String SECURITY_INCIDENT = "a security incident";
    /** What a declaration that the store refused before anything was created did. */
    static final String NOTHING_DECLARED = "no incident was declared and no channel was created";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final IncidentRepository incidents;
    private final Map<String, Severity> severities;
    private final People people;
    private final ChatPlatforms platforms;
    private final Outbox outbox;
    private final Templates templates;
    private final IncidentTimeline timeline;
    private final Clock clock;
    private final String channelPrefix;
    private final List<String> securityResponders;
    private final List<ResolutionListener> resolutionListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<DeclarationListener> declarationListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<java.util.function.Consumer<Incident>> recordedListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(IncidentService.class);
    /** Incidents being declared (in this process, or their writes wait for the store): not for the sweep in {@link #finishDeclarations()}. */
    private final Set<Long> declaring = ConcurrentHashMap.newKeySet();
    private final UnfinishedWrites unfinished = new UnfinishedWrites();

    /**
     * @param securityResponders roles whose holders get access to every security incident's channel when it is declared
     */
    public IncidentService(IncidentRepository incidents, List<Severity> severities, People people, ChatPlatforms platforms,
                           Outbox outbox, Templates templates, IncidentTimeline timeline, Clock clock, String channelPrefix,
                           List<String> securityResponders) {
        this.incidents = incidents;
        this.severities = new LinkedHashMap<>();
        severities.forEach(s -> this.severities.put(s.id(), s));
        this.people = people;
        this.platforms = platforms;
        this.outbox = outbox;
        this.templates = templates;
        this.timeline = timeline;
        this.clock = clock;
        this.channelPrefix = channelPrefix;
        this.securityResponders = List.copyOf(securityResponders);
    }

    public Optional<Severity> severity(String id) {
        return Optional.ofNullable(severities.get(id.toUpperCase(java.util.Locale.ROOT)));
    }

    public List<Severity> severities() {
        return List.copyOf(severities.values());
    }

    public Optional<Incident> find(long number) {
        return incidents.find(number);
    }

    public Optional<Incident> inChannel(String platform, String channelId) {
        return incidents.findByChannel(platform, channelId);
    }

    public List<Incident> open() {
        return incidents.open();
    }

    /**
     * The page {@code requested} of the open incidents, {@code size} a page. They are counted up to
     * {@code countedUpTo} only (beyond it the page says "more than"), so the first pages cost the
     * same at any size of the store; a page past the end, asked for by number, is counted out.
     */
    public Paged<Incident> open(int requested, int size, int countedUpTo, String command) {
        int counted = incidents.countOpen(countedUpTo + 1);
        Page page = counted > countedUpTo ? Page.atLeast(requested, size, countedUpTo, command)
                : Page.of(requested, size, counted, "incidents", command);
        List<Incident> items = incidents.open(page.offset(), page.size());
        if (items.isEmpty() && page.number() > 1) {
            Page.of(requested, size, incidents.countOpen(Integer.MAX_VALUE), "incidents", command); // says how many pages there are
        }
        return new Paged<>(page, items);
    }

    /**
     * An open incident declared within {@code window} whose title shares most of its words with
     * {@code title} (at least half of the longer title's words of four letters or more).
     */
    public Optional<Incident> similarRecent(String title, Duration window) {
        Set<String> words = titleWords(title);
        if (words.isEmpty()) return Optional.empty();
        return incidents.openDeclaredSince(clock.instant().minus(window)).stream()
                .filter(i -> {
                    Set<String> theirs = titleWords(i.title());
                    long shared = theirs.stream().filter(words::contains).count();
                    return shared * 2 >= Math.max(words.size(), theirs.size());
                })
                .reduce((a, b) -> b);
    }

    private static Set<String> titleWords(String title) {
        return Arrays.stream(title.toLowerCase(Locale.ROOT).split("\\W+")).filter(w -> w.length() > 3)
                .collect(Collectors.toSet());
    }

    /**
     * Creates the incident, then its channel, queues the kickoff (pinned) as soon as the channel
     * exists, then lets the declarer and responders in and announces it in the incidents channel.
     * The incident comes first, reserving its number and channel name, so no channel is ever left
     * without an incident: when the channel cannot be created the reservation is withdrawn (and its
     * number used again); when the store fails after the channel exists, the rest of the
     * declaration is finished by {@link #finishDeclarations()} once the store answers, and after a
     * restart by the same, which finds the channel by name.
     */
    public Incident declare(String platformName, String declaredBy, Severity severity, String title, boolean security,
                            List<String> suggestedRunbooks) {
        Instant now = clock.instant();
        ChatPlatform platform = platforms.platform(platformName);
        Incident reserved;
        try {
            String channelName = security
                    ? IncidentChannelNames.ofSecurity(channelPrefix, now.atZone(ZoneOffset.UTC).toLocalDate())
                    : IncidentChannelNames.of(channelPrefix, now.atZone(ZoneOffset.UTC).toLocalDate(), title);
            reserved = incidents.createInFreeChannel(new IncidentRepository.NewIncident(severity.id(), title, security, platformName,
                    IncidentRepository.NO_CHANNEL_YET, channelName, declaredBy), now);
        } catch (StoreUnavailable e) {
            throw e.after(NOTHING_DECLARED);
        }
        declaring.add(reserved.number());
        boolean handedOver = false;
        try {
            List<String> members = members(declaredBy, platformName, security);
            ChatPlatform.Channel channel;
            try {
                channel = platform.createChannel(reserved.channelName(), security);
            } catch (RuntimeException e) {
                try {
                    incidents.withdraw(reserved.number());
                } catch (StoreUnavailable stillReserved) {
                    throw stillReserved.after("#" + reserved.channelName() + " could not be created and " + reserved.id()
                            + ", reserved for it, could not be withdrawn; Firebreak withdraws it when the store answers");
                }
                if (!(e instanceof ChatException)) throw e;
                throw new InvalidInput("The incident channel #" + reserved.channelName() + " could not be created: "
                        + e.getMessage() + ". No incident was declared; try again.");
            }
            Incident incident = linked(reserved, channel.id());
            handedOver = true;
            try {
                unfinished.run("declaring " + incident.id(), declarationWrites(incident, declaredBy, members, suggestedRunbooks));
            } catch (StoreUnavailable e) {
                throw e.after(incident.id() + " is declared and #" + channel.name() + " was created, but the store did not take "
                        + "the rest (channel link, commander, timeline, kickoff, announcement); Firebreak finishes it as soon as "
                        + "the store answers");
            }
            setTopic(incident);
            return incident;
        } finally {
            if (!handedOver) declaring.remove(reserved.number());
        }
    }

    /**
     * The rest of a declaration once its channel exists: the kickoff first (the declarer waits for
     * it), then the members let in, the announcement, link, commander, timeline; until the last is
     * done the incident counts as being declared. Everything up to the link is done again when a
     * restart finds the incident unlinked, so each of those is harmless to repeat: the kickoff and
     * the announcement are queued under keys of their own (once), an invitation of someone already
     * in the channel is no error.
     */
    private List<UnfinishedWrites.Write> declarationWrites(Incident incident, String declaredBy, List<String> members,
                                                           List<String> suggestedRunbooks) {
        Map<String, Object> values = values(incident);
        values.put("commander", declaredBy);
        values.put("runbooks", suggestedRunbooks);
        values.put("suggested", !suggestedRunbooks.isEmpty());
        Message kickoff = Message.text(templates.render(incident.security() ? "security-kickoff" : "kickoff", values));
        Message announcement = Message.text(templates.render("announcement", values));
        return List.of(
                new UnfinishedWrites.Write("post the kickoff", () -> outbox.enqueueOnce(kickoffKey(incident.number()),
                        incident.platform(), incident.channelId(), kickoff, true)),
                new UnfinishedWrites.Write("let the members in", () -> letIn(incident, members)),
                new UnfinishedWrites.Write("announce it", () -> outbox.enqueueOnce("incident-announcement/" + incident.number(),
                        incident.platform(), platforms.incidentsChannelId(incident.platform()), announcement, false)),
                new UnfinishedWrites.Write("link the channel", () -> incidents.attachChannel(incident.number(), incident.channelId())),
                new UnfinishedWrites.Write("make the declarer commander", () ->
                        incidents.assignRole(incident.number(), "commander", declaredBy, incident.declaredAt())),
                new UnfinishedWrites.Write("record the declaration", () -> record(incident, declaredBy, Type.DECLARED,
                        (incident.security() ? "Security incident " : "Incident ") + "declared: [" + incident.severity() + "] "
                                + incident.title())),
                new UnfinishedWrites.Write("tell who is on call", () -> recordedListeners.forEach(l -> l.accept(incident))),
                new UnfinishedWrites.Write("start the first snapshot", () -> declared(incident, suggestedRunbooks)),
                new UnfinishedWrites.Write("end the declaration", () -> declaring.remove(incident.number())));
    }

    /** The key an incident's kickoff is queued under in the outbox: one kickoff per incident, however often its declaration is finished. */
    public static String kickoffKey(long number) {
        return "incident-kickoff/" + number;
    }

    /** How often an invite that failed for a moment (a rate limit, a timeout) is tried before it is said in the channel. */
    private static final int INVITE_ATTEMPTS = 3;
    /** The longest Firebreak waits between two invites: a declaration should not hang on a rate limit. */
    private static final Duration LONGEST_INVITE_WAIT = Duration.ofSeconds(5);

    /**
     * Invites the declarer (and a security incident's responders) into the new channel; a
     * moment's failure (rate limit, timeout) is tried again, up to {@link #INVITE_ATTEMPTS} times.
     * A platform that refuses is said once in the channel, for someone to add them by hand; the
     * declaration goes on.
     */
    private void letIn(Incident incident, List<String> members) {
        if (members.isEmpty()) return;
        for (int attempt = 1; ; attempt++) {
            try {
                platforms.platform(incident.platform()).invite(incident.channelId(), members);
                return;
            } catch (ChatException e) {
                if (!e.permanent() && attempt < INVITE_ATTEMPTS && pause(e.retryAfter().orElse(Duration.ofSeconds(1)))) continue;
                log.warn("Could not invite everyone into the channel of {}: {}", incident.id(), e.getMessage());
                outbox.enqueueOnce("incident-invite-refused/" + incident.number(), incident.platform(), incident.channelId(),
                        Message.text(Icon.WARNING, "Not everyone could be added to this channel (" + e.getMessage() + "); add the declarer"
                                + (incident.security() ? " and the security responders" : "") + " by hand."), false);
                return;
            }
        }
    }

    /** Waits before the next invite, at most {@link #LONGEST_INVITE_WAIT}; false when interrupted (shutting down). */
    private static boolean pause(Duration wait) {
        try {
            Thread.sleep(wait.compareTo(LONGEST_INVITE_WAIT) > 0 ? LONGEST_INVITE_WAIT : wait);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Tells the declaration listeners (the first snapshot), once per incident: as part of the
     * declaration's writes, so a declaration a store outage or a restart cut short gets it too when
     * it is finished. A failing listener is logged, never retried.
     */
    private void declared(Incident incident, List<String> suggestedRunbooks) {
        for (DeclarationListener listener : declarationListeners) {
            try {
                listener.declared(incident, suggestedRunbooks);
            } catch (RuntimeException e) {
                log.warn("A listener of the declaration of {} failed: {}", incident.id(), e.toString());
            }
        }
    }

    /**
     * Finishes what declarations left undone: the writes a store outage interrupted, and, after a
     * restart, incidents reserved without a channel: linked to their channel when it exists, else
     * withdrawn. Driven by the clock; returns how many declarations it completed or withdrew.
     */
    public int finishDeclarations() {
        int finished = unfinished.finish();
        for (Incident reserved : incidents.unlinked()) {
            Optional<ChatPlatforms.Connected> platform = platforms.find(reserved.platform());
            if (declaring.contains(reserved.number()) || platform.isEmpty()) continue;
            ChatPlatform.Channel channel;
            try {
                channel = platform.get().platform().channelNamed(reserved.channelName());
            } catch (ChatException e) {
                if (e.permanent()) {
                    incidents.withdraw(reserved.number());
                    org.slf4j.LoggerFactory.getLogger(IncidentService.class).warn(
                            "Withdrew {}: its declaration stopped before #{} was created", reserved.id(), reserved.channelName());
                    finished++;
                }
                continue;
            }
            Incident incident = linked(reserved, channel.id());
            declaring.add(incident.number());
            unfinished.run("declaring " + incident.id() + " after a restart", declarationWrites(incident, incident.declaredBy(),
                    members(incident.declaredBy(), incident.platform(), incident.security()), List.of()));
            setTopic(incident);
            finished++;
        }
        return finished;
    }

    /** Who is let into a new incident channel: the declarer, and for a security incident the security responders. */
    private List<String> members(String declaredBy, String platformName, boolean security) {
        java.util.LinkedHashSet<String> members = new java.util.LinkedHashSet<>(people.platformId(declaredBy, platformName).stream().toList());
        if (security) {
            people.withAnyRole(securityResponders).forEach(p -> people.platformId(p.key(), platformName).ifPresent(members::add));
        }
        return List.copyOf(members);
    }

    private static Incident linked(Incident i, String channelId) {
        return new Incident(i.number(), i.severity(), i.title(), i.status(), i.security(), i.platform(), channelId,
                i.channelName(), i.declaredBy(), i.declaredAt(), i.lastUpdateAt(), i.lastReminderAt(), i.resolvedAt(), i.rootCause());
    }

    /** Posts a status update in the incident channel and the incidents channel and restarts the cadence clock. */
    public Incident postUpdate(Incident incident, String author, String text) {
        Instant now = clock.instant();
        Incident updated = with(incident, incident.severity(), incident.status(), now, incident.lastReminderAt(), null, null);
        incidents.update(updated);
        record(updated, author, Type.UPDATE, text);
        Map<String, Object> values = values(updated);
        values.put("author", author);
        values.put("text", text);
        values.put("at", TIME.format(now));
        values.put("nextUpdateBy", TIME.format(now.plus(severityOf(updated).updateEvery())));
        Message message = Message.text(templates.render("status-update", values));
        outbox.enqueue(updated.platform(), updated.channelId(), message);
        if (!updated.security()) {
            outbox.enqueue(updated.platform(), platforms.incidentsChannelId(updated.platform()), message);
        }
        return updated;
    }

    public Incident changeStatus(Incident incident, String actor, IncidentStatus status) {
        Incident updated = with(incident, incident.severity(), status, incident.lastUpdateAt(), incident.lastReminderAt(), null, null);
        incidents.update(updated);
        record(updated, actor, Type.STATUS, "Status " + incident.status().label() + " -> " + status.label());
        postInBoth(updated, Icon.INFO, "*" + updated.id() + "* status is now *" + status.label() + "* (set by " + actor + ")");
        setTopic(incident, updated);
        return updated;
    }

    public Incident changeSeverity(Incident incident, String actor, Severity severity) {
        Incident updated = with(incident, severity.id(), incident.status(), incident.lastUpdateAt(), incident.lastReminderAt(), null, null);
        incidents.update(updated);
        record(updated, actor, Type.SEVERITY, "Severity " + incident.severity() + " -> " + severity.id());
        postInBoth(updated, Icon.INFO, "*" + updated.id() + "* severity is now *" + severity.id() + "* ("
                + severity.name() + "): respond within " + Durations.format(severity.responseTime())
                + ", update every " + Durations.format(severity.updateEvery()) + ". Escalation: " + severity.escalation());
        setTopic(incident, updated);
        return updated;
    }

    public void assign(Incident incident, String actor, String role, String person) {
        Optional<String> previous = holder(incident.number(), role);
        incidents.assignRole(incident.number(), role, person, clock.instant());
        String text = previous.filter(p -> !p.equals(person))
                .map(p -> role + " handed over from " + p + " to " + person)
                .orElse(person + " is " + role);
        record(incident, actor, Type.ROLE, text);
        if (incident.security()) giveAccess(incident, person);
        outbox.enqueue(incident.platform(), incident.channelId(), Message.text(Icon.ROLE, text + "."));
    }

    /** A security incident's channel is private: whoever is given a role in it, or is called to it, is let in. */
    public void giveAccess(Incident incident, String person) {
        Optional<String> id = people.platformId(person, incident.platform());
        if (id.isEmpty()) {
            outbox.enqueue(incident.platform(), incident.channelId(), Message.text(Icon.WARNING, "" + person + " has no "
                    + incident.platform() + " id in bot/firebreak.yaml, so they could not be added to this private channel."));
            return;
        }
        try {
            platforms.platform(incident.platform()).invite(incident.channelId(), List.of(id.get()));
        } catch (RuntimeException e) {
            log.warn("Could not add {} to the channel of {}: {}", person, incident.id(), e.getMessage());
            outbox.enqueue(incident.platform(), incident.channelId(), Message.text(Icon.WARNING, "" + person
                    + " could not be added to this private channel (" + e.getMessage() + "); add them by hand."));
        }
    }

    /**
     * Whether a command in this channel may show the incident's title and details: always for an
     * ordinary incident; for a security incident only in its own channel, whose members are the
     * declarer, the configured security responders and the people given an incident role.
     */
    public boolean detailsVisibleIn(Incident incident, String platform, String channelId) {
        return !incident.security() || incident.platform().equals(platform) && incident.channelId().equals(channelId);
    }

    /** Like {@link #requireFor}, for commands that show the incident's details (refused elsewhere for a security incident). */
    public Incident requireVisibleFor(CommandContext ctx, String what) {
        Incident incident = requireFor(ctx);
        if (!detailsVisibleIn(incident, ctx.platform(), ctx.channelId())) {
            throw new InvalidInput(incident.id() + " is a security incident: its " + what + " is shown only in its own channel, "
                    + "to the people in it.");
        }
        return incident;
    }

    /**
     * Whether {@code person} holds {@code role} in the incident a command is about (the one it
     * names, else the one of its channel): incident roles carry that incident's powers, so the
     * commander of INC-3 may resolve INC-3 without the role commander in bot/firebreak.yaml.
     */
    public boolean holdsIncidentRole(String person, String role, String platform, String channelId, Optional<Long> number) {
        if (!INCIDENT_ROLES.contains(role)) return false;
        Optional<Incident> incident = number.isPresent() ? find(number.get()) : inChannel(platform, channelId);
        return incident.filter(Incident::open).flatMap(i -> holder(i.number(), role)).filter(person::equals).isPresent();
    }

    public Optional<String> holder(long number, String role) {
        return incidents.roles(number).stream()
                .filter(r -> r.role().equals(role) && r.renouncedAt() == null)
                .map(RoleAssignment::person).reduce((a, b) -> b);
    }

    /**
     * Told when an incident is resolved, so work still waiting in it ends (its pending approval
     * requests are cancelled); returns what it ended, e.g. {@code A-3 (chain.pause)}.
     */
    @FunctionalInterface
    public interface ResolutionListener {
        List<String> resolved(Incident incident, String actor);
    }

    /**
     * Told when an incident has been declared and its kickoff queued (the first snapshot starts
     * here), with the runbooks it matched; it must return at once, so the declaration never waits.
     */
    @FunctionalInterface
    public interface DeclarationListener {
        void declared(Incident incident, List<String> matchedRunbooks);
    }

    public void onDeclared(DeclarationListener listener) {
        declarationListeners.add(listener);
    }

    /** A resolved incident and what resolving it ended. */
    public record Resolution(Incident incident, List<String> ended) {}

    /**
     * Told when an incident's declaration is complete (kickoff posted), so its on-call person is
     * notified; told again if a store outage interrupted it, so a listener must act once per incident.
     */
    public void onDeclarationRecorded(java.util.function.Consumer<Incident> listener) {
        recordedListeners.add(listener);
    }

    public void onResolved(ResolutionListener listener) {
        resolutionListeners.add(listener);
    }

    /**
     * Resolves the incident, ends what still waited in it, posts the resolution notice, and posts
     * the audit log's head to the incidents channel, where a later edit of the store cannot reach
     * it ({@code firebreak audit verify --expect-head}).
     */
    public Resolution resolve(Incident incident, String actor, String rootCause) {
        Instant now = clock.instant();
        Incident resolved = with(incident, incident.severity(), IncidentStatus.RESOLVED, now, incident.lastReminderAt(), now, rootCause);
        incidents.update(resolved);
        record(resolved, actor, Type.RESOLVED, "Resolved. Root cause: " + rootCause);
        List<String> ended = new ArrayList<>();
        for (ResolutionListener listener : resolutionListeners) ended.addAll(listener.resolved(resolved, actor));
        if (!ended.isEmpty()) {
            outbox.enqueue(resolved.platform(), resolved.channelId(), Message.text(Icon.REJECTED, "Resolving " + resolved.id()
                    + " cancelled the approval requests still waiting: " + String.join(", ", ended)
                    + ". They can no longer be approved."));
        }
        Map<String, Object> values = values(resolved);
        values.put("rootCause", rootCause);
        values.put("duration", Durations.format(Duration.between(incident.declaredAt(), now)));
        Message notice = Message.text(templates.render("resolution-notice", values));
        outbox.enqueue(resolved.platform(), resolved.channelId(), notice, true, List.of());
        if (!resolved.security()) {
            outbox.enqueue(resolved.platform(), platforms.incidentsChannelId(resolved.platform()), notice);
        }
        setTopic(incident, resolved);
        timeline.auditHead().ifPresent(head -> {
            log.info("Audit log head after {} was resolved: entry {}, hash {}", resolved.id(), head.seq(), head.hash());
            outbox.enqueue(resolved.platform(), platforms.incidentsChannelId(resolved.platform()), Message.builder()
                    .paragraph(Icon.INFO, "Audit log head after " + resolved.id() + " was resolved: entry " + head.seq() + ", hash "
                            + head.hash() + ".")
                    .note("Keep this line: firebreak audit verify --expect-head " + head.hash()
                            + " shows whether any audit entry up to it was removed or changed since.")
                    .build());
        });
        return new Resolution(resolved, List.copyOf(ended));
    }

    public List<TimelineEvent> timeline(Incident incident) {
        return timeline.of(incident);
    }

    /** One page of the timeline ({@link IncidentTimeline#page}). */
    public Paged<TimelineEvent> timeline(Incident incident, int requested, int size, String command) {
        return timeline.page(incident, requested, size, command);
    }

    /** Records an event a person caused on the incident's timeline (and the audit log). */
    public void record(Incident incident, String actor, Type type, String text) {
        timeline.record(incident, TimelineEntry.of(type, actor, text));
    }

    public void record(Incident incident, TimelineEntry entry) {
        timeline.record(incident, entry);
    }

    /**
     * The incident a command is about: the one it names (INC-n, or its runbook run's), else the
     * incident of the channel it was typed in. Naming one that does not exist is an error.
     */
    public Optional<Incident> ofCommand(CommandContext ctx) {
        if (ctx.incident().isPresent()) {
            long number = ctx.incident().get();
            return Optional.of(find(number).orElseThrow(() ->
                    new InvalidInput("There is no incident INC-" + number + "; /incident list shows the open ones.")));
        }
        return inChannel(ctx.platform(), ctx.channelId());
    }

    /** Like {@link #ofCommand}, for commands that need an incident. */
    public Incident requireFor(CommandContext ctx) {
        return ofCommand(ctx).orElseThrow(() -> new InvalidInput("Run this in an incident channel, or name the incident: "
                + ctx.command().spec().path() + " INC-<number> ..."));
    }

    /** Like {@link #requireFor}, for commands that change an incident, which must still be open. */
    public Incident requireOpenFor(CommandContext ctx) {
        Incident incident = requireFor(ctx);
        if (!incident.open()) throw new InvalidInput(incident.id() + " is resolved; declare a new incident if it came back.");
        return incident;
    }

    /** The seed's post-mortem template, filled from the incident and its timeline. */
    public String postmortemDraft(Incident incident) {
        Map<String, Object> values = values(incident);
        List<Map<String, String>> timeline = new ArrayList<>();
        List<String> actions = new ArrayList<>();
        for (TimelineEvent e : incidents.timeline(incident.number())) {
            postmortemLine(e).ifPresent(text -> timeline.add(Map.of("at", TIME.format(e.at()), "actor", e.actor(), "text", text)));
            if (e.type() == Type.ACTION) actions.add(e.text());
        }
        values.put("timeline", timeline);
        values.put("actions", actions);
        values.put("rootCause", incident.rootCause() == null ? "[Detailed explanation of what caused the incident]" : incident.rootCause());
        Instant end = incident.resolvedAt() == null ? clock.instant() : incident.resolvedAt();
        values.put("duration", Durations.format(Duration.between(incident.declaredAt(), end))
                + (incident.resolvedAt() == null ? " so far (still open)" : ""));
        return templates.render("postmortem", values);
    }

    /**
     * An event as the post-mortem's timeline tells it, in the seed template's terms (detected,
     * root cause identified, fix deployed, resolved); votes, reminders, drafts and diagnostics
     * that found nothing wrong are left to the full timeline.
     */
    private static Optional<String> postmortemLine(TimelineEvent e) {
        return switch (e.type()) {
            case DECLARED, UPDATE, SEVERITY, ROLE, RUNBOOK, NOTE, APPROVAL_REQUESTED, APPROVAL_DECIDED, RESOLVED -> Optional.of(e.text());
            case STATUS -> Optional.of(e.text().endsWith("-> " + IncidentStatus.IDENTIFIED.label())
                    ? "Root cause identified (" + e.text() + ")" : e.text());
            case ACTION -> Optional.of("succeeded".equals(e.details().get("outcome")) ? "Fix deployed: " + e.text() : e.text());
            case DIAGNOSTIC -> "OK".equals(e.details().getOrDefault("status", "OK")) ? Optional.empty() : Optional.of("Detected: " + e.text());
            case ALERT -> Optional.of("firing".equals(e.details().get("status")) ? "Detected: " + e.text() : e.text());
            case PAGED, ESCALATED, ACKNOWLEDGED -> Optional.of(e.text());
            case APPROVAL_VOTE, REMINDER, COMMUNICATION -> Optional.empty();
        };
    }

    /** A communication template (incident report, status page) filled for this incident. */
    public String communication(Incident incident, String template) {
        Map<String, Object> values = values(incident);
        List<Map<String, String>> updates = new ArrayList<>();
        for (TimelineEvent e : incidents.timeline(incident.number())) {
            if (e.type() == Type.UPDATE || e.type() == Type.DECLARED || e.type() == Type.RESOLVED) {
                updates.add(Map.of("at", TIME.format(e.at()), "text", e.text()));
            }
        }
        values.put("updates", updates);
        values.put("duration", Durations.format(Duration.between(incident.declaredAt(),
                incident.resolvedAt() == null ? clock.instant() : incident.resolvedAt())));
        values.put("rootCause", incident.rootCause() == null ? "[CAUSE]" : incident.rootCause());
        return templates.render(template, values);
    }

    /**
     * Posts a reminder in every open incident whose severity's update cadence has passed since
     * the last update, once per missed interval. Driven by the clock; state is in the store, so
     * it survives restarts. Returns the incidents reminded.
     */
    public List<Incident> remindOverdue() {
        Instant now = clock.instant();
        List<Incident> reminded = new ArrayList<>();
        for (Incident incident : incidents.open()) {
            Duration cadence = severityOf(incident).updateEvery();
            if (cadence == null || cadence.isZero()) continue;
            Instant due = incident.lastUpdateAt().plus(cadence);
            Instant lastReminder = incident.lastReminderAt();
            boolean alreadyReminded = lastReminder != null && lastReminder.isAfter(incident.lastUpdateAt())
                    && now.isBefore(lastReminder.plus(cadence));
            if (now.isBefore(due) || alreadyReminded) continue;
            Incident updated = with(incident, incident.severity(), incident.status(), incident.lastUpdateAt(), now, null, null);
            incidents.update(updated);
            Map<String, Object> values = values(updated);
            values.put("since", Durations.format(Duration.between(incident.lastUpdateAt(), now).withNanos(0)));
            // the communications lead posts updates; without one, the commander
            Optional<String> remind = holder(incident.number(), "communications").or(() -> holder(incident.number(), "commander"));
            values.put("remind", remind.orElse(null));
            String text = templates.render("reminder", values);
            timeline.record(updated, TimelineEntry.of(Type.REMINDER, BOT, "Status update overdue").from(TimelineEvent.Source.CLOCK));
            outbox.enqueue(updated.platform(), updated.channelId(), Message.builder().paragraph(text)
                    .mentions(remind.flatMap(p -> people.platformId(p, updated.platform())).stream().toList()).build());
            reminded.add(updated);
        }
        return reminded;
    }

    public Severity severityOf(Incident incident) {
        Severity s = severities.get(incident.severity());
        if (s == null) throw new IllegalStateException("incident " + incident.id() + " has unknown severity " + incident.severity());
        return s;
    }

    private void postInBoth(Incident incident, Icon icon, String text) {
        outbox.enqueue(incident.platform(), incident.channelId(), Message.text(icon, text));
        if (!incident.security()) {
            outbox.enqueue(incident.platform(), platforms.incidentsChannelId(incident.platform()), Message.text(icon, text));
        }
    }

    /** What an incident channel's topic shows: id, severity, status, the security warning and the title. */
    static String topic(Incident incident) {
        return incident.id() + " [" + incident.severity() + "] " + incident.status().label()
                + (incident.security() ? " | SECURITY: do not disclose" : "") + " | " + incident.title();
    }

    /** Sets the topic only when what it shows changed, so a status update or an edit elsewhere costs no platform call. */
    private void setTopic(Incident before, Incident after) {
        if (!topic(before).equals(topic(after))) setTopic(after);
    }

    private void setTopic(Incident incident) {
        try {
            platforms.platform(incident.platform()).setTopic(incident.channelId(), topic(incident));
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(IncidentService.class).warn("Could not set topic of {}: {}", incident.channelName(), e.getMessage());
        }
    }

    private Map<String, Object> values(Incident incident) {
        Severity severity = severityOf(incident);
        Map<String, Object> values = new HashMap<>();
        values.put("id", incident.id());
        values.put("title", incident.title());
        values.put("severity", incident.severity());
        values.put("severityName", severity.name());
        values.put("status", incident.status().label());
        values.put("security", incident.security());
        values.put("channel", incident.channelName());
        values.put("declaredBy", incident.declaredBy());
        values.put("declaredAt", TIME.format(incident.declaredAt()));
        values.put("startedUtc", TIME.format(incident.declaredAt()));
        values.put("responseTime", Durations.format(severity.responseTime()));
        values.put("updateEvery", Durations.format(severity.updateEvery()));
        values.put("escalation", severity.escalation());
        values.put("impact", "[affected services/chains]");
        values.put("expectedResolution", "[TIME]");
        return values;
    }

    private static Incident with(Incident i, String severity, IncidentStatus status, Instant lastUpdateAt, Instant lastReminderAt,
                                 Instant resolvedAt, String rootCause) {
        return new Incident(i.number(), severity, i.title(), status, i.security(), i.platform(), i.channelId(), i.channelName(),
                i.declaredBy(), i.declaredAt(), lastUpdateAt, lastReminderAt,
                resolvedAt != null ? resolvedAt : i.resolvedAt(), rootCause != null ? rootCause : i.rootCause());
    }
}
