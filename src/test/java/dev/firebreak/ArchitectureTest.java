package dev.firebreak;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.PackageMatchers;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.tngtech.archunit.lang.conditions.ArchConditions.onlyHaveDependenciesWhere;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

/**
 * The package layering of DESIGN.md, checked on the production classes: the kernel and the chat
 * port lean on nothing of ours, adapters only on the port, platform SDKs stay inside their
 * adapter, features never reach into the store, probes never into chat or the features, and
 * only {@code app} wires things together.
 */
class ArchitectureTest {

    private static final String OURS = "dev.firebreak..";

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.firebreak");

    @Test
    void the_kernel_depends_on_nothing_of_ours() {
        dependsOnlyOn("dev.firebreak.kernel..", List.of()).check(PRODUCTION);
    }

    @Test
    void the_chat_port_depends_only_on_the_kernel() {
        dependsOnlyOn("dev.firebreak.chat", List.of("dev.firebreak.kernel..")).check(PRODUCTION);
    }

    @Test
    void chat_adapters_depend_only_on_the_chat_port_and_the_kernel() {
        List<String> port = List.of("dev.firebreak.chat", "dev.firebreak.kernel..");
        CompositeArchRule.of(dependsOnlyOn("dev.firebreak.chat.slack..", port))
                .and(dependsOnlyOn("dev.firebreak.chat.discord..", port))
                .and(dependsOnlyOn("dev.firebreak.chat.console..", port))
                .check(PRODUCTION);
    }

    @Test
    void the_slack_sdk_is_used_only_in_the_slack_adapter() {
        onlyUse("com.slack..", "dev.firebreak.chat.slack..").check(PRODUCTION);
    }

    @Test
    void jda_is_used_only_in_the_discord_adapter() {
        onlyUse("net.dv8tion..", "dev.firebreak.chat.discord..").check(PRODUCTION);
    }

    @Test
    void fabric8_is_used_only_by_the_kubernetes_probes_and_the_demo_cluster() {
        onlyUse("io.fabric8..", "dev.firebreak.probe.k8s..", "dev.firebreak.demo.k8s..").check(PRODUCTION);
    }

    @Test
    void web3j_is_used_only_by_the_chain_probes_and_the_demo_chain() {
        onlyUse("org.web3j..", "dev.firebreak.probe.chain..", "dev.firebreak.demo.chain..").check(PRODUCTION);
    }

    @Test
    void features_never_depend_on_the_store_which_implements_their_ports() {
        onlyUse("dev.firebreak.store..", "dev.firebreak.store..", "dev.firebreak.app..").check(PRODUCTION);
    }

    @Test
    void probes_never_depend_on_chat_or_the_features() {
        dependsOnNoneOf("dev.firebreak.probe..", List.of("dev.firebreak.chat..", "dev.firebreak.command..",
                "dev.firebreak.incident..", "dev.firebreak.approval..", "dev.firebreak.runbook..")).check(PRODUCTION);
    }

    @Test
    void the_command_framework_knows_no_feature() {
        dependsOnNoneOf("dev.firebreak.command..", List.of("dev.firebreak.incident..", "dev.firebreak.approval..",
                "dev.firebreak.runbook..", "dev.firebreak.diagnostic..")).check(PRODUCTION);
    }

    @Test
    void incidents_know_no_feature_built_on_them() {
        dependsOnNoneOf("dev.firebreak.incident..", List.of("dev.firebreak.approval..", "dev.firebreak.runbook..",
                "dev.firebreak.diagnostic..", "dev.firebreak.oncall..", "dev.firebreak.paging..")).check(PRODUCTION);
    }

    @Test
    void approvals_runbooks_and_diagnostics_know_each_other_only_through_the_wiring() {
        CompositeArchRule.of(dependsOnNoneOf("dev.firebreak.approval..", List.of("dev.firebreak.runbook..", "dev.firebreak.diagnostic..")))
                .and(dependsOnNoneOf("dev.firebreak.runbook..", List.of("dev.firebreak.approval..", "dev.firebreak.diagnostic..")))
                .and(dependsOnNoneOf("dev.firebreak.diagnostic..", List.of("dev.firebreak.approval..", "dev.firebreak.runbook..")))
                .check(PRODUCTION);
    }

    @Test
    void the_status_page_sits_above_incidents_and_only_the_store_config_and_wiring_know_it() {
        CompositeArchRule.of(dependsOnNoneOf("dev.firebreak.status..", List.of("dev.firebreak.approval..", "dev.firebreak.runbook..",
                        "dev.firebreak.diagnostic..", "dev.firebreak.web..", "dev.firebreak.probe..")))
                .and(onlyUse("dev.firebreak.status..", "dev.firebreak.status..", "dev.firebreak.store..", "dev.firebreak.config..",
                        "dev.firebreak.app.."))
                .check(PRODUCTION);
    }

    @Test
    void alerts_sit_above_incidents_and_beside_the_other_features() {
        CompositeArchRule.of(dependsOnNoneOf("dev.firebreak.alert..", List.of("dev.firebreak.approval..", "dev.firebreak.runbook..",
                        "dev.firebreak.diagnostic..", "dev.firebreak.web..")))
                .and(onlyUse("dev.firebreak.alert..", "dev.firebreak.alert..", "dev.firebreak.store..", "dev.firebreak.config..",
                        "dev.firebreak.schedule..", "dev.firebreak.app..", "dev.firebreak.watch..",
                        "dev.firebreak.timelock.."))
                .check(PRODUCTION);
    }

    @Test
    void timelock_reminders_sit_on_top_reading_operations_through_the_chain_family() {
        CompositeArchRule.of(dependsOnlyOn("dev.firebreak.timelock..", List.of("dev.firebreak.alert..", "dev.firebreak.approval..",
                        "dev.firebreak.audit..", "dev.firebreak.chat", "dev.firebreak.kernel..", "dev.firebreak.people..",
                        "dev.firebreak.probe.chain..")))
                .and(onlyUse("dev.firebreak.timelock..", "dev.firebreak.timelock..", "dev.firebreak.app.."))
                .check(PRODUCTION);
    }

    @Test
    void schedules_sit_on_top_running_diagnostics_and_raising_alerts_through_their_ports() {
        CompositeArchRule.of(dependsOnNoneOf("dev.firebreak.schedule..", List.of("dev.firebreak.approval..",
                        "dev.firebreak.diagnostic..", "dev.firebreak.incident..", "dev.firebreak.probe..", "dev.firebreak.web..")))
                .and(onlyUse("dev.firebreak.schedule..", "dev.firebreak.schedule..", "dev.firebreak.store..", "dev.firebreak.config..",
                        "dev.firebreak.app.."))
                .check(PRODUCTION);
    }

    @Test
    void watchers_raise_alerts_through_the_alert_intake_from_probe_results_alone() {
        CompositeArchRule.of(dependsOnlyOn("dev.firebreak.watch..", List.of("dev.firebreak.alert..", "dev.firebreak.kernel..",
                        "dev.firebreak.probe")))
                .and(onlyUse("dev.firebreak.watch..", "dev.firebreak.watch..", "dev.firebreak.store..", "dev.firebreak.config..",
                        "dev.firebreak.app.."))
                .check(PRODUCTION);
    }

    @Test
    void on_call_knows_incidents_and_paging_but_no_feature_beside_it() {
        dependsOnNoneOf("dev.firebreak.oncall..", List.of("dev.firebreak.approval..", "dev.firebreak.runbook..",
                "dev.firebreak.diagnostic..")).check(PRODUCTION);
    }

    @Test
    void paging_knows_incidents_and_chat_but_not_on_call_or_the_commands() {
        dependsOnNoneOf("dev.firebreak.paging..", List.of("dev.firebreak.oncall..", "dev.firebreak.command..",
                "dev.firebreak.approval..", "dev.firebreak.runbook..", "dev.firebreak.diagnostic..")).check(PRODUCTION);
    }

    @Test
    void nothing_depends_on_app() {
        onlyUse("dev.firebreak.app..", "dev.firebreak.app..").check(PRODUCTION);
    }

    @Test
    void leadership_knows_only_jdbc_and_files_and_only_app_uses_it() {
        dependsOnlyOn("dev.firebreak.ha..", List.of()).check(PRODUCTION);
        onlyUse("dev.firebreak.ha..", "dev.firebreak.ha..", "dev.firebreak.app..").check(PRODUCTION);
    }

    @Test
    void only_app_depends_on_the_demo() {
        onlyUse("dev.firebreak.demo..", "dev.firebreak.demo..", "dev.firebreak.app..").check(PRODUCTION);
    }

    /** Classes in {@code origin} depend, of ours, only on their own package tree and on {@code allowed}. */
    private static ArchRule dependsOnlyOn(String origin, List<String> allowed) {
        DescribedPredicate<Dependency> fine = DescribedPredicate.describe("allowed",
                d -> !inAny(d, List.of(OURS)) || inAny(d, List.of(origin)) || inAny(d, allowed));
        return classes().that().resideInAPackage(origin).should(onlyHaveDependenciesWhere(fine))
                .as(origin + " depends, of ours, only on itself" + (allowed.isEmpty() ? "" : " and " + String.join(", ", allowed)));
    }

    /** Classes in {@code origin} depend on nothing in {@code forbidden}. */
    private static ArchRule dependsOnNoneOf(String origin, List<String> forbidden) {
        DescribedPredicate<Dependency> fine = DescribedPredicate.describe("allowed", d -> !inAny(d, forbidden));
        return classes().that().resideInAPackage(origin).should(onlyHaveDependenciesWhere(fine))
                .as(origin + " depends on none of " + String.join(", ", forbidden));
    }

    /** Only classes in {@code users} depend on classes in {@code used}. */
    private static ArchRule onlyUse(String used, String... users) {
        DescribedPredicate<Dependency> fine = DescribedPredicate.describe("allowed", d -> !inAny(d, List.of(used)));
        return classes().that().resideOutsideOfPackages(users).should(onlyHaveDependenciesWhere(fine))
                .as("only " + String.join(" and ", users) + " depend on " + used);
    }

    private static boolean inAny(Dependency dependency, List<String> packages) {
        return PackageMatchers.of(packages).test(dependency.getTargetClass().getBaseComponentType().getPackageName());
    }
}
