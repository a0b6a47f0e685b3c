package dev.firebreak.app;

import com.sun.net.httpserver.HttpServer;
import dev.firebreak.approval.ApprovalRepository;
import dev.firebreak.approval.ApprovalRequest;
import dev.firebreak.approval.ApprovalState;
import dev.firebreak.chat.Inbound;
import dev.firebreak.config.ConfigLoader;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.kernel.Message;
import dev.firebreak.probe.PlannedAction;
import dev.firebreak.runbook.RunbookRun;
import dev.firebreak.store.Database;
import dev.firebreak.store.JdbcApprovalRepository;
import dev.firebreak.store.JdbcRunbookRuns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runbook runs after a restart: killed between steps, waiting on an approval that was decided
 * while Firebreak was away, and waiting on an action the restart interrupted. Each is continued,
 * or held with a message saying how to continue ({@code /runbook continue}) or end it
 * ({@code /runbook abandon}).
 */
class RunbookRestartTest {

    @TempDir
    Path data;
    private HttpServer sequencer;
    private final CountDownLatch healthAsked = new CountDownLatch(1);
    private volatile CountDownLatch answer = new CountDownLatch(1);

    /** The sequencer's health endpoint, answering only when the test lets it. */
    @BeforeEach
    void sequencer() throws IOException {
        sequencer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        sequencer.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        sequencer.createContext("/", exchange -> {
            try (exchange) {
                healthAsked.countDown();
                answer.await(30, TimeUnit.SECONDS);
                byte[] body = "{\"status\":\"healthy\",\"database\":\"connected\"}".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        sequencer.start();
    }

    @AfterEach
    void stop() {
        answer.countDown();
        sequencer.stop(0);
    }

    private FirebreakConfig config() {
        return new ConfigLoader(Path.of("."), Map.of("SEQUENCER_URL", "http://127.0.0.1:" + sequencer.getAddress().getPort(),
                "FIREBREAK_CHAIN_RPC_URL", "http://127.0.0.1:9", "FIREBREAK_CHAIN_RPC_FALLBACK_URL", "http://127.0.0.1:9")).load();
    }

    private String store() {
        return "jdbc:sqlite:" + data.resolve("firebreak.db");
    }

    @Test
    void a_run_killed_in_the_middle_of_a_step_is_held_after_the_restart_and_continue_runs_that_step_again() throws Exception {
        FirebreakConfig config = config();
        ConsoleBot first = ConsoleBot.started(config, store());
        CompletableFuture<?> running = CompletableFuture.runAsync(() -> first.firebreak().engine()
                .onCommand(new Inbound.Command("console", "alice", ConsoleBot.INCIDENTS, "/runbook run first-response")));
        assertThat(healthAsked.await(15, TimeUnit.SECONDS)).as("step 3 asks the sequencer").isTrue();
        assertThat(first.run(1).state()).isEqualTo(RunbookRun.State.RUNNING);
        first.crash();   // Firebreak dies in the middle of step 3
        running.get(15, TimeUnit.SECONDS);

        try (ConsoleBot second = ConsoleBot.started(config, store())) {
            String held = second.awaitOutput("Runbook first-response (R-1) is held");
            assertThat(held).contains("Firebreak restarted while it was at step 3/8 (`/diag health sequencer`)")
                    .contains("`/runbook continue R-1` runs that step again").contains("`/runbook abandon R-1` ends it");
            assertThat(second.run(1).state()).isEqualTo(RunbookRun.State.HELD);
            assertThat(second.run(1).nextStep()).isEqualTo(2);

            answer.countDown();   // the sequencer answers again
            assertThat(second.say("alice", "/runbook continue R-1").message().plainText()).contains("R-1 goes on");
            String output = second.awaitOutput("Runbook first-response (R-1) finished");
            assertThat(output).contains("alice continued R-1 after the restart, at step 3")
                    .contains("Step 3/8 `/diag health sequencer`").contains("Step 4/8 `/diag health sequencer ready`");
            assertThat(second.run(1).state()).isEqualTo(RunbookRun.State.DONE);
        }
    }

    /** The store as a process left it that died while run R-1 waited on request A-1 in {@code state}. */
    private void waitingRunWithRequest(String action, ApprovalState... path) {
        try (Database db = Database.open(store())) {
            Instant now = Instant.now();
            RunbookRun run = new JdbcRunbookRuns(db).create(new RunbookRun(0, "jeju-oracle-pause", null, "console",
                    ConsoleBot.INCIDENTS, "alice", Map.of(), 1, RunbookRun.State.WAITING, now));
            PlannedAction plan = new PlannedAction(action, Map.of("input.contract", "l2OutputOracle"), Message.text("pause l2OutputOracle"));
            JdbcApprovalRepository requests = new JdbcApprovalRepository(db);
            ApprovalRequest request = requests.create(new ApprovalRepository.NewRequest(null, action, plan.hash(), plan.canonicalJson(),
                    "pause l2OutputOracle", "chain-two-approvers", "alice", "console", ConsoleBot.INCIDENTS, run.id(), now,
                    now.plus(Duration.ofMinutes(15))));
            ApprovalState from = ApprovalState.PENDING;
            for (ApprovalState to : path) {
                assertThat(requests.transition(request.id(), from, to, now, to == ApprovalState.SUCCEEDED ? "paused" : null)).isTrue();
                from = to;
            }
        }
    }

    @Test
    void a_run_whose_approved_action_succeeded_while_firebreak_was_down_goes_on_after_the_restart() {
        waitingRunWithRequest("chain.pause", ApprovalState.APPROVED, ApprovalState.EXECUTING, ApprovalState.SUCCEEDED);
        try (ConsoleBot bot = ConsoleBot.started(config(), store())) {
            String output = bot.awaitOutput("Runbook jeju-oracle-pause (R-1) finished");
            assertThat(output).contains("Step 2/5 `/diag read l2OutputOracle paused`").doesNotContain("is held");
            assertThat(bot.run(1).state()).isEqualTo(RunbookRun.State.DONE);
        }
    }

    @Test
    void a_run_waiting_on_an_action_the_restart_interrupted_is_held_and_can_be_continued_or_abandoned() {
        waitingRunWithRequest("http.post", ApprovalState.APPROVED, ApprovalState.EXECUTING);
        try (ConsoleBot bot = ConsoleBot.started(config(), store())) {
            bot.awaitState(1, ApprovalState.UNKNOWN);
            String held = bot.awaitOutput("Runbook jeju-oracle-pause (R-1) is held");
            assertThat(held).contains("Firebreak stopped while running A-1")
                    .contains("A-1, which it waited on, was interrupted by a restart and not repeated")
                    .contains("`/runbook continue R-1` goes on with step 2/5 (`/diag read l2OutputOracle paused`)");
            assertThat(bot.run(1).state()).isEqualTo(RunbookRun.State.HELD);

            assertThat(bot.say("alice", "/runbook abandon R-1").message().plainText()).isEqualTo("R-1 is abandoned.");
            assertThat(bot.awaitOutput("alice abandoned runbook jeju-oracle-pause (R-1) before step 2"))
                    .doesNotContain("Step 2/5");
            assertThat(bot.run(1).state()).isEqualTo(RunbookRun.State.ABANDONED);
            assertThat(bot.say("alice", "/runbook continue R-1").message().plainText())
                    .isEqualTo("R-1 (jeju-oracle-pause) is abandoned, not waiting for a person; nothing to continue.");
            assertThat(bot.say("alice", "/runbook abandon R-1").message().plainText())
                    .isEqualTo("R-1 (jeju-oracle-pause) is abandoned already; nothing to abandon.");
        }
    }

    @Test
    void a_held_run_goes_on_when_continued() {
        waitingRunWithRequest("http.post", ApprovalState.APPROVED, ApprovalState.EXECUTING);
        try (ConsoleBot bot = ConsoleBot.started(config(), store())) {
            bot.awaitOutput("Runbook jeju-oracle-pause (R-1) is held");
            assertThat(bot.say("bob", "/runbook continue R-1").message().plainText()).contains("R-1 goes on");
            assertThat(bot.awaitOutput("Runbook jeju-oracle-pause (R-1) finished"))
                    .contains("bob continued R-1 after the restart, at step 2").contains("Step 2/5 `/diag read l2OutputOracle paused`");
            assertThat(bot.say("bob", "/runbook abandon R-1").message().plainText())
                    .isEqualTo("R-1 (jeju-oracle-pause) is done already; nothing to abandon.");
        }
    }
}
