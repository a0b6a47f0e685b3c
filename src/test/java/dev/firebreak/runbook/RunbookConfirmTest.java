package dev.firebreak.runbook;

import dev.firebreak.chat.Reply;
import dev.firebreak.command.Outcome;
import dev.firebreak.chat.Outbox;
import dev.firebreak.chat.PostPages;
import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.store.Database;
import dev.firebreak.store.JdbcOutboxStore;
import dev.firebreak.store.JdbcRunbookRuns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** A confirm step holds a stored run until one person confirms it; the steps after it run once. */
class RunbookConfirmTest {

    @TempDir
    Path data;

    static final Runbook RESTORE = new Runbook("restore", "Restore, then scale up", null, List.of(), List.of(), List.of(
            new Runbook.Step(null, null, "Restore the volume from the snapshot", null, null, null, null),
            new Runbook.Step("/action scale mainnet op-node 1", null, null, null, null, null, null)), false);

    @Test
    void two_people_confirming_at_once_run_the_next_step_once() throws Exception {
        try (Database db = Database.open("jdbc:sqlite:" + data.resolve("store.db"))) {
            List<String> ran = new CopyOnWriteArrayList<>();
            StepExecutor executor = (run, line) -> {
                ran.add(line);
                return Outcome.done(Reply.publicly("ok"));
            };
            Outbox outbox = new Outbox(new JdbcOutboxStore(db), Clock.systemUTC());
            RunbookRunner runner = new RunbookRunner(new JdbcRunbookRuns(db), outbox, new PostPages(outbox),
                    Clock.systemUTC(), executor, (run, template) -> "", Map.of("restore", RESTORE));

            RunbookRun held = runner.start(RESTORE, Map.of(), null, "console", "incidents", "alice");
            assertThat(held.state()).isEqualTo(RunbookRun.State.HOLDING);
            assertThat(ran).as("nothing after the confirm step runs before it is confirmed").isEmpty();

            CyclicBarrier together = new CyclicBarrier(2);
            List<Callable<String>> confirmations = new ArrayList<>();
            for (String person : List.of("bob", "carol")) {
                confirmations.add(() -> {
                    together.await();
                    try {
                        return runner.proceed(held.id(), person).state().name();
                    } catch (InvalidInput e) {
                        return "refused";
                    }
                });
            }
            List<String> outcomes = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
                for (Future<String> f : pool.invokeAll(confirmations)) outcomes.add(get(f));
            }
            assertThat(outcomes).containsExactlyInAnyOrder("DONE", "refused");
            assertThat(ran).containsExactly("/action scale mainnet op-node 1");
        }
    }

    static final Runbook RECOVER = new Runbook("recover", "Schedule, then execute at the ETA", null, List.of(), List.of(), List.of(
            new Runbook.Step("/diag health sequencer", null, null, null, null, null, null),
            new Runbook.Step("/action execute-scheduled pilOrchestrator unpause", null, null, null, null, null, null),
            new Runbook.Step("/diag metrics sequencer", null, null, null, null, null, null)), false);

    @Test
    void a_step_its_command_refuses_holds_the_run_there_and_continue_runs_that_step_again() {
        try (Database db = Database.open("jdbc:sqlite:" + data.resolve("store.db"))) {
            List<String> ran = new CopyOnWriteArrayList<>();
            java.util.concurrent.atomic.AtomicBoolean etaPassed = new java.util.concurrent.atomic.AtomicBoolean();
            StepExecutor executor = (run, line) -> {
                ran.add(line);
                if (line.startsWith("/action execute-scheduled") && !etaPassed.get()) {
                    return Outcome.refused("the operation is not ready: its ETA is 09:00 UTC.");
                }
                return Outcome.done(Reply.publicly("ok"));
            };
            JdbcRunbookRuns runs = new JdbcRunbookRuns(db);
            Outbox outbox = new Outbox(new JdbcOutboxStore(db), Clock.systemUTC());
            RunbookRunner runner = new RunbookRunner(runs, outbox, new PostPages(outbox),
                    Clock.systemUTC(), executor, (run, template) -> "", Map.of("recover", RECOVER));

            RunbookRun held = runner.start(RECOVER, Map.of(), null, "console", "incidents", "alice");
            assertThat(held.state()).isEqualTo(RunbookRun.State.HELD);
            assertThat(held.nextStep()).as("at the refused step").isEqualTo(1);
            assertThat(held.statusLine()).contains("could not run: the operation is not ready: its ETA is 09:00 UTC.")
                    .contains("Runbook recover (R-" + held.id() + ") is held at step 2: Step 2/3").contains("`/runbook continue R-" + held.id() + "` runs it again");
            assertThat(ran).as("nothing after the refused step").containsExactly("/diag health sequencer",
                    "/action execute-scheduled pilOrchestrator unpause");
            assertThat(runs.find(held.id())).get().extracting(RunbookRun::state).as("stored held").isEqualTo(RunbookRun.State.HELD);

            etaPassed.set(true);
            RunbookRun done = runner.proceed(held.id(), "bob");
            assertThat(done.state()).isEqualTo(RunbookRun.State.DONE);
            assertThat(ran).containsExactly("/diag health sequencer", "/action execute-scheduled pilOrchestrator unpause",
                    "/action execute-scheduled pilOrchestrator unpause", "/diag metrics sequencer");
        }
    }

    private static String get(Future<String> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            throw new AssertionError(e.getCause());
        }
    }
}
