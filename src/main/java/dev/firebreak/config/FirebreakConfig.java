package dev.firebreak.config;

import dev.firebreak.alert.AlertsConfig;
import dev.firebreak.approval.ApprovalPolicy;
import dev.firebreak.diagnostic.SnapshotConfig;
import dev.firebreak.command.CommandRegistry;
import dev.firebreak.incident.Severity;
import dev.firebreak.oncall.OncallConfig;
import dev.firebreak.people.Person;
import dev.firebreak.probe.chain.ChainsConfig;
import dev.firebreak.probe.http.ServicesConfig;
import dev.firebreak.probe.k8s.ClustersConfig;
import dev.firebreak.probe.sql.DatabasesConfig;
import dev.firebreak.runbook.Runbook;
import dev.firebreak.status.StatusPageConfig;
import dev.firebreak.schedule.SchedulesConfig;
import dev.firebreak.template.Templates;
import dev.firebreak.watch.WatchersConfig;

import java.util.List;
import java.util.Map;

/** Everything under {@code bot/}, {@code commands/}, {@code runbooks/} and {@code templates/}, loaded and checked. */
public record FirebreakConfig(TeamFile.Channels channels, Map<String, String> roles, List<Person> people,
                              List<Severity> severities, Map<String, ApprovalPolicy> policies, ServicesConfig services,
                              ChainsConfig chains, ClustersConfig clusters, DatabasesConfig databases,
                              CommandRegistry commands, Map<String, Runbook> runbooks, Templates templates,
                              AlertsConfig alerts, SnapshotConfig snapshot, StatusPageConfig statusPage,
                              WatchersConfig watchers, SchedulesConfig schedules, OncallConfig oncall) {

    /** The same configuration with other clusters (the demo points them at its mock API server). */
    public FirebreakConfig withClusters(ClustersConfig replacement) {
        return new FirebreakConfig(channels, roles, people, severities, policies, services, chains, replacement, databases,
                commands, runbooks, templates, alerts, snapshot, statusPage, watchers, schedules, oncall);
    }

    /** The same configuration with other chains. */
    public FirebreakConfig withChains(ChainsConfig replacement) {
        return new FirebreakConfig(channels, roles, people, severities, policies, services, replacement, clusters, databases,
                commands, runbooks, templates, alerts, snapshot, statusPage, watchers, schedules, oncall);
    }

    /** The same configuration with other people. */
    public FirebreakConfig withPeople(List<Person> replacement) {
        return new FirebreakConfig(channels, roles, replacement, severities, policies, services, chains, clusters, databases,
                commands, runbooks, templates, alerts, snapshot, statusPage, watchers, schedules, oncall);
    }

    /** The same configuration with other first-snapshot checks. */
    public FirebreakConfig withSnapshot(SnapshotConfig replacement) {
        return new FirebreakConfig(channels, roles, people, severities, policies, services, chains, clusters, databases,
                commands, runbooks, templates, alerts, replacement, statusPage, watchers, schedules, oncall);
    }

    /** The same configuration with other watchers. */
    public FirebreakConfig withWatchers(WatchersConfig replacement) {
        return new FirebreakConfig(channels, roles, people, severities, policies, services, chains, clusters, databases,
                commands, runbooks, templates, alerts, snapshot, statusPage, replacement, schedules, oncall);
    }

    /** The same configuration with other commands (a build's own beside {@code commands/}: the demo's). */
    public FirebreakConfig withCommands(CommandRegistry replacement) {
        return new FirebreakConfig(channels, roles, people, severities, policies, services, chains, clusters, databases,
                replacement, runbooks, templates, alerts, snapshot, statusPage, watchers, schedules, oncall);
    }

    /** The same configuration with other schedules. */
    public FirebreakConfig withSchedules(SchedulesConfig replacement) {
        return new FirebreakConfig(channels, roles, people, severities, policies, services, chains, clusters, databases,
                commands, runbooks, templates, alerts, snapshot, statusPage, watchers, replacement, oncall);
    }
}
