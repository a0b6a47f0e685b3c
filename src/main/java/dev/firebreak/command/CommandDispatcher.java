package dev.firebreak.command;

import dev.firebreak.chat.Reply;
import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.kernel.StoreUnavailable;
import dev.firebreak.people.People;
import dev.firebreak.people.Person;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one path every command line takes, typed in chat or run by a runbook step: who is asking,
 * parse against the registry, permission, then the handler of its target (a builtin by name,
 * every probe, every action). No exception leaves it: bad input is refused privately with what
 * to fix, a store that cannot be used is named as such, and an unexpected failure is refused with
 * a reference to the log.
 */
public final class CommandDispatcher {

    private static final Logger log = LoggerFactory.getLogger(CommandDispatcher.class);
    /** Every value of the {@code outcome} tag of {@code firebreak_commands_seconds}. */
    static final List<String> OUTCOMES = List.of("ok", "usage", "denied", "refused", "invalid", "error", "unknown-person");

    /**
     * Whether a person holds a role within the incident a command is about (the incident it
     * names, else the one of its channel): incident roles carry the powers of that incident.
     */
    @FunctionalInterface
    public interface IncidentRoles {
        boolean holds(String person, String role, String platform, String channelId, Optional<Long> incident);
    }

    /**
     * Told of every command typed in chat that its handler carries out: the audit log. A refused
     * command changed nothing, so it is not journaled; the handler says when the entry is written
     * ({@link CommandHandler#handle(CommandContext, Runnable)}: once done, or for a diagnostic while
     * its probe reads). The incident timeline gets what commands did (declared, diagnosed,
     * approved), not the command lines.
     */
    @FunctionalInterface
    public interface Journal {
        void ran(CommandContext context, String line);
    }

    private final CommandLineParser parser;
    private final People people;
    private final Map<String, CommandHandler> builtins;
    private final CommandHandler probes;
    private final CommandHandler actions;
    private final Journal journal;
    private final IncidentRoles incidentRoles;
    private final MeterRegistry metrics;

    public CommandDispatcher(CommandLineParser parser, People people, Map<String, CommandHandler> builtins,
                             CommandHandler probes, CommandHandler actions, Journal journal, IncidentRoles incidentRoles,
                             MeterRegistry metrics) {
        this.parser = parser;
        this.people = people;
        this.builtins = Map.copyOf(builtins);
        this.probes = probes;
        this.actions = actions;
        this.journal = journal;
        this.incidentRoles = incidentRoles;
        this.metrics = metrics;
        OUTCOMES.forEach(this::timer);
    }

    /** Registered for every outcome at start-up, so each series exists (at zero) before the first command. */
    private Timer timer(String outcome) {
        return Timer.builder("firebreak.commands")
                .description("Commands run (typed in chat or as runbook steps) and how long they took, by outcome: ok, "
                        + "usage (did not parse), denied (missing role), refused, invalid (bad input), error (failed inside "
                        + "Firebreak), unknown-person")
                .tag("outcome", outcome)
                .register(metrics);
    }

    /** The same dispatcher with more builtins (those that themselves run commands, such as {@code /runbook run}). */
    public CommandDispatcher with(Map<String, CommandHandler> more) {
        Map<String, CommandHandler> all = new HashMap<>(builtins);
        all.putAll(more);
        return new CommandDispatcher(parser, people, all, probes, actions, journal, incidentRoles, metrics);
    }

    public Set<String> builtinNames() {
        return builtins.keySet();
    }

    /** A command typed in chat by the platform user {@code userId}. */
    public Outcome fromChat(String platform, String userId, String channelId, String line) {
        Timer.Sample sample = Timer.start(metrics);
        Optional<Person> person = people.byPlatformId(platform, userId);
        if (person.isEmpty()) {
            sample.stop(timer("unknown-person"));
            return Outcome.refused("Firebreak does not know you (" + platform + " id " + userId
                    + "). Ask an admin to add that id to your entry in bot/firebreak.yaml.");
        }
        return run(person.get(), platform, channelId, line, Optional.empty(), Optional.empty(), sample);
    }

    /** A runbook step's command line, run as the person who started the run, in the run's channel. */
    public Outcome fromRunbook(String personKey, String platform, String channelId, Long incident, long runId, String line) {
        Timer.Sample sample = Timer.start(metrics);
        Optional<Person> person = people.byKey(personKey);
        if (person.isEmpty()) {
            sample.stop(timer("unknown-person"));
            return Outcome.refused(personKey + ", who started the run, is no longer configured in bot/firebreak.yaml.");
        }
        return run(person.get(), platform, channelId, line, Optional.ofNullable(incident), Optional.of(runId), sample);
    }

    /**
     * The one permission rule: the command's role from bot/firebreak.yaml, or, for a command
     * about one incident, that role held in that incident (its commander may resolve it).
     */
    private boolean mayRun(Person person, CommandSpec spec, String platform, String channelId, Optional<Long> incident) {
        return CommandRegistry.mayRun(person, spec)
                || spec.incidentScoped() && incidentRoles.holds(person.key(), spec.role(), platform, channelId, incident);
    }

    private Outcome run(Person person, String platform, String channelId, String line, Optional<Long> incident,
                        Optional<Long> runbookRun, Timer.Sample sample) {
        String outcome = "ok";
        try {
            ParsedCommand parsed;
            try {
                parsed = parser.parse(line);
            } catch (UsageError e) {
                outcome = "usage";
                return Outcome.refused(e.getMessage() + "\nUsage: " + e.usage());
            }
            CommandSpec spec = parsed.spec();
            if (!mayRun(person, spec, platform, channelId, parsed.incident().or(() -> incident))) {
                outcome = "denied";
                return Outcome.refused(spec.path() + " needs the role " + spec.role() + "; you have "
                        + (person.roles().isEmpty() ? "no roles" : "the roles " + String.join(", ", person.roles()))
                        + (spec.incidentScoped() ? ", and you are not the " + spec.role() + " of this incident" : "")
                        + ". Ask the incident commander to run it, or an admin to grant the role.");
            }
            CommandContext context = new CommandContext(person, platform, channelId, parsed,
                    parsed.incident().or(() -> incident), runbookRun);
            CommandHandler handler = switch (spec.target().kind()) {
                case BUILTIN -> builtins.get(spec.target().name());
                case PROBE -> probes;
                case ACTION -> actions;
            };
            if (handler == null) {
                outcome = "refused";
                return Outcome.refused(spec.path() + " cannot run " + (runbookRun.isPresent() ? "as a runbook step" : "here") + ".");
            }
            Outcome result = runbookRun.isPresent() ? handler.handle(context) : handler.handle(context, () -> journal(context, line));
            if (result instanceof Outcome.Refused) outcome = "refused";
            return result;
        } catch (InvalidInput e) {
            outcome = "invalid";
            return Outcome.refused(e.getMessage());
        } catch (StoreUnavailable e) {
            outcome = "store-unavailable";
            log.warn("Command could not use the store: {} ({})", line, e.getMessage());
            return new Outcome.Refused(Reply.privately(storeUnavailable(e, line)));
        } catch (RuntimeException e) {
            outcome = "error";
            String ref = "E-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
            log.error("Command failed [{}]: {}", ref, line, e);
            Optional<StoreUnavailable> store = StoreUnavailable.in(e);
            if (store.isPresent()) return new Outcome.Refused(Reply.privately(storeUnavailable(store.get(), line)));
            return new Outcome.Refused(Reply.privately("Something went wrong inside Firebreak running that command (error " + ref
                    + ", details in the bot's log). Nothing further was changed."));
        } finally {
            sample.stop(timer(outcome));
        }
    }

    /** Puts the command on the timeline; a store failure there does not undo what the command did, so it is logged. */
    private void journal(CommandContext context, String line) {
        try {
            journal.ran(context, line);
        } catch (StoreUnavailable e) {
            log.warn("Could not put {} on the timeline: {}", line, e.getMessage());
        }
    }

    /**
     * The answer when the store failed: it is unreachable, why, and what was and was not done. A
     * feature that got part of the way says so in {@link StoreUnavailable#done()}; otherwise what
     * the command did was not recorded.
     */
    private static String storeUnavailable(StoreUnavailable e, String line) {
        String done = e.done().orElse("`" + line + "` did not finish, and nothing it did was recorded");
        return "The store is unreachable (" + e.reason() + "): " + done + ". Try again when the store answers "
                + "(the operations endpoint /ready says when).";
    }
}
