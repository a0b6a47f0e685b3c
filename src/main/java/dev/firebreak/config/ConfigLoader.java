package dev.firebreak.config;

import dev.firebreak.kernel.ConfigProblem;

import dev.firebreak.approval.ApprovalPolicy;
import dev.firebreak.approval.ApprovalPolicyCheck;
import dev.firebreak.approval.ApprovalsFile;
import dev.firebreak.command.CommandFile;
import dev.firebreak.command.CommandRegistry;
import dev.firebreak.probe.chain.ChainsConfig;
import dev.firebreak.incident.SeveritiesFile;
import dev.firebreak.incident.Severity;
import dev.firebreak.people.Person;
import dev.firebreak.probe.http.ServicesConfig;
import dev.firebreak.probe.k8s.ClustersConfig;
import dev.firebreak.probe.sql.DatabasesConfig;
import dev.firebreak.runbook.Runbook;
import dev.firebreak.runbook.RunbookPack;
import dev.firebreak.template.Templates;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Loads the configuration folders and reports every problem at once, each with its file,
 * location, what is wrong and how to fix it. Invalid configuration throws
 * {@link InvalidConfiguration}; a bot with invalid configuration does not start.
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

    public FirebreakConfig load() {
        List<ConfigProblem> problems = new ArrayList<>();
        TeamFile team = yaml.read(root.resolve("bot/firebreak.yaml"), TeamFile.class, problems).orElse(null);
        List<Severity> severities = yaml.read(root.resolve("bot/severities.yaml"), SeveritiesFile.class, problems)
                .map(SeveritiesFile::severities).orElse(List.of());
        Map<String, ApprovalPolicy> policies = yaml.read(root.resolve("bot/approvals.yaml"), ApprovalsFile.class, problems)
                .map(ApprovalsFile::policies).orElse(Map.of());
        ServicesConfig services = yaml.read(root.resolve("bot/services.yaml"), ServicesConfig.class, problems)
                .orElse(new ServicesConfig(Map.of()));
        services.problems().forEach(p -> problems.add(semantic("bot/services.yaml", p)));
        ChainsConfig chains = new ChainsConfig(null, null, null, null, null);
        if (Files.isRegularFile(root.resolve("bot/chains.yaml"))) {
            chains = yaml.read(root.resolve("bot/chains.yaml"), ChainsConfig.class, problems).orElse(chains);
            chains.problems().forEach(p -> problems.add(semantic("bot/chains.yaml", p)));
        }
        ClustersConfig clusters = yaml.read(root.resolve("bot/clusters.yaml"), ClustersConfig.class, problems)
                .orElse(new ClustersConfig(Map.of()));
        clusters.problems(policies.keySet()).forEach(p -> problems.add(semantic("bot/clusters.yaml", p)));
        DatabasesConfig databases = yaml.read(root.resolve("bot/databases.yaml"), DatabasesConfig.class, problems)
                .orElse(new DatabasesConfig(Map.of(), Map.of()));
        databases.problems().forEach(p -> problems.add(semantic("bot/databases.yaml", p)));

        Map<String, CommandFile> commands = new TreeMap<>();
        for (Path file : yamlFiles("commands", problems)) {
            yaml.read(file, CommandFile.class, problems).ifPresent(c -> commands.put(relative(file), c));
        }
        CommandRegistry registry = CommandRegistry.build(commands, problems);
        Map<String, Runbook> runbooks = new LinkedHashMap<>();
        for (Path file : yamlFiles("runbooks", problems)) {
            yaml.read(file, RunbookPack.class, problems).ifPresent(pack -> {
                for (Runbook r : pack.runbooks()) {
                    if (r.id() == null || !r.id().matches("[a-z0-9][a-z0-9-]{0,63}")) {
                        problems.add(new ConfigProblem(relative(file), "runbook " + r.id(), "runbook id must be lowercase words joined by -",
                                "rename it, e.g. sequencer-health"));
                    } else if (runbooks.putIfAbsent(r.id(), r) != null) {
                        problems.add(new ConfigProblem(relative(file), "runbook " + r.id(), "runbook id is already used in another file",
                                "give each runbook a unique id"));
                    }
                    for (int i = 0; i < r.steps().size(); i++) {
                        Runbook.Step s = r.steps().get(i);
                        if (s.kindsSet() != 1) {
                            problems.add(new ConfigProblem(relative(file), "runbook " + r.id() + " step " + (i + 1),
                                    "a step needs exactly one of run, check, confirm, message, note", "split it into separate steps"));
                        }
                    }
                }
            });
        }
        List<String> templateProblems = new ArrayList<>();
        Templates templates = Templates.load(root.resolve("templates"), templateProblems);
        templateProblems.forEach(p -> problems.add(semantic("templates", p)));

        List<Person> people = new ArrayList<>();
        if (team != null) people = checkTeam(team, problems);
        checkSeverities(severities, problems);
        problems.addAll(ApprovalPolicyCheck.policies(policies, team == null || team.roles() == null ? Set.of() : team.roles().keySet()));
        for (Runbook r : runbooks.values()) {
            for (Runbook.Step s : r.steps()) {
                if (s.message() != null && !templates.has(s.message())) {
                    problems.add(new ConfigProblem("runbooks", "runbook " + r.id(), "step posts unknown template " + s.message(),
                            "use one of " + String.join(", ", templates.names())));
                }
            }
        }
        if (!problems.isEmpty()) throw new InvalidConfiguration(problems);
        return new FirebreakConfig(team.channels(), team.roles(), people, severities, policies, services, chains, clusters, databases,
                registry, runbooks, templates);
    }

    private List<Person> checkTeam(TeamFile team, List<ConfigProblem> problems) {
        String file = "bot/firebreak.yaml";
        Map<String, String> roles = team.roles() == null ? Map.of() : team.roles();
        if (team.channels() == null || team.channels().incidents() == null || team.channels().alerts() == null) {
            problems.add(semantic(file, "channels: incidents and alerts must be set; name the channels, e.g. incidents: incidents, alerts: ops-alerts"));
        } else if (team.channels().incidentChannelPrefix() == null || !team.channels().incidentChannelPrefix().matches("[a-z0-9-]{1,20}")) {
            problems.add(semantic(file, "channels.incidentChannelPrefix: must be lowercase letters, digits or -; e.g. inc"));
        }
        if (team.channels() != null) {
            for (String role : team.channels().securityResponders()) {
                if (!roles.containsKey(role)) {
                    problems.add(semantic(file, "channels.securityResponders: unknown role " + role + "; use one of "
                            + String.join(", ", roles.keySet())));
                }
            }
        }
        List<Person> people = new ArrayList<>();
        Map<String, String> seenIds = new LinkedHashMap<>();
        (team.people() == null ? Map.<String, TeamFile.PersonEntry>of() : team.people()).forEach((key, p) -> {
            List<String> personRoles = p.roles() == null ? List.of() : p.roles();
            for (String role : personRoles) {
                if (!roles.containsKey(role)) {
                    problems.add(semantic(file, "people." + key + ".roles: unknown role " + role + "; declare it under roles: or use one of "
                            + String.join(", ", roles.keySet())));
                }
            }
            Map<String, String> ids = p.ids() == null ? Map.of() : p.ids();
            ids.forEach((platform, id) -> {
                if (!Set.of("console", "slack", "discord").contains(platform)) {
                    problems.add(semantic(file, "people." + key + ".ids." + platform + ": unknown platform; use console, slack or discord"));
                }
                String other = seenIds.put(platform + ":" + id, key);
                if (other != null) {
                    problems.add(semantic(file, "people." + key + ".ids." + platform + ": id " + id + " is also " + other
                            + "'s; each id belongs to one person"));
                }
            });
            people.add(new Person(key, p.name() == null ? key : p.name(), personRoles, ids));
        });
        return people;
    }

    private void checkSeverities(List<Severity> severities, List<ConfigProblem> problems) {
        if (severities.isEmpty()) problems.add(semantic("bot/severities.yaml", "severities: none defined; define P0-P3"));
        for (Severity s : severities) {
            if (s.id() == null || s.updateEvery() == null || s.responseTime() == null) {
                problems.add(semantic("bot/severities.yaml", "severity " + s.id() + ": id, responseTime and updateEvery are required"));
            }
        }
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

    /** A problem phrased as "path: what; fix". */
    public static ConfigProblem semantic(String file, String text) {
        int colon = text.indexOf(": ");
        int semi = text.lastIndexOf("; ");
        String location = colon > 0 ? text.substring(0, colon) : "";
        String what = colon > 0 ? text.substring(colon + 2) : text;
        String fix = "";
        if (semi > colon) {
            what = text.substring(colon + 2, semi);
            fix = text.substring(semi + 2);
        }
        return new ConfigProblem(file, location, what, fix);
    }
}
