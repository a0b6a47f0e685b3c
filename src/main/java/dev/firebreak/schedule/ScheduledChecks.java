package dev.firebreak.schedule;

import dev.firebreak.audit.AuditLog;
import dev.firebreak.chat.ChatPlatforms;
import dev.firebreak.chat.Inbound;
import dev.firebreak.chat.Outbox;
import dev.firebreak.chat.PostPages;
import dev.firebreak.command.Outcome;
import dev.firebreak.kernel.Emoji;
import dev.firebreak.kernel.Icon;
import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.kernel.Message;
import dev.firebreak.kernel.PlainTextRenderer;
import dev.firebreak.kernel.Redactor;
import dev.firebreak.people.People;
import dev.firebreak.people.Person;
import dev.firebreak.runbook.Runbook;
import dev.firebreak.runbook.RunbookRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Runs the schedules of {@code bot/schedules.yaml} when they are due, and when a person asks.
 * Each run runs its diagnostics through the command path as its owner (an action is never run by
 * a schedule: it becomes a checklist item, and goes through approval when a person runs it),
 * lists what a person must do as a checklist, stores everything, puts the run on the audit log,
 * routes findings at warning or critical to the alert rules, and posts one digest in the report
 * channel.
 *
 * <p>Time: a schedule seen for the first time starts after its newest slot (it does not run for a
 * slot before it existed). Each tick runs a schedule whose newest slot is after the one it last
 * ran, once, however many slots were missed while Firebreak was down; the slot is claimed in the
 * store (compare-and-set), so it runs once also when two processes tick.
 */
public final class ScheduledChecks {

    private static final Logger log = LoggerFactory.getLogger(ScheduledChecks.class);
    static final String BOT = "firebreak";
    static final String TICK_EMOJI = "white_check_mark";
    private static final DateTimeFormatter SLOT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

    /** Runs a diagnostic's command line as {@code person} in a channel: the command path runbook steps take. */
    @FunctionalInterface
    public interface CheckRunner {
        Outcome run(String person, String platform, String channelId, String line);
    }

    /** Whether a command line is an action (it changes something), which a schedule never runs by itself. */
    @FunctionalInterface
    public interface ActionLines {
        boolean isAction(String line);
    }

    private final SchedulesConfig config;
    private final ScheduleStore store;
    private final Map<String, Runbook> runbooks;
    private final CheckRunner checks;
    private final ActionLines actionLines;
    private final FindingRoute findings;
    private final ChatPlatforms platforms;
    private final Outbox outbox;
    private final PostPages pages;
    private final People people;
    private final AuditLog audit;
    private final String alertsChannel;
    private final Clock clock;

    /**
     * Who owns a schedule now: the owner named in {@code bot/schedules.yaml} when it is a person, or
     * the person on call for it when it names an on-call rotation.
     */
    @FunctionalInterface
    public interface OwnerOnDuty {
        String personFor(String owner);
    }

    private final OwnerOnDuty owners;

    private String owner(Schedule schedule) {
        return owners.personFor(schedule.owner());
    }

    public ScheduledChecks(SchedulesConfig config, ScheduleStore store, Map<String, Runbook> runbooks, CheckRunner checks,
                           ActionLines actionLines, FindingRoute findings, ChatPlatforms platforms, Outbox outbox, PostPages pages,
                           People people,
                           AuditLog audit, String alertsChannel, OwnerOnDuty owners, Clock clock) {
        this.owners = owners;
        this.config = config;
        this.store = store;
        this.runbooks = Map.copyOf(runbooks);
        this.checks = checks;
        this.actionLines = actionLines;
        this.findings = findings;
        this.platforms = platforms;
        this.outbox = outbox;
        this.pages = pages;
        this.people = people;
        this.audit = audit;
        this.alertsChannel = alertsChannel;
        this.clock = clock;
    }

    public List<Schedule> all() {
        return config.schedules();
    }

    /** The schedule of that name; {@link InvalidInput} naming the ones there are when none is. */
    public Schedule schedule(String name) {
        return config.find(name).orElseThrow(() -> new InvalidInput("There is no schedule " + name + "; "
                + (config.schedules().isEmpty() ? "bot/schedules.yaml defines none." : "there are "
                + config.schedules().stream().map(Schedule::name).collect(Collectors.joining(", ")) + " (/schedule list).")));
    }

    /** The name of the channel a schedule reports in. */
    public String channelName(Schedule schedule) {
        return schedule.channelOr(alertsChannel);
    }

    public Optional<ScheduleStore.State> state(Schedule schedule) {
        return store.state(schedule.name());
    }

    public Optional<ScheduleRun> latestRun(Schedule schedule) {
        return store.latestRun(schedule.name());
    }

    public List<CheckResult> checks(ScheduleRun run) {
        return store.checks(run.id());
    }

    public List<ChecklistItem> checklist(ScheduleRun run) {
        return store.checklist(run.id());
    }

    // ---------------------------------------------------------------- the clock

    private volatile boolean stopped;

    /** No schedule starts after this (a run under way finishes): the engine is closing and its store goes next. */
    public void stop() {
        stopped = true;
    }

    /** Runs every schedule that is due: once for its newest slot, however many were missed. Tests call it with a moved clock. */
    public void runDue() {
        Instant now = clock.instant();
        for (Schedule schedule : config.schedules()) {
            if (stopped) return; // the engine is closing: the rest runs at the next start, as missed slots do
            try {
                runIfDue(schedule, now);
            } catch (RuntimeException e) {
                log.warn("Schedule {} could not run: {}", schedule.name(), e.toString());
            }
        }
    }

    private void runIfDue(Schedule schedule, Instant now) {
        ScheduleTiming timing = schedule.timing();
        Optional<Instant> slot = timing.lastSlot(now);
        Optional<ScheduleStore.State> state = store.state(schedule.name());
        if (state.isEmpty()) {
            store.start(schedule.name(), slot.orElse(null), now);
            return;
        }
        Instant last = state.get().lastSlot();
        if (state.get().paused() || slot.isEmpty() || last != null && !slot.get().isAfter(last)) return;
        if (!store.claim(schedule.name(), last, slot.get(), now)) return;
        int skipped = 0;
        for (Optional<Instant> next = last == null ? Optional.empty() : timing.nextSlot(last);
             next.isPresent() && next.get().isBefore(slot.get()) && skipped < 1000; next = timing.nextSlot(next.get())) {
            skipped++;
        }
        String due = "due " + SLOT.format(slot.get().atZone(timing.zone())) + " " + timing.zone();
        run(schedule, slot.get(), skipped == 0 ? due : due + ", run once at start-up for it and the " + skipped + " slot"
                + (skipped == 1 ? "" : "s") + " before it, missed while Firebreak was down", BOT);
    }

    /** Reminds the owner, once, of the open checklist of a schedule's newest run when it is {@code remindAfter} old. */
    public void remindDue() {
        Instant now = clock.instant();
        for (Schedule schedule : config.schedules()) {
            store.latestRun(schedule.name()).ifPresent(run -> {
                if (run.remindedAt() != null || now.isBefore(run.startedAt().plus(schedule.remindAfter()))) return;
                List<ChecklistItem> open = store.checklist(run.id()).stream().filter(ChecklistItem::open).toList();
                if (open.isEmpty() || !store.markReminded(run.id(), now)) return;
                String owner = owner(schedule);
                for (ChatPlatforms.Connected connected : platforms.all()) {
                    String platform = connected.platform().name();
                    Message.Builder reminder = Message.builder().heading(Icon.REMINDER, ownerName(schedule) + ": the checklist of "
                            + schedule.name() + " (" + run.ref() + ") has " + open.size() + " item" + (open.size() == 1 ? "" : "s")
                            + " not ticked off");
                    open.forEach(item -> reminder.paragraph(item.item() + ". " + item.text()));
                    reminder.note(howToTick(schedule) + " This is the only reminder.");
                    reminder.mentions(people.platformId(owner, platform).stream().toList());
                    outbox.enqueue(platform, reportChannel(schedule, connected), reminder.build());
                }
                audit.record(BOT, "schedule.reminded", subject(schedule), run.ref() + ": " + open.size() + " open, reminded "
                        + owner(schedule));
            });
        }
    }

    // ---------------------------------------------------------------- commands

    /** Runs a schedule now, for {@code person} ({@code /schedule run}); returns the run. */
    public ScheduleRun runNow(Schedule schedule, String person) {
        return run(schedule, null, "run by " + person, person);
    }

    /** Pauses a schedule and says so in its report channel; {@link InvalidInput} when it is paused already. */
    public void pause(Schedule schedule, String person) {
        if (paused(schedule)) {
            throw new InvalidInput(schedule.name() + " is already paused; /schedule resume " + schedule.name() + " resumes it.");
        }
        store.setPaused(schedule.name(), true, newestSlot(schedule), person, clock.instant());
        audit.record(person, "schedule.paused", subject(schedule), schedule.name() + " paused");
        post(schedule, Message.text(Icon.PAUSED, person + " paused " + schedule.name() + ": it does not run until /schedule resume "
                + schedule.name() + " (/schedule run still runs it now)."), false);
    }

    /** Resumes after the newest slot (the slots it was paused for do not run) and says so; {@link InvalidInput} when not paused. */
    public void resume(Schedule schedule, String person) {
        if (!paused(schedule)) throw new InvalidInput(schedule.name() + " is not paused; nothing to resume.");
        store.setPaused(schedule.name(), false, newestSlot(schedule), person, clock.instant());
        audit.record(person, "schedule.resumed", subject(schedule), schedule.name() + " resumed");
        post(schedule, Message.text(Icon.INFO, person + " resumed " + schedule.name() + "; next run " + nextRun(schedule)
                + " (the slots it was paused for do not run)."), false);
    }

    public boolean paused(Schedule schedule) {
        return store.state(schedule.name()).map(ScheduleStore.State::paused).orElse(false);
    }

    /** When a schedule runs next, in its own zone: {@code 2026-12-03 09:00 Europe/Berlin}. */
    public String nextRun(Schedule schedule) {
        ScheduleTiming timing = schedule.timing();
        return timing.nextSlot(clock.instant()).map(t -> SLOT.format(t.atZone(timing.zone())) + " " + timing.zone()).orElse("never");
    }

    private Instant newestSlot(Schedule schedule) {
        return schedule.timing().lastSlot(clock.instant()).orElse(null);
    }

    /**
     * Ticks off items of the newest run's checklist (all of them when {@code items} is empty) for
     * its owner. Throws {@link InvalidInput} when {@code person} is not the owner, there is no
     * checklist, or an item does not exist. Returns the checklist as it is afterwards.
     */
    public List<ChecklistItem> tick(Schedule schedule, String person, List<Integer> items) {
        if (!owner(schedule).equals(person)) {
            throw new InvalidInput("Only " + owner(schedule) + ", who owns " + schedule.name() + ", ticks off its checklist.");
        }
        ScheduleRun run = store.latestRun(schedule.name()).orElseThrow(() ->
                new InvalidInput(schedule.name() + " has not run yet, so it has no checklist."));
        return tick(schedule, run, person, items);
    }

    private List<ChecklistItem> tick(Schedule schedule, ScheduleRun run, String person, List<Integer> items) {
        List<ChecklistItem> checklist = store.checklist(run.id());
        if (checklist.isEmpty()) throw new InvalidInput(run.ref() + " of " + schedule.name() + " has no checklist.");
        for (int item : items) {
            if (item < 1 || item > checklist.size()) {
                throw new InvalidInput(run.ref() + " of " + schedule.name() + " has items 1 to " + checklist.size() + ", not " + item + ".");
            }
        }
        List<Integer> ticked = new ArrayList<>();
        Instant now = clock.instant();
        for (ChecklistItem item : checklist) {
            if ((items.isEmpty() || items.contains(item.item())) && store.tick(run.id(), item.item(), person, now)) {
                ticked.add(item.item());
            }
        }
        List<ChecklistItem> after = store.checklist(run.id());
        if (!ticked.isEmpty()) {
            long open = after.stream().filter(ChecklistItem::open).count();
            audit.record(person, "schedule.ticked", subject(schedule), run.ref() + ": items "
                    + ticked.stream().map(String::valueOf).collect(Collectors.joining(", ")) + " done, " + open + " open");
            post(schedule, Message.text(Icon.VOTE, person + " ticked off " + (ticked.size() == 1 ? "item " + ticked.getFirst()
                    : ticked.size() + " items") + " of " + schedule.name() + " (" + run.ref() + "); "
                    + (open == 0 ? "its checklist is done." : open + " still open.")), false);
        }
        return after;
    }

    /** A reaction on a digest: the owner's tick emoji ticks off every open item. Claims every reaction on a digest. */
    public boolean onReaction(Inbound.Reaction reaction) {
        Optional<Long> runId = outbox.findByPlatformMessage(reaction.platform(), reaction.channelId(), reaction.messageId())
                .flatMap(entry -> store.runOfMessage(entry.id()));
        if (runId.isEmpty()) return false;
        if (!reaction.added() || !Emoji.normalise(reaction.emoji()).equals(TICK_EMOJI)) return true;
        Optional<Person> person = people.byPlatformId(reaction.platform(), reaction.userId());
        Optional<ScheduleRun> run = person.flatMap(p -> config.schedules().stream()
                .flatMap(s -> store.latestRun(s.name()).stream()).filter(r -> r.id() == runId.get()).findFirst());
        if (run.isEmpty()) return true; // someone Firebreak does not know, or a checklist a newer run replaced
        Schedule schedule = schedule(run.get().schedule());
        if (!owner(schedule).equals(person.get().key())) return true;
        if (store.checklist(run.get().id()).stream().anyMatch(ChecklistItem::open)) {
            tick(schedule, run.get(), person.get().key(), List.of());
        }
        return true;
    }

    // ---------------------------------------------------------------- one run

    private ScheduleRun run(Schedule schedule, Instant slot, String trigger, String by) {
        Instant started = clock.instant();
        List<Runbook.Step> steps = schedule.runbook() == null ? schedule.steps() : runbooks.get(schedule.runbook()).steps();
        Optional<ChatPlatforms.Connected> first = platforms.all().stream().findFirst();
        String platform = first.map(c -> c.platform().name()).orElse("console");
        String channelId = first.map(c -> reportChannel(schedule, c)).orElse(schedule.channelOr(alertsChannel));

        List<CheckResult> results = new ArrayList<>();
        List<String> checklist = new ArrayList<>();
        StringBuilder output = new StringBuilder();
        for (int i = 0; i < steps.size(); i++) {
            Runbook.Step step = steps.get(i);
            String text = RunbookRunner.fill(step.text(), schedule.params());
            switch (step.kind()) {
                case "run" -> {
                    if (actionLines.isAction(text)) {
                        checklist.add("`" + text + "` (an action: run it yourself when it is right to; it goes through approval)");
                        continue;
                    }
                    CheckResult result = check(results.size() + 1, step, text, schedule, platform, channelId, output);
                    results.add(result);
                }
                case "check" -> checklist.add(text);
                case "confirm" -> checklist.add(text + " (by hand, never automatic)");
                default -> output.append("Note: ").append(text).append("\n\n");
            }
        }
        long attention = results.stream().filter(CheckResult::needsAttention).count();
        String summary = (results.isEmpty() ? "no checks" : attention == 0 ? "all " + results.size() + " check"
                + (results.size() == 1 ? "" : "s") + " fine" : attention + " of " + results.size() + " need attention")
                + (checklist.isEmpty() ? "" : ", " + checklist.size() + " item" + (checklist.size() == 1 ? "" : "s") + " to do");
        if (!checklist.isEmpty()) {
            output.append("To do (").append(owner(schedule)).append("):\n");
            for (int i = 0; i < checklist.size(); i++) output.append(i + 1).append(". ").append(checklist.get(i)).append('\n');
        }
        List<CheckResult> before = store.latestRun(schedule.name()).map(r -> store.checks(r.id())).orElse(List.of());
        ScheduleRun run = store.add(new ScheduleRun(0, schedule.name(), slot, trigger, started, summary,
                Redactor.redact(output.toString().strip()), null), results, checklist);
        audit.record(by, "schedule.run", subject(schedule), run.ref() + " (" + trigger + "): " + summary);
        route(schedule, run, before, results);
        digest(schedule, run, results, checklist);
        return run;
    }

    private CheckResult check(int position, Runbook.Step step, String line, Schedule schedule, String platform, String channelId,
                              StringBuilder output) {
        CheckResult result;
        Message details = Message.builder().build();
        try {
            switch (checks.run(owner(schedule), platform, channelId, line)) {
                case Outcome.Done done -> {
                    CheckResult.Status status = step.fine(done.status()) ? CheckResult.Status.OK : CheckResult.Status.of(done.status());
                    result = new CheckResult(position, line, status, done.summary());
                    details = done.details();
                }
                case Outcome.AwaitingApproval waiting ->
                        result = new CheckResult(position, line, CheckResult.Status.ERROR, "waits for approval " + waiting.ref());
                case Outcome.Refused refused ->
                        result = new CheckResult(position, line, CheckResult.Status.ERROR, "could not run: " + refused.summary());
            }
        } catch (RuntimeException e) {
            log.warn("Scheduled check {} of {} failed", line, schedule.name(), e);
            result = new CheckResult(position, line, CheckResult.Status.ERROR, "failed inside Firebreak (" + e.getClass().getSimpleName()
                    + "); see the bot's log");
        }
        output.append('[').append(result.status()).append("] ").append(line).append(": ").append(result.summary()).append('\n');
        String rendered = PlainTextRenderer.render(details).strip();
        if (!rendered.isEmpty()) output.append(rendered).append('\n');
        output.append('\n');
        return result;
    }

    /**
     * Findings at warning or critical go to the alert rules at every run that finds them; the
     * finding of the run before is reported over when this run finds the check fine or at the
     * other severity.
     */
    private void route(Schedule schedule, ScheduleRun run, List<CheckResult> before, List<CheckResult> results) {
        Map<String, CheckResult.Status> previous = new HashMap<>();
        before.forEach(c -> previous.put(c.label(), c.status()));
        for (CheckResult result : results) {
            CheckResult.Status was = previous.get(result.label());
            if (finding(was) && was != result.status()) {
                route(new FindingRoute.Finding(schedule.name(), result.label(), was, false, result.summary(), run.ref()));
            }
            if (finding(result.status())) {
                route(new FindingRoute.Finding(schedule.name(), result.label(), result.status(), true, result.summary(), run.ref()));
            }
        }
    }

    private static boolean finding(CheckResult.Status status) {
        return status == CheckResult.Status.WARNING || status == CheckResult.Status.CRITICAL;
    }

    private void route(FindingRoute.Finding finding) {
        try {
            findings.route(finding);
        } catch (RuntimeException e) {
            log.warn("Routing the finding of {} in {} to the alert rules failed: {}", finding.check(), finding.run(), e.toString());
        }
    }

    private void digest(Schedule schedule, ScheduleRun run, List<CheckResult> results, List<String> checklist) {
        List<CheckResult> attention = results.stream().filter(CheckResult::needsAttention)
                .sorted(Comparator.comparing(CheckResult::status).thenComparing(CheckResult::position)).toList();
        String pointer = "Full output: /schedule show " + schedule.name();
        if (attention.isEmpty() && checklist.isEmpty()) {
            if (!schedule.quiet()) {
                post(schedule, Message.text(Icon.OK, schedule.name() + " (" + run.ref() + "): " + run.summary() + ". " + pointer), false);
            }
            return;
        }
        Message.Builder head = Message.builder().heading(attention.isEmpty() ? Icon.INFO : attention.getFirst().status().icon(),
                "Scheduled checks " + schedule.name() + " (" + run.ref() + "): " + run.summary());
        if (schedule.description() != null) head.paragraph(schedule.description());
        Message.Builder lines = Message.builder();
        for (CheckResult result : attention) lines.paragraph(result.status().icon(), "`" + result.label() + "`: " + result.summary());
        for (CheckResult result : results) {
            if (!result.needsAttention()) lines.paragraph(Icon.OK, "`" + result.label() + "`: " + result.summary());
        }
        if (!checklist.isEmpty()) {
            lines.paragraph(Icon.VOTE, "For " + ownerName(schedule) + " to do:");
            for (int i = 0; i < checklist.size(); i++) lines.paragraph((i + 1) + ". " + checklist.get(i));
        }
        Message tail = Message.builder().note((checklist.isEmpty() ? "" : howToTick(schedule) + " ") + pointer + " (" + run.trigger() + ")")
                .build();
        // one post on each platform: its first page, the rest in /schedule show
        post(schedule, platform -> pages.page(platform, head.build(), lines.build(), tail, 1, PostPages.LINES, "lines", null).message(),
                !checklist.isEmpty()).forEach(outboxId -> store.linkMessage(outboxId, run.id()));
    }

    private static String howToTick(Schedule schedule) {
        return "Tick it all off with :" + TICK_EMOJI + ": on the digest, or an item with /schedule done " + schedule.name() + " <n>.";
    }

    private String ownerName(Schedule schedule) {
        return people.byKey(owner(schedule)).map(Person::name).orElse(owner(schedule));
    }

    /** Posts in the schedule's report channel on every connected platform; returns the outbox ids. */
    private List<Long> post(Schedule schedule, Message message, boolean tickable) {
        return post(schedule, platform -> message, tickable);
    }

    /** Posts on every connected platform what {@code message} makes for it (a page that fits its posts). */
    private List<Long> post(Schedule schedule, java.util.function.Function<String, Message> message, boolean tickable) {
        List<Long> ids = new ArrayList<>();
        for (ChatPlatforms.Connected connected : platforms.all()) {
            ids.add(outbox.enqueue(connected.platform().name(), reportChannel(schedule, connected), message.apply(connected.platform().name()), false,
                    tickable ? List.of(TICK_EMOJI) : List.of()));
        }
        return ids;
    }

    private String reportChannel(Schedule schedule, ChatPlatforms.Connected connected) {
        String name = schedule.channelOr(alertsChannel);
        return name.equals(connected.incidents().name()) ? connected.incidents().id() : connected.alerts().id();
    }

    private static String subject(Schedule schedule) {
        return "schedule:" + schedule.name();
    }
}
