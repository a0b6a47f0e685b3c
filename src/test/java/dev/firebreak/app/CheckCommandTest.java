package dev.firebreak.app;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code firebreak check} on copies of the repository's configuration that would weaken the approval gate. */
class CheckCommandTest {

    @TempDir
    Path root;

    private record Run(int exitCode, String output) {}

    @BeforeEach
    void copyRepositoryConfiguration() throws IOException {
        for (String folder : List.of("bot", "commands", "runbooks", "templates")) {
            try (Stream<Path> files = Files.walk(Path.of(folder))) {
                for (Path file : files.toList()) {
                    Path target = root.resolve(file.toString());
                    if (Files.isDirectory(file)) Files.createDirectories(target);
                    else Files.copy(file, target);
                }
            }
        }
    }

    private void replace(String file, String from, String to) throws IOException {
        Path path = root.resolve(file);
        String text = Files.readString(path);
        assertThat(text).contains(from);
        Files.writeString(path, text.replace(from, to));
    }

    private Run check() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(captured, true, StandardCharsets.UTF_8);
        try {
            System.setOut(both);
            System.setErr(both);
            int exit = new CommandLine(new Main()).execute("--config", root.toString(), "check");
            return new Run(exit, captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void the_repository_configuration_passes() {
        Run run = check();
        assertThat(run.output()).contains("Configuration OK").doesNotContain("Warning");
        assertThat(run.exitCode()).isZero();
    }

    @Test
    void a_chain_command_without_a_policy_is_refused() throws IOException {
        replace("commands/action-chain.yaml", "    action: chain.pause\n    policy: chain-two-approvers\n", "    action: chain.pause\n");

        Run run = check();
        assertThat(run.output()).contains("commands/action-chain.yaml:/action pause: runs the chain action chain.pause without policy:, "
                + "so it would send a transaction unapproved. Fix: add policy:");
        assertThat(run.exitCode()).isEqualTo(1);
    }

    @Test
    void a_reject_emoji_that_is_the_approve_emoji_is_refused() throws IOException {
        replace("bot/approvals.yaml", "    expiresAfter: 15m\n    approveEmoji: white_check_mark\n    rejectEmoji: x",
                "    expiresAfter: 15m\n    approveEmoji: white_check_mark\n    rejectEmoji: \":white_check_mark:\"");

        Run run = check();
        assertThat(run.output()).contains("(policies.chain-two-approvers.rejectEmoji): ':white_check_mark:' is the same "
                + "reaction as approveEmoji 'white_check_mark', so a reject would approve");
        assertThat(run.exitCode()).isEqualTo(1);
    }

    @Test
    void a_threshold_below_one_is_refused() throws IOException {
        replace("bot/approvals.yaml", "  chain-two-approvers:\n    description: Anything that sends a transaction (pause, unpause, top-up, role changes)\n    threshold: 2",
                "  chain-two-approvers:\n    description: Anything that sends a transaction (pause, unpause, top-up, role changes)\n    threshold: 0");

        Run run = check();
        assertThat(run.output()).contains("(policies.chain-two-approvers.threshold): is 0, so nobody's approval would be needed");
        assertThat(run.exitCode()).isEqualTo(1);
    }

    @Test
    void a_policy_that_nobody_can_meet_is_refused() throws IOException {
        replace("bot/firebreak.yaml", "    roles: [responder, approver]\n    ids: {console: bob", "    roles: [responder]\n    ids: {console: bob");
        replace("bot/firebreak.yaml", "    roles: [responder, approver]\n    ids: {console: carol", "    roles: [responder]\n    ids: {console: carol");

        Run run = check();
        assertThat(run.output()).contains("(policies.two-approvers.threshold): 0 people hold approver, fewer than the 2 approvals "
                + "it needs, so nothing under this policy can run");
        assertThat(run.exitCode()).isEqualTo(1);
    }
}
