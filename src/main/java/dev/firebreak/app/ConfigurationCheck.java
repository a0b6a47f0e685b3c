package dev.firebreak.app;

import dev.firebreak.chat.CommandCatalog;
import dev.firebreak.chat.discord.DiscordCommandRules;
import dev.firebreak.chat.slack.SlackManifest;
import dev.firebreak.command.CommandLineParser;
import dev.firebreak.command.CommandRegistry;
import dev.firebreak.command.CommandSpec;
import dev.firebreak.command.UsageError;
import dev.firebreak.config.ConfigLoader;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.config.YamlLines;
import dev.firebreak.command.ParsedCommand;
import dev.firebreak.diagnostic.ProbeDeadline;
import dev.firebreak.approval.ActionCommand;
import dev.firebreak.probe.Action;
import dev.firebreak.probe.FixedArguments;
import dev.firebreak.probe.Probe;
import dev.firebreak.incident.Severity;
import dev.firebreak.kernel.ConfigProblem;
import dev.firebreak.approval.ApprovalPolicyCheck;
import dev.firebreak.people.Person;
import dev.firebreak.runbook.Runbook;
import dev.firebreak.runbook.RunbookRunner;
import dev.firebreak.store.Database;
import dev.firebreak.watch.WatchersConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The one validation pass over the configuration. {@code firebreak check}, {@code console},
 * {@code demo} and {@code run} all run it before anything starts, so what {@code check} passes
 * every one of them accepts, and none of them starts with a critical problem. Warnings are shown
 * and do not stop start-up.
 *
 * <p>It reads the folders ({@link ConfigLoader}), assembles the engine once on a scratch store (no
 * platform, nothing started) to learn what commands may target and to parse runbook steps with the
 * engine's own parser, and checks, in this order:
 * <ul>
 *   <li>people, roles, channels, severities and approval policies;</li>
 *   <li>services, chains, clusters and databases, by the rules their own packages keep;</li>
 *   <li>runbooks: ids, steps, templates, parameters, and every {@code run:} line parsed against the
 *       command registry with its parameters filled in;</li>
 *   <li>commands: the builtin, probe or action each names exists, as do its role and policy;</li>
 *   <li>fixed arguments (commands' {@code with:} and {@code via:}, runbook and scheduled steps, snapshot
 *       checks, watchers), judged by the probe's or the action's own {@code validate}
 *       ({@link FixedArguments}), what chat or a runbook parameter gives left to the run;</li>
 *   <li>every command against every platform: Discord's registration rules
 *       ({@link DiscordCommandRules}) and the Slack app manifest ({@link SlackManifest}).</li>
 * </ul>
 * Every problem names its file, its line where known, what is wrong and the fix.
 */
public final class ConfigurationCheck {

    /** The platforms a person's ids may be for. */
    static final Set<String> PLATFORMS = Set.of("console", "slack", "discord");
    /** What a runbook parameter becomes for parsing its steps when it declares no example. */
    static final String PARAMETER_STAND_IN = "1";

    private static final Pattern RUNBOOK_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");
    private static final Pattern PREFIX = Pattern.compile("[a-z0-9-]{1,20}");
    private static final Pattern YAML_PATH = Pattern.compile("[A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_-]+|\\[\\d+])*");
    private static final Pattern COMMAND_PLACE = Pattern.compile("/([^ ]+)(?: ([^ ]+))?(?: option ([^ ]+))?");

    /** What the pass found: the configuration as read, what stops start-up (criticals) and what does not (warnings). */
    /**
     * @param unreachable targets (clusters) that cannot be reached exactly as configured from this
     *                    machine: the environment's problem, not the configuration's, so the bot starts
     *                    and refuses every call to them, and {@code check} fails on them
     */
    public record Report(FirebreakConfig config, List<ConfigProblem> criticals, List<ConfigProblem> warnings,
                         List<ConfigProblem> unreachable) {
        public Report {
            criticals = List.copyOf(criticals);
            warnings = List.copyOf(warnings);
            unreachable = List.copyOf(unreachable);
        }

        public boolean passed() {
            return criticals.isEmpty();
        }
    }

    private final Path root;
    private final ConfigLoader.Loaded loaded;
    private final FirebreakConfig config;
    private final List<ConfigProblem> criticals = new ArrayList<>();
    private final List<ConfigProblem> warnings = new ArrayList<>();
    private final List<ConfigProblem> unreachable = new ArrayList<>();
    private final Map<String, YamlLines> lines = new HashMap<>();

    private ConfigurationCheck(Path root, ConfigLoader.Loaded loaded) {
        this.root = root;
        this.loaded = loaded;
        this.config = loaded.config();
    }

    /** Reads the configuration under {@code root} with {@code env} and checks it. */
    public static Report run(Path root, Map<String, String> env) {
        return run(root, env, UnaryOperator.identity());
    }

    /** The same, checking the configuration as {@code adjust} changes it (the demo points clusters at its stand-in). */
    public static Report run(Path root, Map<String, String> env, UnaryOperator<FirebreakConfig> adjust) {
        ConfigLoader loader = new ConfigLoader(root, env);
        ConfigLoader.Loaded loaded = loader.read();
        return new ConfigurationCheck(loader.root(), loaded.with(adjust.apply(loaded.config()))).check();
    }

    private Report check() {
        criticals.addAll(loaded.problems());
        team();
        severities();
        policies();
        features();
        String scratch = "jdbc:sqlite:file:firebreak-check-" + UUID.randomUUID() + "?mode=memory&cache=shared";
        try (Database database = Database.open(scratch); Firebreak engine = engine(database)) {
            Optional<Wiring> wiring = Optional.ofNullable(engine).map(e -> new Wiring(e.targets(), e.parser(), e.probes(), e.actions()));
            Set<CommandSpec> refused = wiring.map(this::commandArguments).orElse(Set.of());
            runbooks(wiring, refused);
            schedules(wiring, refused);
            wiring.ifPresent(w -> commandTargets(w.targets()));
            wiring.ifPresent(w -> snapshot(w, refused));
            wiring.ifPresent(this::watchers);
        }
        platforms();
        return new Report(config, criticals, warnings, unreachable);
    }

    /** What the engine, assembled from this configuration, offers commands, and the probes and actions that judge their arguments. */
    private record Wiring(Firebreak.Targets targets, CommandLineParser parser, Map<String, Probe> probes, Map<String, Action> actions) {

        /**
         * What the probe or action a command runs refuses in these arguments, by its own rules: for an
         * action, with what the command adds to them as {@link ActionCommand} does when it plans. Empty
         * for a builtin and for a target this engine lacks (reported with the command's target).
         */
        Optional<FixedArguments.Problem> problem(CommandSpec spec, Map<String, String> fixed, Set<String> givenAtRunTime) {
            String name = spec.target().name();
            return switch (spec.target().kind()) {
                case PROBE -> Optional.ofNullable(probes.get(name)).flatMap(p -> FixedArguments.problem(p, fixed, givenAtRunTime));
                case ACTION -> Optional.ofNullable(actions.get(name))
                        .flatMap(a -> FixedArguments.problem(a, ActionCommand.planningArguments(spec, fixed), givenAtRunTime));
                case BUILTIN -> Optional.empty();
            };
        }
    }

    /**
     * The engine assembled on a scratch in-memory store with no platform: nothing is started or
     * connected, and the check closes it when done. Null when the configuration is too broken to
     * assemble (already reported).
     */
    private Firebreak engine(Database database) {
        Firebreak engine = null;
        try {
            engine = Firebreak.assemble(config, database, Clock.systemUTC(), List.of(), new SimpleMeterRegistry());
            unreachable.addAll(engine.connectionProblems());
            if (loaded.read("bot/chains.yaml")) engine.timelockWarnings().forEach(w -> {
                int colon = w.indexOf(": ");
                int semi = w.lastIndexOf("; ");
                warning("bot/chains.yaml", w.substring(0, colon), semi > colon ? w.substring(colon + 2, semi) : w.substring(colon + 2),
                        semi > colon ? w.substring(semi + 2) : "");
            });
            return engine;
        } catch (RuntimeException e) {
            if (engine != null) engine.close();
            if (criticals.isEmpty()) {
                criticals.add(new ConfigProblem("bot/", "", "the engine cannot be assembled from this configuration: " + e,
                        "report this as a bug in Firebreak, with the output of ./firebreak check"));
            }
            return null;
        }
    }

    // ---------------------------------------------------------------- bot/firebreak.yaml, severities, approvals

    private void team() {
        String file = "bot/firebreak.yaml";
        if (!loaded.read(file)) return;
        if (config.channels().incidents() == null || config.channels().alerts() == null) {
            critical(file, "channels", "incidents and alerts must both be set", "name the channels, e.g. incidents: incidents, alerts: ops-alerts");
        } else if (config.channels().incidentChannelPrefix() == null || !PREFIX.matcher(config.channels().incidentChannelPrefix()).matches()) {
            critical(file, "channels.incidentChannelPrefix", "must be 1 to 20 lowercase letters, digits or -", "write e.g. inc");
        }
        Map<String, String> seenIds = new LinkedHashMap<>();
        for (Person person : config.people()) {
            for (String role : person.roles()) {
                if (!config.roles().containsKey(role)) {
                    critical(file, "people." + person.key() + ".roles", "unknown role " + role,
                            "declare it under roles: or use one of " + String.join(", ", config.roles().keySet()));
                }
            }
            if (person.ids().isEmpty()) {
                warning(file, "people." + person.key(), person.key() + " has no platform ids, so cannot run a command or approve anywhere",
                        "add ids: {slack: U..., discord: \"...\", console: " + person.key() + "}");
            }
            person.ids().forEach((platform, id) -> {
                if (!PLATFORMS.contains(platform)) {
                    critical(file, "people." + person.key() + ".ids." + platform, "unknown platform", "use console, slack or discord");
                }
                String other = seenIds.put(platform + ":" + id, person.key());
                if (other != null) {
                    critical(file, "people." + person.key() + ".ids." + platform, "id " + id + " is also " + other + "'s",
                            "each id belongs to one person");
                }
            });
        }
    }

    private void severities() {
        String file = "bot/severities.yaml";
        if (!loaded.read(file)) return;
        if (config.severities().isEmpty()) {
            critical(file, "severities", "none defined", "define P0 to P3 with responseTime and updateEvery");
        }
        for (int i = 0; i < config.severities().size(); i++) {
            Severity s = config.severities().get(i);
            if (s.id() == null || s.updateEvery() == null || s.responseTime() == null) {
                critical(file, "severities[" + i + "]", "severity " + s.id() + " lacks id, responseTime or updateEvery",
                        "give all three, e.g. id: P1, responseTime: 15m, updateEvery: 30m");
            }
        }
    }

    private void policies() {
        String file = "bot/approvals.yaml";
        // the rules that keep the gate from being weakened live with the approvals
        for (ConfigProblem p : ApprovalPolicyCheck.policies(config.policies(),
                loaded.read("bot/firebreak.yaml") ? Optional.of(config.roles().keySet()) : Optional.empty())) {
            critical(p.file(), p.location(), p.problem(), p.fix());
        }
        config.policies().forEach((name, p) -> {
            String at = "policies." + name;
            if (!loaded.read("bot/firebreak.yaml")) return;
            long approvers = config.people().stream().filter(person -> p.approverRoles().stream().anyMatch(person::hasRole)).count();
            if (p.threshold() >= 1 && approvers < p.threshold() && p.approverRoles().stream().allMatch(config.roles()::containsKey)) {
                critical(file, at + ".threshold", (approvers == 1 ? "1 person holds " : approvers + " people hold ")
                                + String.join(" or ", p.approverRoles())
                                + ", fewer than the " + p.threshold() + " approvals it needs, so nothing under this policy can run",
                        "give more people an approver role in bot/firebreak.yaml, or lower the threshold");
            }
        });
    }

    // ---------------------------------------------------------------- services, chains, clusters, databases

    private void features() {
        if (loaded.read("bot/services.yaml")) config.services().problems().forEach(p -> semantic("bot/services.yaml", p));
        if (loaded.read("bot/chains.yaml")) config.chains().problems().forEach(p -> semantic("bot/chains.yaml", p));
        if (loaded.read("bot/clusters.yaml")) {
            (loaded.read("bot/approvals.yaml") ? config.clusters().problems(config.policies().keySet()) : config.clusters().problems())
                    .forEach(p -> semantic("bot/clusters.yaml", p));
        }
        if (loaded.read("bot/databases.yaml")) config.databases().problems().forEach(p -> semantic("bot/databases.yaml", p));
        if (loaded.read("bot/alerts.yaml")) {
            config.alerts().problems(config.severities().stream().map(Severity::id).collect(Collectors.toSet()), config.runbooks().keySet())
                    .forEach(p -> semantic("bot/alerts.yaml", p));
        }
        if (loaded.read("bot/status-page.yaml")) config.statusPage().problems().forEach(p -> semantic("bot/status-page.yaml", p));
        if (loaded.read("bot/oncall.yaml")) {
            config.oncall().problems(loaded.read("bot/firebreak.yaml")
                            ? Optional.of(config.people().stream().map(Person::key).collect(Collectors.toSet())) : Optional.empty(),
                    config.severities().stream().map(Severity::id).collect(Collectors.toSet())).forEach(p -> semantic("bot/oncall.yaml", p));
        }
        probeTimeouts();
    }

    /**
     * The first snapshot's checks: known severities and runbooks, every line a diagnostic that parses,
     * and one whose probe takes its arguments.
     */
    private void snapshot(Wiring wiring, Set<CommandSpec> refused) {
        String file = "bot/snapshot.yaml";
        if (!loaded.read(file)) return;
        config.snapshot().problems(config.severities().stream().map(Severity::id).collect(Collectors.toSet()),
                config.runbooks().keySet(), wiring.parser()).forEach(p -> semantic(file, p));
        Map<String, List<String>> lists = new LinkedHashMap<>();
        lists.put("checks", config.snapshot().checks());
        config.snapshot().severities().forEach((severity, checks) -> lists.put("severities." + severity, checks));
        config.snapshot().runbooks().forEach((runbook, checks) -> lists.put("runbooks." + runbook, checks));
        lists.forEach((at, checks) -> {
            for (int i = 0; i < checks.size(); i++) {
                String line = checks.get(i);
                if (line == null || line.isBlank()) continue;
                lineArguments(wiring, refused, file, at + "[" + i + "]", "snapshot check `" + line + "`", line, Set.of(),
                        "the first snapshot of every incident it applies to shows this error instead of the check");
            }
        });
    }

    // ---------------------------------------------------------------- probe arguments

    /**
     * Every command that runs a probe or an action, its {@code with:} (and an action's {@code via:})
     * judged by the probe or the action ({@link FixedArguments}), its declared arguments given at run
     * time. Returns the commands refused, so that a line running one is not reported again for the
     * same arguments.
     */
    private Set<CommandSpec> commandArguments(Wiring wiring) {
        Set<CommandSpec> refused = new java.util.HashSet<>();
        for (CommandSpec spec : config.commands().all()) {
            Set<String> declared = spec.args().stream().map(dev.firebreak.command.ArgSpec::name).collect(Collectors.toSet());
            wiring.problem(spec, spec.with(), declared).ifPresent(p -> {
                refused.add(spec);
                Optional<String> key = p.argument().filter(a -> spec.with().containsKey(a) && !declared.contains(a));
                criticals.add(new ConfigProblem(spec.file(), withLocation(spec, key), spec.path() + " runs " + spec.target().name()
                        + ", which refuses its fixed arguments: " + p.message().replaceFirst("\\.$", ""),
                        "correct with:" + (spec.viaSafe() != null ? " or via:" : "") + " (or declare the argument under args: for chat to give); as written, every " + spec.path()
                                + " is refused with this"));
            });
        }
        return refused;
    }

    /**
     * A command line of a runbook step, a scheduled step or a snapshot check, whose probe or action
     * judges the arguments the line gives it with the command's {@code with:}. An argument whose value
     * came from one of {@code standIns} (a runbook's parameters, filled for parsing) is only known at
     * run time.
     */
    private void lineArguments(Wiring wiring, Set<CommandSpec> refused, String file, String path, String label, String line,
                               Set<String> standIns, String consequence) {
        ParsedCommand parsed;
        try {
            parsed = wiring.parser().parse(line);
        } catch (UsageError e) {
            return; // reported where the line is parsed
        }
        CommandSpec spec = parsed.spec();
        if (refused.contains(spec)) return;
        Set<String> later = new TreeSet<>();
        parsed.args().forEach((name, value) -> {
            if (standIns.stream().anyMatch(standIn -> filledBy(value, standIn))) later.add(name);
        });
        Map<String, String> fixed = new LinkedHashMap<>(spec.with());
        fixed.putAll(parsed.args());
        later.forEach(fixed::remove);
        wiring.problem(spec, fixed, later).ifPresent(p -> critical(file, path, label + ": " + spec.target().name()
                        + " refuses it: " + p.message().replaceFirst("\\.$", ""),
                "correct the line; as written, " + consequence));
    }

    /**
     * Whether a parsed value holds what a parameter filled: the stand-in as a whole word of it, so
     * {@code lines=100} is not taken for a parameter filled with {@code 1}.
     */
    static boolean filledBy(String value, String standIn) {
        return !standIn.isEmpty() && java.util.regex.Pattern.compile("(?<![A-Za-z0-9_])" + java.util.regex.Pattern.quote(standIn)
                + "(?![A-Za-z0-9_])").matcher(value).find();
    }

    /** {@code 61 (/diag output-age with.cadence)}: the line of a command's {@code with:} (or of the key in it). */
    private String withLocation(CommandSpec spec, Optional<String> key) {
        YamlLines yaml = lines(spec.file());
        int sub = spec.subcommand().isEmpty() ? -1 : yaml.indexOf("/subcommands", "name", spec.subcommand());
        String base = sub < 0 ? "" : "/subcommands/" + sub;
        OptionalInt line = yaml.line(base + "/with" + key.map(k -> "/" + k).orElse(""));
        String place = spec.path() + " with" + key.map(k -> "." + k).orElse("");
        return line.isPresent() ? line.getAsInt() + " (" + place + ")" : place;
    }

    /**
     * A configured timeout that lets one probe take longer than the engine waits for any probe
     * ({@link ProbeDeadline#CAP}) would be cut short without saying so: warn with what it allows.
     */
    private void probeTimeouts() {
        if (loaded.read("bot/services.yaml") && config.services().services() != null) {
            config.services().services().forEach((name, s) -> overCap("bot/services.yaml", "services." + name + ".timeout",
                    "a probe of service " + name, s.probeTimeout(), "lower timeout"));
        }
        if (loaded.read("bot/chains.yaml")) {
            config.chains().chains().forEach((name, c) -> overCap("bot/chains.yaml", "chains." + name + ".timeoutMillis",
                    "a probe of chain " + name + " (" + c.rpcUrls().size() + " RPC URL" + (c.rpcUrls().size() == 1 ? "" : "s")
                            + " tried in turn, up to three calls on each)", c.probeTimeout(), "lower timeoutMillis or list fewer rpcUrls"));
        }
        if (loaded.read("bot/clusters.yaml")) {
            config.clusters().clusters().forEach((name, c) -> overCap("bot/clusters.yaml", "clusters." + name + ".timeoutSeconds",
                    "a probe of cluster " + name + " (up to three API calls)", c.probeTimeout(), "lower timeoutSeconds"));
        }
        if (loaded.read("bot/databases.yaml")) {
            config.databases().databases().forEach((name, d) -> overCap("bot/databases.yaml", "databases." + name + ".statementTimeoutMillis",
                    "a query on database " + name + " (connecting, then the statement)", d.probeTimeout(), "lower statementTimeoutMillis"));
        }
    }

    private void overCap(String file, String path, String what, Duration allowed, String fix) {
        if (allowed.compareTo(ProbeDeadline.CAP) <= 0) return;
        warning(file, path, "this lets " + what + " take up to " + allowed.toSeconds() + " s, but /diag and runbook steps wait at most "
                + ProbeDeadline.CAP.toSeconds() + " s for any probe, so it is abandoned then",
                fix + " so that the total stays within " + ProbeDeadline.CAP.toSeconds() + " s");
    }

    /** Watchers name probes this engine has; a watcher alert no rule of bot/alerts.yaml matches is only posted. */
    private void watchers(Wiring wiring) {
        if (!loaded.read("bot/watchers.yaml")) return;
        Set<String> probes = new TreeSet<>(wiring.targets().probes());
        probes.remove(Firebreak.WATCHERS_PROBE);
        config.watchers().problems(probes).forEach(p -> semantic("bot/watchers.yaml", p));
        Map<String, Probe> runnable = new HashMap<>(wiring.probes());
        runnable.remove(Firebreak.WATCHERS_PROBE);
        config.watchers().argumentProblems(runnable).forEach(p -> semantic("bot/watchers.yaml", p));
        // the rules can only be matched once they are valid
        if (criticals.stream().anyMatch(p -> p.file().equals("bot/alerts.yaml"))) return;
        List<WatchersConfig.Watcher> watchers = config.watchers().watchers();
        for (int i = 0; i < watchers.size(); i++) {
            WatchersConfig.Watcher w = watchers.get(i);
            for (String severity : w.severities()) {
                if (config.alerts().ruleFor(w.alertLabels(String.valueOf(w.alert()), severity)).isEmpty()) {
                    warning("bot/watchers.yaml", "watchers[" + i + "].alert", "no rule of bot/alerts.yaml matches the " + severity
                            + " alert " + w.alert() + " of watcher " + w.name() + ", so it is only posted with a declare hint",
                            "add a rule matching alertname: " + w.alert() + " to bot/alerts.yaml");
                }
            }
        }
    }

    // ---------------------------------------------------------------- runbooks

    private void runbooks(Optional<Wiring> wiring, Set<CommandSpec> refused) {
        Map<String, String> firstFile = new HashMap<>();
        for (ConfigLoader.RunbookSource source : loaded.runbooks()) {
            Runbook runbook = source.runbook();
            String path = "runbooks[" + source.index() + "]";
            String label = "runbook " + runbook.id();
            if (runbook.id() == null || !RUNBOOK_ID.matcher(runbook.id()).matches()) {
                critical(source.file(), path + ".id", label + ": the id must be lowercase words joined by -", "rename it, e.g. sequencer-health");
            } else if (firstFile.putIfAbsent(runbook.id(), source.file()) != null) {
                critical(source.file(), path + ".id", label + ": the id is already used in " + firstFile.get(runbook.id()),
                        "give each runbook a unique id");
                continue;
            }
            Map<String, String> values = new LinkedHashMap<>();
            Set<String> used = new LinkedHashSet<>(RunbookRunner.parametersUsed(runbook));
            used.forEach(name -> values.put(name, PARAMETER_STAND_IN));
            for (Runbook.Param param : runbook.params()) {
                if (param.example() != null && !param.example().isBlank()) values.put(param.name(), param.example());
            }
            for (int i = 0; i < runbook.params().size(); i++) {
                String name = runbook.params().get(i).name();
                if (!used.contains(name)) {
                    warning(source.file(), path + ".params[" + i + "]", label + " declares parameter " + name + " but no step uses it",
                            "use {{" + name + "}} in a step, or remove the parameter");
                }
            }
            for (String name : used) {
                if (runbook.params().stream().noneMatch(param -> name.equals(param.name()))) {
                    warning(source.file(), path + ".params", label + " uses {{" + name + "}} without declaring it, so /runbook show "
                            + "does not say what to give", "declare it under params: with a description and an example");
                }
            }
            for (int i = 0; i < runbook.steps().size(); i++) {
                Runbook.Step step = runbook.steps().get(i);
                // what a parameter fills is given when the runbook runs: not judged here
                Set<String> standIns = step.run() == null ? Set.of()
                        : RunbookRunner.parametersUsed(step).stream().map(values::get).collect(Collectors.toSet());
                step(source.file(), path + ".steps[" + i + "]", label + " step " + (i + 1), step, values, standIns, wiring, refused);
            }
        }
    }

    private void step(String file, String path, String label, Runbook.Step step, Map<String, String> values,
                      Set<String> standIns, Optional<Wiring> wiring, Set<CommandSpec> refused) {
        Optional<CommandLineParser> parser = wiring.map(Wiring::parser);
        if (step.kindsSet() != 1) {
            critical(file, path, label + " sets " + step.kindsSet() + " of run, check, confirm, message and note",
                    "give each step exactly one; split it into separate steps");
            return;
        }
        if (step.message() != null && !config.templates().has(step.message())) {
            critical(file, path + ".message", label + " posts unknown template " + step.message(),
                    "use one of " + String.join(", ", new TreeSet<>(config.templates().names())));
        }
        if (step.run() != null && parser.isPresent()) {
            String line = RunbookRunner.fill(step.run(), values);
            try {
                parser.get().parse(line);
            } catch (UsageError e) {
                critical(file, path + ".run", label + " `" + step.run() + "` does not parse: "
                                + e.getMessage().replaceFirst("\\.$", ""),
                        fixFor(line, e) + (step.run().contains("{{") ? " (parameters were filled with their example, or "
                                + PARAMETER_STAND_IN + " where none is given)" : ""));
                return;
            }
            lineArguments(wiring.get(), refused, file, path + ".run", label + " `" + step.run() + "`", line, standIns,
                    "the step fails with this every time it runs");
        }
    }

    /** The fix for a command line that does not parse: the names it could have used, or the usage of the one it named. */
    private String fixFor(String line, UsageError e) {
        CommandRegistry registry = config.commands();
        String[] words = line.strip().split("\\s+");
        if (!words[0].startsWith("/")) return "start the line with a command, e.g. /diag health sequencer";
        String command = words[0].substring(1).toLowerCase(Locale.ROOT);
        if (!registry.hasCommand(command)) {
            return "use one of " + registry.commandNames().stream().map(name -> "/" + name).collect(Collectors.joining(", "));
        }
        if (registry.hasSubcommands(command) && (words.length < 2 || registry.find(command, words[1].toLowerCase(Locale.ROOT)).isEmpty())) {
            return "use one of /" + command + " " + registry.subcommands(command).stream().map(CommandSpec::subcommand)
                    .collect(Collectors.joining(", "));
        }
        return "write it as " + e.usage();
    }

    // ---------------------------------------------------------------- schedules

    /**
     * bot/schedules.yaml: the rules the schedules keep ({@code SchedulesConfig.problems}), a
     * runbook's parameters given, and every step parsed as a runbook step is, with the schedule's
     * parameters filled in.
     */
    private void schedules(Optional<Wiring> wiring, Set<CommandSpec> refused) {
        String file = "bot/schedules.yaml";
        if (!loaded.read(file)) return;
        Set<String> channels = new TreeSet<>();
        if (config.channels().incidents() != null) channels.add(config.channels().incidents());
        if (config.channels().alerts() != null) channels.add(config.channels().alerts());
        Set<String> people = config.people().stream().map(Person::key).collect(Collectors.toCollection(TreeSet::new));
        boolean team = loaded.read("bot/firebreak.yaml");
        config.schedules().problems(config.runbooks().keySet(), team ? Optional.of(channels) : Optional.empty(),
                team ? Optional.of(people) : Optional.empty(), config.oncall().rotations().keySet()).forEach(p -> semantic(file, p));
        for (int i = 0; i < config.schedules().schedules().size(); i++) {
            dev.firebreak.schedule.Schedule schedule = config.schedules().schedules().get(i);
            String path = "schedules[" + i + "]";
            String label = "schedule " + schedule.name();
            List<Runbook.Step> steps = schedule.steps();
            Runbook runbook = schedule.runbook() == null ? null : config.runbooks().get(schedule.runbook());
            if (runbook != null && schedule.steps().isEmpty()) {
                List<String> missing = RunbookRunner.parametersUsed(runbook).stream()
                        .filter(name -> !schedule.params().containsKey(name)).toList();
                if (!missing.isEmpty()) {
                    critical(file, path + ".runbook", label + " runs runbook " + runbook.id() + ", which needs "
                                    + missing.stream().map(n -> "{{" + n + "}}").collect(Collectors.joining(", ")) + ", without giving "
                                    + (missing.size() == 1 ? "it" : "them"),
                            "give " + (missing.size() == 1 ? "it" : "them") + " under params:, e.g. params: {"
                                    + missing.stream().map(n -> n + ": ...").collect(Collectors.joining(", ")) + "}");
                    continue; // its steps cannot be parsed without them
                }
                steps = runbook.steps();
            }
            for (int j = 0; j < steps.size(); j++) {
                step(file, runbook != null && schedule.steps().isEmpty() ? path + ".runbook" : path + ".steps[" + j + "]",
                        label + " step " + (j + 1), steps.get(j), schedule.params(), Set.of(), wiring, refused);
            }
        }
    }

    // ---------------------------------------------------------------- commands

    /** {@code via: {safe: ...}} on a command: a chain action that sends, through a Safe of bot/chains.yaml on the contract's chain. */
    private void viaSafe(CommandSpec spec, Firebreak.Targets targets) {
        if (spec.target().kind() != CommandSpec.Kind.ACTION || !targets.chainActions().contains(spec.target().name())) {
            criticals.add(command(spec, "says via: {safe: " + spec.viaSafe() + "}, but " + spec.target().name()
                    + " is not a chain action that sends a transaction", "remove via:, or point the command at a chain action"));
            return;
        }
        if (!config.chains().safes().containsKey(spec.viaSafe())) {
            criticals.add(command(spec, "goes via unknown Safe '" + spec.viaSafe() + "'",
                    "use one of " + (config.chains().safes().isEmpty() ? "none (define it under safes: in bot/chains.yaml)"
                            : String.join(", ", new TreeSet<>(config.chains().safes().keySet()))
                            + " (safes: in bot/chains.yaml), or add it there")));
        }
    }

    private void commandTargets(Firebreak.Targets targets) {
        for (ConfigProblem p : ApprovalPolicyCheck.chainCommandsGated(config.commands(), targets.chainActions())) {
            criticals.add(p);
        }
        Map<String, List<String>> neededRoles = new LinkedHashMap<>();
        for (CommandSpec spec : config.commands().all()) {
            if (spec.viaSafe() != null) viaSafe(spec, targets);
            Set<String> known = switch (spec.target().kind()) {
                case BUILTIN -> targets.builtins();
                case PROBE -> targets.probes();
                case ACTION -> targets.actions();
            };
            String kind = spec.target().kind().name().toLowerCase(Locale.ROOT);
            if (!known.contains(spec.target().name())) {
                criticals.add(command(spec, "names unknown " + kind + " " + spec.target().name(),
                        "use one of " + String.join(", ", new TreeSet<>(known))));
            }
            if (spec.policy() != null && loaded.read("bot/approvals.yaml") && !config.policies().containsKey(spec.policy())) {
                criticals.add(command(spec, "uses unknown approval policy " + spec.policy(),
                        "define it in bot/approvals.yaml, or use one of " + String.join(", ", config.policies().keySet())));
            }
            if (spec.role() != null && !spec.role().isBlank() && loaded.read("bot/firebreak.yaml")) {
                if (!config.roles().containsKey(spec.role())) {
                    criticals.add(command(spec, "needs unknown role " + spec.role(), "declare it in bot/firebreak.yaml"));
                } else {
                    neededRoles.computeIfAbsent(spec.role(), r -> new ArrayList<>()).add(spec.path());
                }
            }
        }
        neededRoles.forEach((role, paths) -> {
            if (config.people().stream().noneMatch(p -> p.hasRole(role))) {
                warning("bot/firebreak.yaml", "roles." + role, "nobody holds role " + role + ", so nobody can run "
                        + String.join(", ", paths), "give the role to someone under people:");
            }
        });
    }

    private ConfigProblem command(CommandSpec spec, String problem, String fix) {
        return new ConfigProblem(spec.file(), commandLocation(spec.file(), spec.path()), problem, fix);
    }

    // ---------------------------------------------------------------- platforms

    private void platforms() {
        CommandCatalog catalog = CommandCatalogs.of(config.commands());
        for (ConfigProblem p : DiscordCommandRules.problems(catalog)) {
            criticals.add(new ConfigProblem(p.file(), commandLocation(p.file(), p.location()), "Discord: " + p.problem(), p.fix()));
        }
        Path manifest = root.resolve(SlackManifest.FILE);
        if (!Files.isRegularFile(manifest)) {
            warnings.add(new ConfigProblem(SlackManifest.FILE, "", "is missing, so the Slack app cannot be created with Firebreak's commands",
                    "write it with ./firebreak manifest slack --write"));
            return;
        }
        String text;
        try {
            text = Files.readString(manifest);
        } catch (IOException e) {
            criticals.add(new ConfigProblem(SlackManifest.FILE, "", "cannot be read: " + e.getMessage(), "check its permissions"));
            return;
        }
        for (ConfigProblem p : SlackManifest.problems(catalog, text)) {
            String location = p.file().startsWith("commands/") ? commandLocation(p.file(), p.location()) : yamlLocation(p.file(), p.location());
            criticals.add(new ConfigProblem(p.file(), location, "Slack: " + p.problem(), p.fix()));
        }
    }

    // ---------------------------------------------------------------- where

    private void critical(String file, String path, String problem, String fix) {
        criticals.add(new ConfigProblem(file, yamlLocation(file, path), problem, fix));
    }

    private void warning(String file, String path, String problem, String fix) {
        warnings.add(new ConfigProblem(file, yamlLocation(file, path), problem, fix));
    }

    /** A feature's problem phrased {@code "path: what; fix"}, located by its line. */
    private void semantic(String file, String text) {
        int colon = text.indexOf(": ");
        int semi = text.lastIndexOf("; ");
        String path = colon > 0 ? text.substring(0, colon) : "";
        String what = colon > 0 ? text.substring(colon + 2) : text;
        String fix = "";
        if (semi > colon) {
            what = text.substring(colon + 2, semi);
            fix = text.substring(semi + 2);
        }
        critical(file, path, what, fix);
    }

    /** {@code 12 (people.alice.roles)} for a YAML path in {@code file}; the path alone when its line is unknown. */
    private String yamlLocation(String file, String path) {
        if (path.isEmpty() || !YAML_PATH.matcher(path).matches()) return path;
        OptionalInt line = lines(file).line(YamlLines.pointer(path));
        return line.isPresent() ? line.getAsInt() + " (" + path + ")" : path;
    }

    /** {@code 14 (/diag block option chain)}: the line of the subcommand (or its option) in the commands file. */
    private String commandLocation(String file, String place) {
        Matcher m = COMMAND_PLACE.matcher(place);
        if (!file.startsWith("commands/") || !m.matches()) return place;
        YamlLines yaml = lines(file);
        OptionalInt line = yaml.line("/command");
        int sub = m.group(2) == null ? -1 : yaml.indexOf("/subcommands", "name", m.group(2));
        String args = sub < 0 ? "/args" : "/subcommands/" + sub + "/args";
        if (sub >= 0) line = yaml.line("/subcommands/" + sub);
        if (m.group(3) != null) {
            for (String options : List.of(args, args.replace("/args", "/flags"))) {
                int option = yaml.indexOf(options, "name", m.group(3));
                if (option >= 0) {
                    line = yaml.line(options + "/" + option);
                    break;
                }
            }
        }
        return line.isPresent() ? line.getAsInt() + " (" + place + ")" : place;
    }

    private YamlLines lines(String file) {
        return lines.computeIfAbsent(file, f -> YamlLines.of(root.resolve(f)));
    }
}
