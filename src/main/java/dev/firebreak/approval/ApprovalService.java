package dev.firebreak.approval;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firebreak.audit.AuditLog;
import dev.firebreak.chat.ChatPlatforms;
import dev.firebreak.kernel.Emoji;
import dev.firebreak.kernel.Icon;
import dev.firebreak.kernel.Message;
import dev.firebreak.chat.Outbox;
import dev.firebreak.kernel.Durations;
import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.kernel.StoreUnavailable;
import dev.firebreak.kernel.UnfinishedWrites;
import dev.firebreak.incident.Incident;
import dev.firebreak.incident.IncidentService;
import dev.firebreak.incident.IncidentTimeline;
import dev.firebreak.incident.TimelineEntry;
import dev.firebreak.incident.TimelineEvent;
import dev.firebreak.incident.TimelineEvent.Type;
import dev.firebreak.probe.Execution;
import dev.firebreak.chat.Inbound;
import dev.firebreak.chat.ChatException;
import dev.firebreak.chat.ChatPlatform;
import dev.firebreak.people.People;
import dev.firebreak.people.Person;
import dev.firebreak.probe.Action;
import dev.firebreak.probe.ActionResult;
import dev.firebreak.probe.PlannedAction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The approval gate. A request binds to the hash of one planned action; only configured
 * approvers count, by immutable id, each once, never the requester; a reject reaction rejects;
 * removing a reaction withdraws it; requests expire; the action runs exactly once, guarded by a
 * compare-and-set in the store, also when approvals race or the process restarts.
 *
 * <p>Approved actions run on threads of their own, so a vote, a command or the start-up never
 * waits for one (a chain action waits minutes for its receipt). Their result reaches the store
 * completely: when the store fails at the end, the result is kept and posted once it answers.
 */
public final class ApprovalService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApprovalService.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final ApprovalRepository requests;
    private final Map<String, ApprovalPolicy> policies;
    private final Map<String, Action> actions;
    private final People people;
    private final ChatPlatforms platforms;
    private final Outbox outbox;
    private final IncidentService incidents;
    private final IncidentTimeline timeline;
    private final AuditLog audit;
    private final Clock clock;
    private final Map<Long, Object> locks = new ConcurrentHashMap<>();
    private final List<Consumer<Finished>> finishedListeners = new ArrayList<>();
    private final ExecutorService executions = Executors.newVirtualThreadPerTaskExecutor();
    /** Running executions by the order they started in, for {@link #awaitExecutions}. */
    private final Map<Long, CompletableFuture<Void>> running = new ConcurrentSkipListMap<>();
    private final AtomicLong started = new AtomicLong();
    /** The requests this process is executing now. */
    private final Set<Long> runningHere = ConcurrentHashMap.newKeySet();
    private final UnfinishedWrites unrecorded = new UnfinishedWrites();
    private volatile boolean closed;

    public ApprovalService(ApprovalRepository requests, Map<String, ApprovalPolicy> policies, Map<String, Action> actions,
                           People people, ChatPlatforms platforms, Outbox outbox, IncidentService incidents,
                           IncidentTimeline timeline, AuditLog audit, Clock clock) {
        this.requests = requests;
        this.policies = Map.copyOf(policies);
        this.actions = Map.copyOf(actions);
        this.people = people;
        this.platforms = platforms;
        this.outbox = outbox;
        this.incidents = incidents;
        this.timeline = timeline;
        this.audit = audit;
        this.clock = clock;
    }

    /** Called after a gated action has run (or failed), e.g. so a waiting runbook goes on. */
    public void onFinished(Consumer<Finished> listener) {
        finishedListeners.add(listener);
    }

    public record Finished(ApprovalRequest request, ActionResult result) {}

    public Optional<ApprovalPolicy> policy(String name) {
        return Optional.ofNullable(policies.get(name));
    }

    /**
     * The policy an action needs: the command's {@code policy:} and the one its target's
     * configuration asks for this plan; when both are set, the stricter (higher threshold) wins.
     */
    public Optional<String> policyFor(Optional<String> fromCommand, Optional<String> fromTarget) {
        if (fromCommand.isEmpty() || fromTarget.isEmpty()) return fromCommand.or(() -> fromTarget);
        int commandThreshold = policy(fromCommand.get()).map(ApprovalPolicy::threshold).orElse(0);
        int targetThreshold = policy(fromTarget.get()).map(ApprovalPolicy::threshold).orElse(0);
        return targetThreshold > commandThreshold ? fromTarget : fromCommand;
    }

    /** Posts the approval request for a planned action and returns it. */
    public ApprovalRequest request(String actionHandler, PlannedAction plan, String policyName, String requester,
                                   String platform, String channelId, Incident incident, Long runbookRunId) {
        ApprovalPolicy policy = policies.get(policyName);
        if (policy == null) throw new IllegalStateException("unknown approval policy " + policyName);
        refuseWhileRunning(plan);
        Instant now = clock.instant();
        ApprovalRequest request = requests.create(new ApprovalRepository.NewRequest(
                incident == null ? null : incident.number(), actionHandler, plan.hash(), plan.canonicalJson(),
                plan.preview().plainText(), policyName, requester, platform, channelId, runbookRunId, now,
                now.plus(policy.expiresAfter())));
        List<String> eligible = people.withAnyRole(policy.approverRoles()).stream()
                .map(Person::key).filter(k -> !k.equals(requester)).toList();
        Message.Builder message = Message.builder()
                .heading(Icon.APPROVAL_NEEDED, "Approval needed " + request.ref() + ": " + plan.action())
                .append(plan.preview())
                .fields(List.of(
                        new Message.Field("Requested by", requester),
                        new Message.Field("Needs", policy.threshold() + " distinct approver(s) with role "
                                + String.join(" or ", policy.approverRoles()) + ", not the requester"),
                        new Message.Field("Can approve", eligible.isEmpty() ? "nobody" : String.join(", ", eligible)),
                        new Message.Field("Expires", TIME.format(request.expiresAt()) + " (in "
                                + Durations.format(policy.expiresAfter()) + ")")))
                .paragraph("React with :" + policy.approveEmoji() + ": to approve or :" + policy.rejectEmoji()
                        + ": to reject. Approvals count for this exact action only.");
        if (eligible.size() < policy.threshold()) {
            message.paragraph(Icon.WARNING, "Only " + eligible.size() + " person(s) can approve this and it needs "
                    + policy.threshold() + ", so it cannot be approved. Add people with role "
                    + String.join(" or ", policy.approverRoles()) + " in bot/firebreak.yaml.");
        }
        message.note("action hash " + plan.hash());
        long outboxId = outbox.enqueue(platform, channelId, message.build(), false,
                List.of(policy.approveEmoji(), policy.rejectEmoji()));
        requests.attachMessage(request.id(), outboxId);
        record(request, requester, Type.APPROVAL_REQUESTED, null, "requested " + request.ref() + " " + plan.action()
                + " (hash " + request.shortHash() + ", policy " + policyName + ")");
        return requests.find(request.id()).orElseThrow();
    }

    /** A reaction on an approval message is a vote; true when the message was one. */
    public boolean onReaction(Inbound.Reaction reaction) {
        return onReaction(reaction.platform(), reaction.userId(), reaction.channelId(), reaction.messageId(),
                reaction.emoji(), reaction.added());
    }

    private boolean onReaction(String platform, String userId, String channelId, String messageId, String rawEmoji, boolean added) {
        Optional<ApprovalRequest> found = requestForMessage(platform, messageId);
        if (found.isEmpty()) return false;
        ApprovalRequest request = found.get();
        ApprovalPolicy policy = policies.get(request.policy());
        String emoji = Emoji.normalise(rawEmoji);
        Vote.Decision decision = emoji.equals(Emoji.normalise(policy.approveEmoji())) ? Vote.Decision.APPROVE
                : emoji.equals(Emoji.normalise(policy.rejectEmoji())) ? Vote.Decision.REJECT : null;
        if (decision == null) return true;
        String replyChannel = channelId == null ? request.channelId() : channelId;

        Optional<Person> voter = people.byPlatformId(platform, userId);
        if (voter.isEmpty()) {
            tellPrivately(platform, replyChannel, userId, "Your reaction on " + request.ref() + " was not counted: you are not "
                    + "a configured person in Firebreak. Ask an admin to add your " + platform + " id to bot/firebreak.yaml.");
            audit.record(platform + ":" + userId, "approval.ignored", request.ref(), "reaction by unknown user");
            return true;
        }
        Person person = voter.get();
        if (person.key().equals(request.requestedBy())) {
            if (added) {
                tellPrivately(platform, replyChannel, userId, "You requested " + request.ref()
                        + ", so your reaction does not count. Another approver has to approve it.");
                audit.record(person.key(), "approval.ignored", request.ref(), "reaction by the requester");
            }
            return true;
        }
        if (!person.hasAnyRole(policy.approverRoles())) {
            if (added) {
                tellPrivately(platform, replyChannel, userId, "Your reaction on " + request.ref() + " was not counted: approving "
                        + "needs role " + String.join(" or ", policy.approverRoles()) + ".");
                audit.record(person.key(), "approval.ignored", request.ref(), "reaction without an approver role");
            }
            return true;
        }

        boolean approvedNow;
        synchronized (locks.computeIfAbsent(request.id(), id -> new Object())) {
            ApprovalRequest current = requests.find(request.id()).orElseThrow();
            Instant now = clock.instant();
            if (current.state() == ApprovalState.PENDING && !now.isBefore(current.expiresAt())) {
                expire(current);
                current = requests.find(request.id()).orElseThrow();
            }
            if (current.state() != ApprovalState.PENDING) {
                if (added) {
                    tellPrivately(platform, replyChannel, userId, current.ref() + " is already " + current.state().name().toLowerCase()
                            + "; your reaction was not counted.");
                }
                return true;
            }
            approvedNow = vote(current, person, userId, decision, added, now);
        }
        if (approvedNow) executeOnce(request.id());
        return true;
    }

    /** Applies a vote and returns true when it made the request approved. Runs under the request's lock. */
    private boolean vote(ApprovalRequest request, Person person, String userId, Vote.Decision decision, boolean added, Instant now) {
        ApprovalPolicy policy = policies.get(request.policy());
        if (added) {
            requests.putVote(request.id(), new Vote(person.key(), userId, decision, request.actionHash(), now));
        } else {
            boolean hadThisVote = requests.votes(request.id()).stream()
                    .anyMatch(v -> v.person().equals(person.key()) && v.decision() == decision);
            if (!hadThisVote) return false;
            requests.removeVote(request.id(), person.key());
        }
        List<Vote> votes = requests.votes(request.id()).stream()
                .filter(v -> v.actionHash().equals(request.actionHash())).toList();
        List<String> approvers = votes.stream().filter(v -> v.decision() == Vote.Decision.APPROVE).map(Vote::person).toList();
        List<String> rejecters = votes.stream().filter(v -> v.decision() == Vote.Decision.REJECT).map(Vote::person).toList();
        String verb = !added ? "withdrew their " + (decision == Vote.Decision.APPROVE ? "approval of" : "rejection of")
                : decision == Vote.Decision.APPROVE ? "approved" : "rejected";
        String tally = " (" + approvers.size() + "/" + policy.threshold() + ")";
        record(request, person.key(), Type.APPROVAL_VOTE, null, person.key() + " " + verb + " " + request.ref() + tally);

        if (!rejecters.isEmpty()) {
            if (requests.transition(request.id(), ApprovalState.PENDING, ApprovalState.REJECTED, now,
                    "rejected by " + String.join(", ", rejecters))) {
                post(request, Icon.REJECTED, "" + request.ref() + " rejected by " + String.join(", ", rejecters) + ". Nothing was run.");
                record(request, person.key(), Type.APPROVAL_DECIDED, "rejected", request.ref() + " rejected by " + String.join(", ", rejecters));
                finished(request.id(), ActionResult.failed("rejected"));
            }
            return false;
        }
        if (approvers.size() >= policy.threshold()) {
            if (requests.transition(request.id(), ApprovalState.PENDING, ApprovalState.APPROVED, now,
                    "approved by " + String.join(", ", approvers))) {
                record(request, person.key(), Type.APPROVAL_DECIDED, "approved", request.ref() + " approved by " + String.join(", ", approvers));
                post(request, Icon.APPROVED, "" + request.ref() + " approved by " + String.join(", ", approvers) + ". Running it now.");
                return true;
            }
            return false;
        }
        post(request, Icon.VOTE, "" + person.key() + " " + verb + " " + request.ref() + tally + ".");
        return false;
    }

    /**
     * The rule for asking again: an action that is approved and still running, or sent and waiting
     * for its receipt, is not requested a second time while it runs; the refusal points at the
     * request that runs it. Asking again would sign a second transaction behind the first. The
     * same action is the same handler given the same arguments (checked before planning, since
     * a plan simulates against a state the pending transaction may already change), or the same
     * planned action (hash).
     */
    public void refuseWhileRunning(String action, Map<String, String> args) {
        List<String> given = args.values().stream().filter(v -> v != null && !v.isBlank()).map(String::trim).toList();
        if (given.isEmpty()) return;
        for (ApprovalRequest other : running()) {
            if (!other.action().equals(action)) continue;
            java.util.Collection<String> values = planOf(other).canonical().values();
            if (values.containsAll(given)) throw alreadyRunning(other);
        }
    }

    private void refuseWhileRunning(PlannedAction plan) {
        for (ApprovalRequest other : running()) {
            if (other.actionHash().equals(plan.hash())) throw alreadyRunning(other);
        }
    }

    private List<ApprovalRequest> running() {
        return requests.inState(ApprovalState.APPROVED, ApprovalState.EXECUTING, ApprovalState.SENT);
    }

    private static InvalidInput alreadyRunning(ApprovalRequest other) {
        return new InvalidInput(other.ref() + " already runs this exact action (" + other.action() + ", hash " + other.shortHash() + ")"
                + (other.state() == ApprovalState.SENT && other.result() != null ? ": " + other.result() : ", approved and running")
                + ". Its result is posted in its channel when it finishes; nothing new was requested.");
    }

    /** Runs an approved request unless another thread or an earlier process already did; returns at once. */
    public void executeOnce(long requestId) {
        if (!requests.transition(requestId, ApprovalState.APPROVED, ApprovalState.EXECUTING, clock.instant(), null)) return;
        runInBackground(requests.find(requestId).orElseThrow());
    }

    /** Starts the execution on a thread of its own, so no vote, command or start-up waits for it. */
    private void runInBackground(ApprovalRequest request) {
        if (!runningHere.add(request.id())) return;
        long order = started.incrementAndGet();
        CompletableFuture<Void> done = new CompletableFuture<>();
        running.put(order, done);
        executions.execute(() -> {
            try {
                run(request);
            } finally {
                runningHere.remove(request.id());
                running.remove(order);
                done.complete(null);
            }
        });
    }

    /** How many executions have been started so far, for {@link #awaitExecutions}. */
    public long executionsStarted() {
        return started.get();
    }

    /**
     * Waits, up to {@code limit}, for the executions started after the first {@code startedBefore}
     * to finish; the console uses it so that what a line set off is posted before the next line.
     */
    public void awaitExecutions(long startedBefore, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        for (Map.Entry<Long, CompletableFuture<Void>> entry : running.entrySet()) {
            if (entry.getKey() <= startedBefore) continue;
            try {
                entry.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                // the execution reports its own failures
            }
        }
    }

    private void run(ApprovalRequest request) {
        Action action = actions.get(request.action());
        ActionResult result;
        if (action == null) {
            result = ActionResult.failed("no action named " + request.action() + " is configured any more");
        } else {
            try {
                result = executeUntilStored(action, request);
            } catch (RuntimeException e) {
                if (closed) {
                    log.info("{} stopped with Firebreak ({}); it is taken up again at the next start", request.ref(), e.toString());
                    return;
                }
                log.error("Action {} of {} failed", request.action(), request.ref(), e);
                result = ActionResult.failed("the action failed inside Firebreak (" + e.getClass().getSimpleName()
                        + "); see the bot's log. It was not retried.");
            }
            if (closed && !result.succeeded()) {
                log.info("{} was cut short by Firebreak stopping; it is taken up again at the next start", request.ref());
                return;
            }
        }
        String name = action == null ? request.action() : planOf(request).action();
        try {
            unrecorded.run(request.ref() + " " + name + " " + (result.succeeded() ? "succeeded" : "failed"),
                    resultWrites(request, name, result));
        } catch (StoreUnavailable e) {
            // kept: recordResults() posts it once the store answers
        }
    }

    /**
     * Executes the action. An action that is safe to resume (a stored, signed transaction) is
     * tried again while the store is unreachable; any other is reported failed, and nothing was run.
     */
    private ActionResult executeUntilStored(Action action, ApprovalRequest request) {
        PlannedAction plan = planOf(request);
        Execution execution = new Execution.Approved(request.ref(), request.actionHash(), request.executionKey(),
                what -> markSent(request, what));
        Duration wait = Duration.ofMillis(200);
        while (true) {
            try {
                return action.execute(plan, execution);
            } catch (RuntimeException e) {
                Optional<StoreUnavailable> store = StoreUnavailable.in(e);
                if (store.isEmpty()) throw e;
                if (!action.safeToResume()) {
                    return ActionResult.failed("not run: the store is unreachable (" + store.get().reason() + ")");
                }
                log.warn("{} waits for the store: {}", request.ref(), store.get().reason());
                LockSupport.parkNanos(wait.toNanos());
                if (Thread.currentThread().isInterrupted() || closed) throw e;
                wait = wait.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : wait.multipliedBy(2);
            }
        }
    }

    /** EXECUTING -> SENT once the transaction is broadcast: said in the channel and on the timeline, once. */
    private void markSent(ApprovalRequest request, String what) {
        try {
            if (requests.transition(request.id(), ApprovalState.EXECUTING, ApprovalState.SENT, clock.instant(), what)) {
                post(request, Icon.INFO, request.ref() + " " + what + ". The result is posted here when it is in, "
                        + "also if Firebreak restarts meanwhile.");
                record(request, IncidentService.BOT, Type.ACTION, "sent", request.ref() + " " + what);
            }
        } catch (StoreUnavailable e) {
            log.warn("Could not record that {} was sent ({}); it is waited for all the same", request.ref(), e.reason());
        }
    }

    /** The writes that end an execution, each once: the final state, the timeline, the result in chat, who waits for it. */
    private List<UnfinishedWrites.Write> resultWrites(ApprovalRequest request, String name, ActionResult result) {
        ApprovalState end = result.succeeded() ? ApprovalState.SUCCEEDED : ApprovalState.FAILED;
        boolean[] ours = {false};
        return List.of(
                new UnfinishedWrites.Write("record the outcome", () -> {
                    Instant now = clock.instant();
                    ours[0] = requests.transition(request.id(), ApprovalState.SENT, end, now, result.summary())
                            || requests.transition(request.id(), ApprovalState.EXECUTING, end, now, result.summary());
                }),
                new UnfinishedWrites.Write("put it on the timeline", () -> {
                    if (ours[0]) record(request, IncidentService.BOT, Type.ACTION, result.succeeded() ? "succeeded" : "failed",
                            request.ref() + " " + name + " " + (result.succeeded() ? "succeeded" : "failed") + ": " + result.summary());
                }),
                new UnfinishedWrites.Write("post the result", () -> {
                    if (ours[0]) outbox.enqueue(request.platform(), request.channelId(), Message.builder()
                            .heading(result.succeeded() ? Icon.OK : Icon.ERROR, request.ref() + " "
                                    + (result.succeeded() ? "done" : "failed"))
                            .append(result.details())
                            .build());
                }),
                new UnfinishedWrites.Write("tell who waits for it", () -> {
                    if (ours[0]) finished(request.id(), result);
                }));
    }

    /** Records and posts the results that a store outage held back. Driven by the clock; returns how many. */
    public int recordResults() {
        return unrecorded.finish();
    }

    /** How many results wait for the store to take them (a gauge on {@code /metrics}). */
    public int resultsWaitingForStore() {
        return unrecorded.waiting();
    }

    /** Stops the executions in flight: their requests stay running in the store and resume at the next start. */
    @Override
    public void close() {
        closed = true;
        executions.shutdownNow();
        try {
            executions.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Expires pending requests whose time is up. Driven by the clock. */
    public int expireDue() {
        int expired = 0;
        for (ApprovalRequest request : requests.inState(ApprovalState.PENDING)) {
            if (!clock.instant().isBefore(request.expiresAt())) {
                synchronized (locks.computeIfAbsent(request.id(), id -> new Object())) {
                    if (expire(request)) expired++;
                }
            }
        }
        return expired;
    }

    private boolean expire(ApprovalRequest request) {
        if (!requests.transition(request.id(), ApprovalState.PENDING, ApprovalState.EXPIRED, clock.instant(), "expired")) {
            return false;
        }
        post(request, Icon.EXPIRED, "" + request.ref() + " expired without enough approvals. Nothing was run; request it again if it is still needed.");
        record(request, IncidentService.BOT, Type.APPROVAL_DECIDED, "expired", request.ref() + " expired");
        finished(request.id(), ActionResult.failed("expired"));
        return true;
    }

    /**
     * After a restart: starts requests that were approved but not started; for requests that were
     * running (or sent and waiting for a receipt), takes up again the ones that are safe to resume
     * (waiting on the same transaction) and reports the others. Returns at once: what it resumes
     * runs in the background, so the chat platforms connect and answer meanwhile.
     */
    public void recover() {
        // those running when the process stopped: not the ones this process runs (started below, or earlier)
        List<ApprovalRequest> interrupted = requests.inState(ApprovalState.EXECUTING, ApprovalState.SENT).stream()
                .filter(r -> !runningHere.contains(r.id())).toList();
        for (ApprovalRequest request : requests.inState(ApprovalState.APPROVED)) {
            executeOnce(request.id());
        }
        for (ApprovalRequest request : interrupted) {
            Action action = actions.get(request.action());
            if (action != null && action.safeToResume()) {
                log.info("Resuming {} after a restart", request.ref());
                runInBackground(request);
            } else if (requests.transition(request.id(), request.state(), ApprovalState.UNKNOWN, clock.instant(),
                    "interrupted by a restart")) {
                post(request, Icon.WARNING, "Firebreak stopped while running " + request.ref() + " (" + request.action()
                        + "). It was not repeated, because repeating it may not be safe: check the target system and "
                        + "record the outcome with /incident update.");
                record(request, IncidentService.BOT, Type.APPROVAL_DECIDED, "interrupted", request.ref() + " interrupted by a restart");
            }
        }
    }

    /** What became of the approval a runbook run waits on: its latest request, if any. */
    public Optional<ApprovalRequest> requestOfRun(long runbookRunId) {
        return requests.inState(ApprovalState.values()).stream()
                .filter(r -> r.runbookRunId() != null && r.runbookRunId() == runbookRunId)
                .reduce((first, second) -> second);
    }

    /** The incident's requests still waiting for votes, one line each, for {@code /incident status}. */
    public List<String> pendingFor(Incident incident) {
        List<String> lines = new ArrayList<>();
        for (ApprovalRequest request : requests.inState(ApprovalState.PENDING)) {
            if (!Long.valueOf(incident.number()).equals(request.incidentNumber())) continue;
            ApprovalPolicy policy = policies.get(request.policy());
            long approvals = requests.votes(request.id()).stream().filter(v -> v.decision() == Vote.Decision.APPROVE).count();
            lines.add("Waiting for approval: " + request.ref() + " " + planOf(request).action() + " (" + approvals + "/"
                    + policy.threshold() + ", expires " + TIME.format(request.expiresAt()) + ")");
        }
        for (ApprovalRequest request : requests.inState(ApprovalState.SENT)) {
            if (!Long.valueOf(incident.number()).equals(request.incidentNumber())) continue;
            lines.add("Waiting for its receipt: " + request.ref() + " " + planOf(request).action() + " (" + request.result() + ")");
        }
        return lines;
    }

    /** The approval request whose message this is, if any. */
    public Optional<ApprovalRequest> requestForMessage(String platform, String messageId) {
        return outbox.findByPlatformMessage(platform, messageId).flatMap(entry -> requests.findByOutboxId(entry.id()));
    }

    /**
     * After a platform (re)connected: brings the votes of each pending approval message on it in
     * line with the reactions now on the message, since reactions added or removed while
     * Firebreak was away sent no events.
     */
    public void catchUp(String platform) {
        for (ApprovalRequest request : requests.inState(ApprovalState.PENDING)) {
            if (!request.platform().equals(platform)) continue;
            Optional<String> messageId = Optional.ofNullable(request.outboxId()).flatMap(outbox::find).map(e -> e.platformMessageId());
            if (messageId.isEmpty()) continue;
            try {
                reconcile(request, messageId.get(), platforms.platform(platform).reactions(request.channelId(), messageId.get()));
            } catch (ChatException e) {
                log.warn("Could not re-read reactions on {} ({}): {}", request.ref(), messageId.get(), e.getMessage());
            }
        }
    }

    private record ReactionBy(String userId, String emoji) {}

    /** Withdrawals first, so a reaction added while away never completes the threshold with a vote already taken back. */
    private void reconcile(ApprovalRequest request, String messageId, List<ChatPlatform.ReactionSnapshot> reactions) {
        ApprovalPolicy policy = policies.get(request.policy());
        Set<ReactionBy> present = new LinkedHashSet<>();
        for (ChatPlatform.ReactionSnapshot snapshot : reactions) {
            for (String user : snapshot.userIds()) present.add(new ReactionBy(user, Emoji.normalise(snapshot.emoji())));
        }
        Set<ReactionBy> counted = new HashSet<>();
        for (Vote vote : requests.votes(request.id())) {
            ReactionBy reaction = new ReactionBy(vote.userId(), Emoji.normalise(vote.decision() == Vote.Decision.APPROVE
                    ? policy.approveEmoji() : policy.rejectEmoji()));
            if (present.contains(reaction)) {
                counted.add(reaction);
            } else {
                onReaction(request.platform(), reaction.userId(), request.channelId(), messageId, reaction.emoji(), false);
            }
        }
        for (ReactionBy reaction : present) {
            if (!counted.contains(reaction)) {
                onReaction(request.platform(), reaction.userId(), request.channelId(), messageId, reaction.emoji(), true);
            }
        }
    }

    static PlannedAction planOf(ApprovalRequest request) {
        try {
            Map<String, Object> document = JSON.readValue(request.canonicalJson(), new TypeReference<>() {});
            @SuppressWarnings("unchecked")
            Map<String, String> params = (Map<String, String>) document.get("params");
            PlannedAction plan = new PlannedAction(String.valueOf(document.get("action")), params, Message.text(request.preview()));
            if (!plan.hash().equals(request.actionHash())) {
                throw new IllegalStateException("stored action of " + request.ref() + " does not match its approved hash");
            }
            return plan;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("stored action of " + request.ref() + " is unreadable", e);
        }
    }

    private void finished(long requestId, ActionResult result) {
        ApprovalRequest request = requests.find(requestId).orElseThrow();
        for (Consumer<Finished> listener : finishedListeners) {
            try {
                listener.accept(new Finished(request, result));
            } catch (StoreUnavailable e) {
                throw e;
            } catch (RuntimeException e) {
                log.error("Listener failed after {}", request.ref(), e);
            }
        }
    }

    private void post(ApprovalRequest request, Icon icon, String text) {
        outbox.enqueue(request.platform(), request.channelId(), Message.text(icon, text));
    }

    private void tellPrivately(String platform, String channelId, String userId, String text) {
        try {
            platforms.platform(platform).postPrivately(channelId, userId, Message.text(text));
        } catch (RuntimeException e) {
            log.warn("Could not reply privately on {}: {}", platform, e.getMessage());
        }
    }

    private void record(ApprovalRequest request, String actor, Type type, String outcome, String text) {
        TimelineEntry entry = TimelineEntry.of(type, actor, text).from(TimelineEvent.Source.APPROVALS)
                .with("request", request.ref()).with("hash", request.actionHash());
        if (outcome != null) entry = entry.with("outcome", outcome);
        timeline.record(Optional.ofNullable(request.incidentNumber()).flatMap(incidents::find), request.ref(), entry);
    }
}
