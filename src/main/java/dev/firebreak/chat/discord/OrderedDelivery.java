package dev.firebreak.chat.discord;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Runs tasks with the same key one after another, in the order they were submitted, and tasks
 * with different keys in parallel. Reactions on one message must reach the engine in gateway
 * order (an add followed by a remove must not arrive the other way round), while a slow approval
 * on one message must not hold up the others.
 */
final class OrderedDelivery {

    private final Executor executor;
    private final Map<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

    OrderedDelivery(Executor executor) {
        this.executor = executor;
    }

    /** {@code task} must handle its own failures; one that throws does not stop later tasks. */
    void submit(String key, Runnable task) {
        CompletableFuture<Void> mine = tails.compute(key, (k, tail) ->
                (tail == null ? CompletableFuture.<Void>completedFuture(null) : tail)
                        .handle((ok, failure) -> (Void) null)
                        .thenRunAsync(task, executor));
        mine.whenComplete((ok, failure) -> tails.remove(key, mine));
    }

    int pendingKeys() {
        return tails.size();
    }
}
