package dev.firebreak.config;

import dev.firebreak.approval.ApprovalPolicy;
import dev.firebreak.command.CommandRegistry;
import dev.firebreak.incident.Severity;
import dev.firebreak.oncall.OncallConfig;
import dev.firebreak.people.Person;
import dev.firebreak.probe.chain.ChainsConfig;
import dev.firebreak.probe.http.ServicesConfig;
import dev.firebreak.probe.k8s.ClustersConfig;
import dev.firebreak.probe.sql.DatabasesConfig;
import dev.firebreak.runbook.Runbook;
import dev.firebreak.template.Templates;

import java.util.List;
import java.util.Map;

/** Everything under {@code bot/}, {@code commands/}, {@code runbooks/} and {@code templates/}, loaded and checked. */
public record FirebreakConfig(TeamFile.Channels channels, Map<String, String> roles, List<Person> people,
                              List<Severity> severities, Map<String, ApprovalPolicy> policies, ServicesConfig services,
                              ChainsConfig chains, ClustersConfig clusters, DatabasesConfig databases,
                              CommandRegistry commands, Map<String, Runbook> runbooks, Templates templates,
                              OncallConfig oncall) {

    /** The same configuration with other clusters (the demo points them at its mock API server). */
    public FirebreakConfig withClusters(ClustersConfig replacement) {
        return new FirebreakConfig(channels, roles, people, severities, policies, services, chains, replacement, databases,
                commands, runbooks, templates, oncall);
    }
}
