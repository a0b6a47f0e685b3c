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
import java.util.function.BooleanSupplier;
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
    private final Map<Long, Running> running = new ConcurrentSkipListMap<>();

    /** An execution running here, in the order executions started: its request and when it is done. */
    private record Running(long requestId, CompletableFuture<Void> done) {}
    private final AtomicLong started = new AtomicLong();
    /** The requests this process is executing now. */
    private final Set<Long> runningHere = ConcurrentHashMap.newKeySet();
    /** What the executions running here wait on from others (owners signing a Safe transaction), by request. */
    private final Map<Long, OnOthers> waitingOnOthers = new ConcurrentHashMap<>();
    private final UnfinishedWrites unrecorded = new UnfinishedWrites();
    private volatile boolean closed;
    private volatile BooleanSupplier mayAct = () -> true;

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

    /**
     * The fencing check made right before any action runs, approved or direct: with replicas,
     * whether this process still leads. When it says no, nothing is run; an approved request
     * stays for the leader, whose recovery takes it up.
     */
    public void fence(BooleanSupplier mayAct) {
        this.mayAct = mayAct;
    }

    /**
     * Refuses, before a direct action runs, when this process may not act (a replica that lost
     * the leadership). The one fence on actions: approved executions pass it in {@link #run} too.
     */
    public void refuseUnlessLeading() {
        if (!mayAct.getAsBoolean()) {
            throw new InvalidInput("This Firebreak replica no longer leads (it lost its hold on the store), so it ran nothing. "
                    + "The replica that leads now answers; run the command again there.");
        }
    }

    /** Called after a gated action has run (or failed), e.g. so a waiting runbook goes on. */
    public void onFinished(Consumer<Finished> listener) {
        finishedListeners.add(listener);
    }

    public record Finished(ApprovalRequest request, ActionResult result) {}

    private Optional<ApprovalPolicy> policy(String name) {
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

    /**
     * Posts the approval request for a planned action and returns it. The same action (same hash)
     * cannot wait twice: while one request for it is pending or running, another is refused with
     * a pointer to it.
     */
    public synchronized ApprovalRequest request(String actionHandler, PlannedAction plan, String policyName, String requester,
                                                String platform, String channelId, Incident incident, Long runbookRunId) {
        ApprovalPolicy policy = policies.get(policyName);
        if (policy == null) throw new IllegalStateException("unknown approval policy " + policyName);
        refuseDuplicate(plan);
        Instant now = clock.instant();
        ApprovalRequest request = requests.create(new ApprovalRepository.NewRequest(
                incident == null ? null : incident.number(), actionHandler, plan.hash(), plan.canonicalJson(),
                plan.preview().plainText(), policyName, requester, platform, channelId, runbookRunId, now,
                now.plus(policy.expiresAfter())));
        List<String> eligible = eligible(request, policy);
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
        message.note("action hash " + plan.hash() + " (SHA-256 of " + plan.canonicalJson() + ")");
        long outboxId = outbox.enqueue(platform, channelId, message.build(), false,
                List.of(policy.approveEmoji(), policy.rejectEmoji()));
        requests.attachMessage(request.id(), outboxId);
        record(request, requester, Type.APPROVAL_REQUESTED, null, "requested " + request.ref() + " " + plan.action()
                + " (hash " + request.shortHash() + ", policy " + policyName + ")");
        return requests.find(request.id()).orElseThrow();
    }

    /** The people who may approve a request under the configuration in force: the approver roles, never the requester. */
    private List<String> eligible(ApprovalRequest request, ApprovalPolicy policy) {
        return people.withAnyRole(policy.approverRoles()).stream()
                .map(Person::key).filter(k -> !k.equals(request.requestedBy())).toList();
    }

    /** A reaction on an approval message is a vote; true when the message was one and the reaction was a vote. */
    public boolean onReaction(Inbound.Reaction reaction) {
        Optional<ApprovalRequest> found = requestForMessage(reaction.platform(), reaction.channelId(), reaction.messageId());
        if (found.isEmpty()) return false;
        ApprovalRequest request = found.get();
        ApprovalPolicy policy = policies.get(request.policy());
        String platform = reaction.platform();
        String userId = reaction.userId();
        String replyChannel = reaction.channelId() == null ? request.channelId() : reaction.channelId();
        Vote.Decision decision = decisionOf(policy, reaction.emoji());
        if (decision == null) {
            if (reaction.added()) {
                tellPrivately(platform, replyChannel, userId, "Your :" + Emoji.normalise(reaction.emoji()) + ": on "
                        + request.ref() + " is not a vote. React with :" + policy.approveEmoji() + ": to approve or :"
                        + policy.rejectEmoji() + ": to reject.");
            }
            return false;
        }

        Optional<Person> voter = people.byPlatformId(platform, userId);
        if (voter.isEmpty()) {
            if (reaction.added()) {
                tellPrivately(platform, replyChannel, userId, "Your reaction on " + request.ref() + " was not counted: you are not "
                        + "a configured person in Firebreak. Ask an admin to add your " + platform + " id to bot/firebreak.yaml.");
                audit.record(platform + ":" + userId, "approval.ignored", request.ref(), "reaction by unknown user");
            }
            return true;
        }
        Person person = voter.get();
        if (person.key().equals(request.requestedBy())) {
            if (reaction.added()) {
                tellPrivately(platform, replyChannel, userId, "You requested " + request.ref()
                        + ", so your reaction does not count. Another approver has to approve it.");
                audit.record(person.key(), "approval.ignored", request.ref(), "reaction by the requester");
            }
            return true;
        }
        if (!person.hasAnyRole(policy.approverRoles())) {
            if (reaction.added()) {
                tellPrivately(platform, replyChannel, userId, "Your reaction on " + request.ref() + " was not counted: approving "
                        + "needs role " + String.join(" or ", policy.approverRoles()) + ".");
                audit.record(person.key(), "approval.ignored", request.ref(), "reaction without an approver role");
            }
            return true;
        }

        boolean approvedNow;
        synchronized (lockOf(request.id())) {
            ApprovalRequest current = stillPending(requests.find(request.id()).orElseThrow());
            if (current.state() != ApprovalState.PENDING) {
                if (reaction.added()) {
                    tellPrivately(platform, replyChannel, userId, current.ref() + " is already " + current.state().name().toLowerCase()
                            + "; your reaction was not counted.");
                }
                return true;
            }
            Optional<Vote> earlier = requests.votes(current.id()).stream().filter(v -> v.person().equals(person.key())).findFirst();
            Instant now = clock.instant();
            if (reaction.added()) {
                if (earlier.isPresent() && earlier.get().decision() == decision) {
                    tellPrivately(platform, replyChannel, userId, "You already " + verb(decision) + " " + current.ref()
                            + "; each approver counts once " + tallyText(current, tally(current)) + ". Nothing changed.");
                    return true;
                }
                requests.putVote(current.id(), new Vote(person.key(), userId, decision, current.actionHash(), now));
            } else {
                if (earlier.isEmpty() || earlier.get().decision() != decision) return true;
                requests.removeVote(current.id(), person.key());
            }
            String change = person.key() + " " + (reaction.added() ? verb(decision) : "withdrew their "
                    + (decision == Vote.Decision.APPROVE ? "approval of" : "rejection of")) + " " + current.ref();
            approvedNow = recount(current, person.key(), change);
        }
        if (approvedNow) executeOnce(request.id());
        return true;
    }

    private static Vote.Decision decisionOf(ApprovalPolicy policy, String emoji) {
        String e = Emoji.normalise(emoji);
        return e.equals(Emoji.normalise(policy.approveEmoji())) ? Vote.Decision.APPROVE
                : e.equals(Emoji.normalise(policy.rejectEmoji())) ? Vote.Decision.REJECT : null;
    }

    private static String verb(Vote.Decision decision) {
        return decision == Vote.Decision.APPROVE ? "approved" : "rejected";
    }

    private Object lockOf(long requestId) {
        return locks.computeIfAbsent(requestId, id -> new Object());
    }

    /**
     * The request as it stands now: expired when its time is up, cancelled when its incident was
     * resolved. Runs under the request's lock.
     */
    private ApprovalRequest stillPending(ApprovalRequest request) {
        if (request.state() != ApprovalState.PENDING) return request;
        if (!clock.instant().isBefore(request.expiresAt())) {
            expire(request);
        } else if (request.incidentNumber() != null && incidents.find(request.incidentNumber()).filter(i -> !i.open()).isPresent()) {
            cancel(request, IncidentService.BOT, "because INC-" + request.incidentNumber() + " was resolved");
        }
        return requests.find(request.id()).orElseThrow();
    }

    /**
     * The votes that count, from the one place votes are counted: the stored votes for this
     * action hash, of people who are configured now, by the same platform id, hold an approver
     * role of the policy now, and are not the requester. A vote of someone who has since lost
     * the role, or left the configuration, does not count.
     */
    record Tally(List<String> approvers, List<String> rejecters) {}

    private Tally tally(ApprovalRequest request) {
        List<String> approvers = new ArrayList<>();
        List<String> rejecters = new ArrayList<>();
        for (Vote vote : requests.votes(request.id())) {
            if (!vote.actionHash().equals(request.actionHash())) continue;
            Optional<Person> person = people.byPlatformId(request.platform(), vote.userId())
                    .filter(p -> p.key().equals(vote.person()))
                    .filter(p -> mayApprove(request, p));
            if (person.isEmpty()) continue;
            (vote.decision() == Vote.Decision.APPROVE ? approvers : rejecters).add(person.get().key());
        }
        return new Tally(List.copyOf(approvers), List.copyOf(rejecters));
    }

    private boolean mayApprove(ApprovalRequest request, Person person) {
        return !person.key().equals(request.requestedBy()) && person.hasAnyRole(policies.get(request.policy()).approverRoles());
    }

    private String tallyText(ApprovalRequest request, Tally tally) {
        return "(" + tally.approvers().size() + "/" + policies.get(request.policy()).threshold() + ")";
    }

    /**
     * After the votes of a pending request changed: records the change, then decides from the
     * {@link #tally}: any counted rejection rejects, enough counted approvals approve; otherwise
     * posts the new count. Returns true when the request became approved. Runs under its lock.
     */
    private boolean recount(ApprovalRequest request, String actor, String change) {
        ApprovalPolicy policy = policies.get(request.policy());
        Tally tally = tally(request);
        Instant now = clock.instant();
        String counted = change + " " + tallyText(request, tally);
        record(request, actor, Type.APPROVAL_VOTE, null, counted);
        if (!tally.rejecters().isEmpty()) {
            String by = String.join(", ", tally.rejecters());
            if (requests.transition(request.id(), ApprovalState.PENDING, ApprovalState.REJECTED, now, "rejected by " + by)) {
                post(request, Icon.REJECTED, request.ref() + " rejected by " + by + ". Nothing was run.");
                record(request, actor, Type.APPROVAL_DECIDED, "rejected", request.ref() + " rejected by " + by);
                finished(request.id(), ActionResult.failed("rejected"));
            }
            return false;
        }
        if (tally.approvers().size() >= policy.threshold()) {
            String by = String.join(", ", tally.approvers());
            if (requests.transition(request.id(), ApprovalState.PENDING, ApprovalState.APPROVED, now, "approved by " + by)) {
                record(request, actor, Type.APPROVAL_DECIDED, "approved", request.ref() + " approved by " + by);
                post(request, Icon.APPROVED, request.ref() + " approved by " + by + ". Running it now.");
                return true;
            }
            return false;
        }
        post(request, Icon.VOTE, counted + ".");
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

    /** The same action (by hash) is requested once: not while it waits for approval, not while it runs. */
    private void refuseDuplicate(PlannedAction plan) {
        for (ApprovalRequest open : requests.inState(ApprovalState.PENDING)) {
            if (open.actionHash().equals(plan.hash())) {
                throw new InvalidInput("This exact action is already waiting for approval as " + open.ref() + " (requested by "
                        + open.requestedBy() + " at " + TIME.format(open.createdAt()) + ", expires " + TIME.format(open.expiresAt())
                        + "); approve that one, or /action cancel " + open.ref() + " first.");
            }
        }
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
        if (!mayAct.getAsBoolean()) {
            log.warn("Request {} is approved but not run here: this replica no longer leads; the leader runs it.", requestId);
            return;
        }
        if (!requests.transition(requestId, ApprovalState.APPROVED, ApprovalState.EXECUTING, clock.instant(), null)) return;
        runInBackground(requests.find(requestId).orElseThrow());
    }

    /** Starts the execution on a thread of its own, so no vote, command or start-up waits for it. */
    private void runInBackground(ApprovalRequest request) {
        if (!runningHere.add(request.id())) return;
        long order = started.incrementAndGet();
        CompletableFuture<Void> done = new CompletableFuture<>();
        running.put(order, new Running(request.id(), done));
        executions.execute(() -> {
            try {
                run(request);
            } finally {
                waitingOnOthers.remove(request.id());
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
        awaitExecutions(startedBefore, Set.of(), limit);
    }

    /**
     * As {@link #awaitExecutions(long, Duration)}, and also for the executions of {@code wereWaiting}
     * (requests that waited on others when the last line ended: the owners' signatures a line may have
     * added let them go on). An execution that waits on others ({@link #requestsWaitingOnOthers}) is not
     * waited for: people outside the chat sign, and its progress is posted when they do.
     */
    public void awaitExecutions(long startedBefore, Set<Long> wereWaiting, Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        for (Map.Entry<Long, Running> entry : running.entrySet()) {
            Running execution = entry.getValue();
            if (entry.getKey() <= startedBefore && !wereWaiting.contains(execution.requestId())) continue;
            while (!execution.done().isDone() && !waitingOnOthers.containsKey(execution.requestId())) {
                long left = deadline - System.nanoTime();
                if (left <= 0) return;
                try {
                    execution.done().get(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS);
                } catch (TimeoutException e) {
                    // asked again: it may have begun to wait on others meanwhile
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } catch (ExecutionException | java.util.concurrent.CancellationException e) {
                    // the execution reports its own failures
                }
            }
        }
    }

    /** The requests whose executions here wait on others now (owners signing a Safe transaction). */
    public Set<Long> requestsWaitingOnOthers() {
        return Set.copyOf(waitingOnOthers.keySet());
    }

    private void run(ApprovalRequest request) {
        Action action = actions.get(request.action());
        ActionResult result;
        if (action == null) {
            result = ActionResult.failed("no action named " + request.action() + " is configured any more");
        } else {
            try {
                result = executeUntilStored(action, request);
            } catch (NotLeading | Execution.Deposed e) {
                log.warn("{} not run: this replica no longer leads; the leader takes it up ({} in the store)",
                        request.ref(), request.state());
                return;
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
                new Execution.Progress() {
                    @Override
                    public void sent(String what) {
                        waitingOnOthers.remove(request.id());   // sent: it waits for its receipt now, on nobody
                        markSent(request, what);
                    }

                    @Override
                    public void note(String what) {
                        noteProgress(request, what);
                    }

                    @Override
                    public void waiting(String what, Instant until) {
                        waitingOnOthers.put(request.id(), new OnOthers(what, until));
                    }
                }, () -> mayAct.getAsBoolean());
        Duration wait = Duration.ofMillis(200);
        while (true) {
            if (!mayAct.getAsBoolean()) throw new NotLeading();   // checked right before every send
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

    /** This process lost the leadership before an action ran: nothing was sent. */
    private static final class NotLeading extends RuntimeException {
        NotLeading() {
            super("not the leader", null, false, false);
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

    /** Progress of a running execution (owners signing a Safe transaction): said in the channel and on the timeline. */
    private void noteProgress(ApprovalRequest request, String what) {
        post(request, Icon.INFO, request.ref() + " " + what);
        try {
            record(request, IncidentService.BOT, Type.ACTION, "progress", request.ref() + " " + what);
        } catch (StoreUnavailable e) {
            log.warn("Could not record the progress of {} ({}); it runs on all the same", request.ref(), e.reason());
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
                synchronized (lockOf(request.id())) {
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
        post(request, Icon.EXPIRED, request.ref() + " expired without enough approvals. Nothing was run; request it again if it is still needed.");
        record(request, IncidentService.BOT, Type.APPROVAL_DECIDED, "expired", request.ref() + " expired");
        finished(request.id(), ActionResult.failed("expired"));
        return true;
    }

    /**
     * After a restart: starts requests that were approved but not started, if they have not expired
     * and their approvals still hold under the configuration now, saying that a restart came
     * between; for requests that were running (or sent and waiting for a receipt), takes up again
     * the ones that are safe to resume (waiting on the same transaction) and reports the others.
     * Returns at once: what it resumes runs in the background, so the chat platforms connect and
     * answer meanwhile.
     */
    public void recover() {
        // those running when the process stopped: not the ones this process runs (started below, or earlier)
        List<ApprovalRequest> interrupted = requests.inState(ApprovalState.EXECUTING, ApprovalState.SENT).stream()
                .filter(r -> !runningHere.contains(r.id())).toList();
        for (ApprovalRequest request : requests.inState(ApprovalState.APPROVED)) {
            resumeApproved(request);
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
            lines.add("Waiting for approval: " + request.ref() + " " + planOf(request).action() + " " + tallyText(request, tally(request))
                    + ", expires " + TIME.format(request.expiresAt()));
        }
        for (ApprovalRequest request : requests.inState(ApprovalState.SENT)) {
            if (!Long.valueOf(incident.number()).equals(request.incidentNumber())) continue;
            lines.add("Waiting for its receipt: " + request.ref() + " " + planOf(request).action() + " (" + request.result() + ")");
        }
        return lines;
    }

    private void resumeApproved(ApprovalRequest request) {
        Instant now = clock.instant();
        String approvedAt = request.decidedAt() == null ? "earlier" : "at " + TIME.format(request.decidedAt());
        Tally tally = tally(request);
        if (!now.isBefore(request.expiresAt())) {
            if (requests.transition(request.id(), ApprovalState.APPROVED, ApprovalState.EXPIRED, now,
                    "expired before it ran: a restart came between")) {
                post(request, Icon.EXPIRED, request.ref() + " (" + actionName(request) + ") was approved " + approvedAt
                        + ", but Firebreak restarted before running it and it expired at " + TIME.format(request.expiresAt())
                        + ". Nothing was run; request it again if it is still needed.");
                record(request, IncidentService.BOT, Type.APPROVAL_DECIDED, "expired",
                        request.ref() + " expired before it ran: a restart came between");
                finished(request.id(), ActionResult.failed("expired"));
            }
        } else if (!tally.rejecters().isEmpty() || tally.approvers().size() < policies.get(request.policy()).threshold()) {
            String counted = tallyText(request, tally);
            if (requests.transition(request.id(), ApprovalState.APPROVED, ApprovalState.CANCELLED, now,
                    "approvals no longer hold after a restart " + counted)) {
                post(request, Icon.REJECTED, request.ref() + " (" + actionName(request) + ") was approved " + approvedAt
                        + ", but after a restart its approvals no longer hold under bot/firebreak.yaml " + counted
                        + ". Nothing was run; request it again if it is still needed.");
                record(request, IncidentService.BOT, Type.APPROVAL_DECIDED, "cancelled",
                        request.ref() + " cancelled: its approvals no longer hold after a restart " + counted);
                finished(request.id(), ActionResult.failed("approvals no longer hold"));
            }
        } else {
            post(request, Icon.INFO, "Firebreak restarted after " + request.ref() + " was approved " + approvedAt
                    + " and before it ran. Running it now, before it expires at " + TIME.format(request.expiresAt()) + ".");
            record(request, IncidentService.BOT, Type.APPROVAL_DECIDED, "resumed",
                    request.ref() + " runs after a restart (approved " + approvedAt + ")");
            executeOnce(request.id());
        }
    }

    /**
     * Cancels a request that has not started: by its requester or a commander ({@code /action
     * cancel}), or because its incident was resolved ({@code reason} reads "by alice", "because
     * INC-3 was resolved"). Posted, on the timeline and in the audit log. False when it was no
     * longer waiting.
     */
    public boolean cancel(ApprovalRequest request, String actor, String reason) {
        synchronized (lockOf(request.id())) {
            Instant now = clock.instant();
            boolean cancelled = requests.transition(request.id(), ApprovalState.PENDING, ApprovalState.CANCELLED, now,
                    "cancelled " + reason)
                    || requests.transition(request.id(), ApprovalState.APPROVED, ApprovalState.CANCELLED, now, "cancelled " + reason);
            if (!cancelled) return false;
            post(request, Icon.REJECTED, request.ref() + " (" + actionName(request) + ") cancelled " + reason
                    + ". Nothing was run; it can no longer be approved.");
            record(request, actor, Type.APPROVAL_DECIDED, "cancelled", request.ref() + " cancelled " + reason);
        }
        finished(request.id(), ActionResult.failed("cancelled"));
        return true;
    }

    /** Cancels every request of the incident that has not started (it was resolved); returns their refs and actions. */
    public List<String> cancelAllOf(Incident incident, String actor) {
        List<String> cancelled = new ArrayList<>();
        for (ApprovalRequest request : requests.inState(ApprovalState.PENDING, ApprovalState.APPROVED)) {
            if (Long.valueOf(incident.number()).equals(request.incidentNumber())
                    && cancel(request, actor, "because " + incident.id() + " was resolved by " + actor)) {
                cancelled.add(request.ref() + " (" + actionName(request) + ")");
            }
        }
        return cancelled;
    }

    /** A request by its ref ({@code A-12} or {@code 12}). */
    public Optional<ApprovalRequest> find(String ref) {
        String number = ref.strip().toUpperCase(java.util.Locale.ROOT).replaceFirst("^A-", "");
        if (!number.matches("[0-9]{1,18}")) return Optional.empty();
        return requests.find(Long.parseLong(number));
    }

    /** What waits: every pending request, oldest first, with the people who could still approve it. */
    public List<Waiting> pending() {
        List<Waiting> waiting = new ArrayList<>();
        for (ApprovalRequest request : requests.inState(ApprovalState.PENDING)) {
            ApprovalPolicy policy = policies.get(request.policy());
            Tally tally = tally(request);
            List<String> still = eligible(request, policy).stream()
                    .filter(p -> !tally.approvers().contains(p) && !tally.rejecters().contains(p)).toList();
            waiting.add(new Waiting(request, tally.approvers(), policy.threshold(), still));
        }
        return waiting;
    }

    /** A pending request, who approved it so far, how many it needs, and who else could approve. */
    public record Waiting(ApprovalRequest request, List<String> approvers, int threshold, List<String> couldApprove) {}

    /** What an approved execution waits for from others, e.g. "1 of 3 owners signed, 2 needed", and until when. */
    public record OnOthers(String what, Instant until) {}

    /** A request the chat approved whose execution waits on others (owners' signatures), and what it waits for. */
    public record Approved(ApprovalRequest request, OnOthers waitingFor) {}

    /** The approved requests whose executions wait on others here (owners signing a Safe transaction), oldest first. */
    public List<Approved> waitingOnOthers() {
        List<Approved> waiting = new ArrayList<>();
        for (ApprovalRequest request : requests.inState(ApprovalState.EXECUTING)) {
            OnOthers on = waitingOnOthers.get(request.id());
            if (on != null) waiting.add(new Approved(request, on));
        }
        return waiting;
    }

    /** The approval request whose message this is, if any. */
    public Optional<ApprovalRequest> requestForMessage(String platform, String channelId, String messageId) {
        return outbox.findByPlatformMessage(platform, channelId, messageId).flatMap(entry -> requests.findByOutboxId(entry.id()));
    }

    /**
     * After a platform (re)connected: reactions added or removed while Firebreak was away sent no
     * events, so for each pending approval message on it the final set of votes is computed from
     * the reactions now on the message (people who may approve now; a reject reaction wins over an
     * approval by the same person), stored in place of the old set, and counted once.
     */
    public void catchUp(String platform) {
        for (ApprovalRequest request : requests.inState(ApprovalState.PENDING)) {
            if (!request.platform().equals(platform)) continue;
            Optional<String> messageId = Optional.ofNullable(request.outboxId()).flatMap(outbox::find).map(e -> e.platformMessageId());
            if (messageId.isEmpty()) continue;
            List<ChatPlatform.ReactionSnapshot> reactions;
            try {
                reactions = platforms.platform(platform).reactions(request.channelId(), messageId.get());
            } catch (ChatException e) {
                log.warn("Could not re-read reactions on {} ({}): {}", request.ref(), messageId.get(), e.getMessage());
                continue;
            }
            boolean approvedNow;
            synchronized (lockOf(request.id())) {
                ApprovalRequest current = stillPending(requests.find(request.id()).orElseThrow());
                if (current.state() != ApprovalState.PENDING) continue;
                approvedNow = reconcile(current, reactions);
            }
            if (approvedNow) executeOnce(request.id());
        }
    }

    /**
     * Replaces the votes of the people who may approve now with those the reactions show (votes of
     * people who may no longer approve are left alone; the {@link #tally} does not count them);
     * true when that approved the request. Runs under its lock.
     */
    private boolean reconcile(ApprovalRequest request, List<ChatPlatform.ReactionSnapshot> reactions) {
        ApprovalPolicy policy = policies.get(request.policy());
        Map<String, Vote> wanted = new java.util.LinkedHashMap<>();
        Instant now = clock.instant();
        for (ChatPlatform.ReactionSnapshot snapshot : reactions) {
            Vote.Decision decision = decisionOf(policy, snapshot.emoji());
            if (decision == null) continue;
            for (String userId : snapshot.userIds()) {
                Optional<Person> person = people.byPlatformId(request.platform(), userId).filter(p -> mayApprove(request, p));
                if (person.isEmpty()) continue;
                Vote vote = new Vote(person.get().key(), userId, decision, request.actionHash(), now);
                wanted.merge(vote.person(), vote, (a, b) -> a.decision() == Vote.Decision.REJECT ? a : b);
            }
        }
        Map<String, Vote> stored = new java.util.LinkedHashMap<>();
        requests.votes(request.id()).forEach(v -> stored.put(v.person(), v));
        List<String> changes = new ArrayList<>();
        for (Vote vote : stored.values()) {
            if (people.byKey(vote.person()).filter(p -> mayApprove(request, p)).isEmpty()) continue;
            Vote kept = wanted.get(vote.person());
            if (kept == null || kept.decision() != vote.decision()) {
                requests.removeVote(request.id(), vote.person());
                changes.add(vote.person() + " withdrew their " + (vote.decision() == Vote.Decision.APPROVE ? "approval" : "rejection"));
            }
        }
        for (Vote vote : wanted.values()) {
            Vote had = stored.get(vote.person());
            if (had == null || had.decision() != vote.decision()) {
                requests.putVote(request.id(), vote);
                changes.add(vote.person() + " " + verb(vote.decision()));
            }
        }
        if (changes.isEmpty()) return false;
        return recount(request, IncidentService.BOT, "While Firebreak was away: " + String.join(", ", changes) + " on " + request.ref());
    }

    /** The action as people named it (e.g. {@code anchor-retry}), from the approved canonical form. */
    static String actionName(ApprovalRequest request) {
        try {
            return planOf(request).action();
        } catch (IllegalStateException e) {
            return request.action();
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
