package dev.firebreak.approval;

import dev.firebreak.command.CommandRegistry;
import dev.firebreak.command.CommandSpec;
import dev.firebreak.kernel.ConfigProblem;
import dev.firebreak.kernel.Emoji;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The configuration rules that keep the approval gate shut: each returns the problems it finds
 * (a configuration with any does not start, and {@code firebreak check} fails), or, for
 * {@link #warnings}, what still starts but deserves a look.
 */
public final class ApprovalPolicyCheck {

    static final String FILE = "bot/approvals.yaml";

    private ApprovalPolicyCheck() {}

    /**
     * Every policy needs a threshold of at least 1, an expiry, an approve and a reject emoji that
     * stay different once normalised (else a reject would approve), and approver roles that exist
     * (checked when the roles are known: {@code roles} is empty when bot/firebreak.yaml could not be read).
     */
    public static List<ConfigProblem> policies(Map<String, ApprovalPolicy> policies, Optional<Set<String>> roles) {
        List<ConfigProblem> problems = new ArrayList<>();
        policies.forEach((name, p) -> {
            String at = "policies." + name;
            if (p.threshold() < 1) {
                problems.add(new ConfigProblem(FILE, at + ".threshold", "is " + p.threshold() + ", so nobody's approval would be needed",
                        "set it to 1 or more"));
            }
            if (p.expiresAfter() == null) problems.add(new ConfigProblem(FILE, at + ".expiresAfter", "is required", "set it, e.g. 30m"));
            if (p.approveEmoji() == null || p.approveEmoji().isBlank() || p.rejectEmoji() == null || p.rejectEmoji().isBlank()) {
                problems.add(new ConfigProblem(FILE, at, "approveEmoji and rejectEmoji are required", "set both, e.g. white_check_mark and x"));
            } else if (Emoji.normalise(p.approveEmoji()).equals(Emoji.normalise(p.rejectEmoji()))) {
                problems.add(new ConfigProblem(FILE, at + ".rejectEmoji", "'" + p.rejectEmoji() + "' is the same reaction as approveEmoji '"
                        + p.approveEmoji() + "', so a reject would approve", "use a different emoji, e.g. x"));
            }
            for (String role : p.approverRoles()) {
                if (roles.isPresent() && !roles.get().contains(role)) {
                    problems.add(new ConfigProblem(FILE, at + ".approverRoles", "unknown role " + role, "declare it in bot/firebreak.yaml"));
                }
            }
        });
        return problems;
    }

    /** A command that runs a chain action ({@code chainActions}: the actions that send transactions) must name a policy. */
    public static List<ConfigProblem> chainCommandsGated(CommandRegistry registry, Set<String> chainActions) {
        List<ConfigProblem> problems = new ArrayList<>();
        for (CommandSpec spec : registry.all()) {
            if (spec.target().kind() == CommandSpec.Kind.ACTION && chainActions.contains(spec.target().name())
                    && (spec.policy() == null || spec.policy().isBlank())) {
                problems.add(new ConfigProblem(spec.file(), spec.path(), "runs the chain action " + spec.target().name()
                        + " without policy:, so it would send a transaction unapproved",
                        "add policy: with a policy from " + FILE + ", e.g. chain-two-approvers"));
            }
        }
        return problems;
    }
}
