package dev.firebreak.chat.discord;

import dev.firebreak.testing.Eventually;
import dev.firebreak.chat.RecordingListener;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class OrderedDeliveryTest {

    @Test
    void tasks_with_one_key_run_in_order_while_other_keys_are_not_held_up() throws Exception {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            OrderedDelivery delivery = new OrderedDelivery(executor);
            List<String> seen = new CopyOnWriteArrayList<>();
            CountDownLatch slowApproval = new CountDownLatch(1);
            CountDownLatch otherDone = new CountDownLatch(1);
            delivery.submit("message-1", () -> {
                await(slowApproval);
                seen.add("1:add");
            });
            delivery.submit("message-1", () -> {
                throw new IllegalStateException("a failing task does not stop the next");
            });
            delivery.submit("message-1", () -> seen.add("1:remove"));
            delivery.submit("message-2", () -> {
                seen.add("2:add");
                otherDone.countDown();
            });
            assertThat(otherDone.await(5, TimeUnit.SECONDS)).as("message-2 ran while message-1 was busy").isTrue();
            assertThat(seen).containsExactly("2:add");
            slowApproval.countDown();
            Eventually.until(() -> seen.size() == 3, Duration.ofSeconds(5), "message-1 tasks");
            assertThat(seen).containsExactly("2:add", "1:add", "1:remove");
            Eventually.until(() -> delivery.pendingKeys() == 0, Duration.ofSeconds(5), "queues emptied");
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
