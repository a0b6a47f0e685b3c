package dev.firebreak.config;

import dev.firebreak.kernel.ConfigProblem;

import dev.firebreak.alert.AlertsConfig;
import dev.firebreak.watch.WatchersConfig;
import dev.firebreak.approval.ApprovalPolicy;
import dev.firebreak.status.StatusPageConfig;
import dev.firebreak.approval.ApprovalPolicyCheck;
import dev.firebreak.approval.ApprovalsFile;
import dev.firebreak.command.CommandFile;
import dev.firebreak.command.CommandRegistry;
import dev.firebreak.diagnostic.SnapshotConfig;
import dev.firebreak.probe.chain.ChainsConfig;
import dev.firebreak.incident.SeveritiesFile;
import dev.firebreak.incident.Severity;
import dev.firebreak.oncall.OncallConfig;
import dev.firebreak.people.Person;
import dev.firebreak.probe.http.ServicesConfig;
import dev.firebreak.probe.k8s.ClustersConfig;
import dev.firebreak.probe.sql.DatabasesConfig;
import dev.firebreak.runbook.Runbook;
import dev.firebreak.runbook.RunbookPack;
import dev.firebreak.schedule.SchedulesConfig;
import dev.firebreak.template.Templates;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Reads the configuration folders into a {@link FirebreakConfig}, collecting every problem met
 * while reading (a file missing, YAML that does not parse, unknown keys, unset environment
 * variables, secrets written inline, malformed durations, wrong types), each with its file and
 * line. What the configuration means (roles that exist, runbook steps that parse, commands every
 * platform can register) is checked afterwards, in one pass, by {@code app.ConfigurationCheck}.
 */
public final class ConfigLoader {

    private final Path root;
    private final YamlReader yaml;

    public ConfigLoader(Path root, Map<String, String> env) {
        this.root = root.toAbsolutePath().normalize();
        this.yaml = new YamlReader(new EnvironmentVariables(env), this.root);
    }

    public Path root() {
        return root;
    }

    /**
     * What was read: the configuration (with defaults where a file could not be read), every
     * runbook with the file and position it was read from (duplicates included), the problems, and
     * the files of {@code bot/} that could not be read at all (so what refers to them is not
     * reported a second time).
     */
    public record Loaded(FirebreakConfig config, List<RunbookSource> runbooks, List<ConfigProblem> problems, Set<String> unread) {
        public Loaded {
            runbooks = List.copyOf(runbooks);
            problems = List.copyOf(problems);
            unread = Set.copyOf(unread);
        }

        /** The same, with the configuration replaced (the demo re-points it at its stand-ins). */
        public Loaded with(FirebreakConfig replacement) {
            return new Loaded(replacement, runbooks, problems, unread);
        }

        public boolean read(String file) {
            return !unread.contains(file);
        }
    }

    /** One runbook as read: the file it is in and its position under {@code runbooks:} there. */
    public record RunbookSource(String file, int index, Runbook runbook) {}

    /** Reads everything; throws {@link InvalidConfiguration} listing every problem met while reading. */
    public FirebreakConfig load() {
        Loaded loaded = read();
        if (!loaded.problems().isEmpty()) throw new InvalidConfiguration(loaded.problems());
        return loaded.config();
    }

    /** Reads everything, reporting problems instead of stopping at the first. */
    public Loaded read() {
        List<ConfigProblem> problems = new ArrayList<>();
        Set<String> unread = new HashSet<>();
        TeamFile team = read("bot/firebreak.yaml", TeamFile.class, problems, unread).orElse(null);
        List<Severity> severities = read("bot/severities.yaml", SeveritiesFile.class, problems, unread)
                .map(SeveritiesFile::severities).orElse(List.of());
        Map<String, ApprovalPolicy> policies = read("bot/approvals.yaml", ApprovalsFile.class, problems, unread)
                .map(ApprovalsFile::policies).orElse(Map.of());
        ServicesConfig services = read("bot/services.yaml", ServicesConfig.class, problems, unread)
                .orElse(new ServicesConfig(Map.of()));
        ChainsConfig chains = new ChainsConfig(null, null, null, null, null);
        if (Files.isRegularFile(root.resolve("bot/chains.yaml"))) {
            chains = read("bot/chains.yaml", ChainsConfig.class, problems, unread).orElse(chains);
        } else {
            unread.add("bot/chains.yaml"); // optional: without it there are no chain diagnostics or actions
        }
        ClustersConfig clusters = read("bot/clusters.yaml", ClustersConfig.class, problems, unread)
                .orElse(new ClustersConfig(Map.of()));
        DatabasesConfig databases = read("bot/databases.yaml", DatabasesConfig.class, problems, unread)
                .orElse(new DatabasesConfig(Map.of(), Map.of()));
        AlertsConfig alerts = AlertsConfig.none();
        if (Files.isRegularFile(root.resolve("bot/alerts.yaml"))) {
            alerts = read("bot/alerts.yaml", AlertsConfig.class, problems, unread).orElse(alerts);
        } else {
            unread.add("bot/alerts.yaml"); // optional: without it every alert is posted with a declare hint
        }
        SnapshotConfig snapshot = SnapshotConfig.none();
        if (Files.isRegularFile(root.resolve("bot/snapshot.yaml"))) {
            snapshot = read("bot/snapshot.yaml", SnapshotConfig.class, problems, unread).orElse(snapshot);
        } else {
            unread.add("bot/snapshot.yaml"); // optional: without it incidents get no first snapshot
        }
        StatusPageConfig statusPage = StatusPageConfig.none();
        if (Files.isRegularFile(root.resolve("bot/status-page.yaml"))) {
            statusPage = read("bot/status-page.yaml", StatusPageConfig.class, problems, unread).orElse(statusPage);
        } else {
            unread.add("bot/status-page.yaml"); // optional: without it the status page lists no components
        }
        WatchersConfig watchers = WatchersConfig.none();
        if (Files.isRegularFile(root.resolve("bot/watchers.yaml"))) {
            watchers = read("bot/watchers.yaml", WatchersConfig.class, problems, unread).orElse(watchers);
        } else {
            unread.add("bot/watchers.yaml"); // optional: without it Firebreak runs no checks of its own
        }
        SchedulesConfig schedules = SchedulesConfig.none();
        if (Files.isRegularFile(root.resolve("bot/schedules.yaml"))) {
            schedules = read("bot/schedules.yaml", SchedulesConfig.class, problems, unread).orElse(schedules);
        } else {
            unread.add("bot/schedules.yaml"); // optional: without it nothing runs by itself
        }
        OncallConfig oncall = OncallConfig.none();
        if (Files.isRegularFile(root.resolve("bot/oncall.yaml"))) {
            oncall = read("bot/oncall.yaml", OncallConfig.class, problems, unread).orElse(oncall);
        } else {
            unread.add("bot/oncall.yaml"); // optional: without it nobody is notified, paged or escalated to
        }

        Map<String, CommandFile> commands = new TreeMap<>();
        for (Path file : yamlFiles("commands", problems)) {
            yaml.read(file, CommandFile.class, problems).ifPresent(c -> commands.put(relative(file), c));
        }
        CommandRegistry registry = CommandRegistry.build(commands, problems);
        List<RunbookSource> sources = new ArrayList<>();
        Map<String, Runbook> runbooks = new LinkedHashMap<>();
        for (Path file : yamlFiles("runbooks", problems)) {
            yaml.read(file, RunbookPack.class, problems).ifPresent(pack -> {
                for (int i = 0; i < pack.runbooks().size(); i++) {
                    Runbook runbook = pack.runbooks().get(i);
                    sources.add(new RunbookSource(relative(file), i, runbook));
                    if (runbook.id() != null) runbooks.putIfAbsent(runbook.id(), runbook);
                }
            });
        }
        List<String> templateProblems = new ArrayList<>();
        Templates templates = Templates.load(root.resolve("templates"), templateProblems);
        for (String problem : templateProblems) {
            int colon = problem.indexOf(": ");
            String file = colon < 0 ? "templates" : "templates/" + Path.of(problem.substring(0, colon)).getFileName();
            String what = colon < 0 ? problem : problem.substring(colon + 2);
            problems.add(new ConfigProblem(file, "", what, what.equals("missing")
                    ? "create it: Firebreak posts this template" : "fix the Mustache syntax"));
        }

        TeamFile.Channels channels = team == null || team.channels() == null ? new TeamFile.Channels(null, null, null, null) : team.channels();
        Map<String, String> roles = team == null || team.roles() == null ? Map.of() : team.roles();
        List<Person> people = new ArrayList<>();
        if (team != null && team.people() != null) {
            team.people().forEach((key, p) -> people.add(new Person(key, p.name() == null ? key : p.name(),
                    p.roles() == null ? List.of() : p.roles(), p.ids() == null ? Map.of() : p.ids())));
        }
        FirebreakConfig config = new FirebreakConfig(channels, roles, people, severities, policies, services, chains, clusters,
                databases, registry, runbooks, templates, alerts, snapshot, statusPage, watchers, schedules, oncall);
        return new Loaded(config, sources, problems, unread);
    }

    private <T> Optional<T> read(String file, Class<T> type, List<ConfigProblem> problems, Set<String> unread) {
        Optional<T> value = yaml.read(root.resolve(file), type, problems);
        if (value.isEmpty()) unread.add(file);
        return value;
    }

    private List<Path> yamlFiles(String folder, List<ConfigProblem> problems) {
        Path dir = root.resolve(folder);
        if (!Files.isDirectory(dir)) {
            problems.add(new ConfigProblem(folder, "", "folder is missing", "create " + folder + "/ with its .yaml files"));
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            problems.add(new ConfigProblem(folder, "", "cannot be read: " + e.getMessage(), "check permissions"));
            return List.of();
        }
    }

    private String relative(Path file) {
        return root.relativize(file.toAbsolutePath().normalize()).toString();
    }
}
