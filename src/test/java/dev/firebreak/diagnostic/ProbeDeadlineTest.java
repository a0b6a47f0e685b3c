package dev.firebreak.diagnostic;

import com.sun.net.httpserver.HttpServer;
import dev.firebreak.probe.Probe;
import dev.firebreak.probe.ProbeResult;
import dev.firebreak.probe.http.HttpOperations;
import dev.firebreak.probe.http.ServicesConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each probe waits as long as its target's configuration says, with the engine's cap above it. */
class ProbeDeadlineTest {

    HttpServer server;
    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch reached = new CountDownLatch(1);
    final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        // a service that accepts the request and never answers until the test ends
        server.createContext("/health", exchange -> {
            reached.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
        threads.shutdownNow();
    }

    Probe health(Duration timeout) {
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        ServicesConfig services = new ServicesConfig(Map.of("pil", new ServicesConfig.Service(url, timeout, null,
                Map.of("health", new ServicesConfig.Endpoint("/health", 200, null)), List.of())));
        return new HttpOperations(services).probes().get("http.health");
    }

    @Test
    void a_services_configured_30_s_applies_beyond_the_old_20_s_limit() {
        ProbeDeadline deadline = new ProbeDeadline(ProbeDeadline.CAP, threads);
        assertThat(deadline.of(health(Duration.ofSeconds(30)), Map.of("service", "pil")))
                .as("connecting (3 s), the request's 30 s and a moment for the probe to say so itself")
                .isEqualTo(Duration.ofSeconds(34));
    }

    @Test
    void the_engines_cap_is_the_most_any_probe_waits() {
        ProbeDeadline deadline = new ProbeDeadline(ProbeDeadline.CAP, threads);
        assertThat(deadline.of(health(Duration.ofSeconds(90)), Map.of("service", "pil"))).isEqualTo(ProbeDeadline.CAP);
        assertThat(deadline.of(health(Duration.ofSeconds(90)), Map.of("service", "unknown")))
                .as("a probe naming no configured target").isEqualTo(Probe.DEFAULT_TIMEOUT.plus(ProbeDeadline.GRACE));
    }

    @Test
    void a_hanging_service_is_reported_by_its_own_timeout_not_the_engines() {
        ProbeResult result = new ProbeDeadline(ProbeDeadline.CAP, threads)
                .run("http.health", health(Duration.ofMillis(300)), Map.of("service", "pil"));
        assertThat(result.status()).isEqualTo(ProbeResult.Status.ERROR);
        assertThat(result.summary()).isEqualTo("pil /health did not answer within 300 ms");
    }

    @Test
    void a_probe_still_running_at_the_cap_is_abandoned_with_the_cap_named() {
        ProbeResult result = new ProbeDeadline(Duration.ofMillis(500), threads)
                .run("http.health", health(Duration.ofSeconds(30)), Map.of("service", "pil"));
        assertThat(result.status()).isEqualTo(ProbeResult.Status.ERROR);
        assertThat(result.summary()).isEqualTo("no answer within 500 ms (the most a diagnostic may take); the probe was abandoned");
    }
    // ---- what a command does while its probe reads

    @Test
    void what_runs_alongside_runs_while_the_probe_reads() {
        AtomicBoolean sawTheRequest = new AtomicBoolean();
        ProbeResult result = new ProbeDeadline(ProbeDeadline.CAP, threads).run("http.health", health(Duration.ofSeconds(30)),
                Map.of("service", "pil"), () -> {
                    try {
                        sawTheRequest.set(reached.await(10, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    release.countDown();   // the service answers only now
                });
        assertThat(sawTheRequest).as("the service had the probe's request while the work alongside ran").isTrue();
        assertThat(result.status()).isEqualTo(ProbeResult.Status.OK);
    }

    @Test
    void nothing_runs_alongside_a_probe_that_refuses_its_arguments() {
        AtomicBoolean ran = new AtomicBoolean();
        assertThatThrownBy(() -> new ProbeDeadline(ProbeDeadline.CAP, threads).run("http.health", health(Duration.ofSeconds(30)),
                Map.of("service", "nosuch"), () -> ran.set(true)))
                .isInstanceOf(dev.firebreak.kernel.InvalidInput.class).hasMessageStartingWith("Unknown service \"nosuch\"");
        assertThat(ran).isFalse();
        assertThat(reached.getCount()).as("nothing was asked of the service").isEqualTo(1);
    }

    @Test
    void what_runs_alongside_a_probe_that_is_abandoned_has_run_and_the_result_says_why() {
        AtomicBoolean ran = new AtomicBoolean();
        ProbeResult result = new ProbeDeadline(Duration.ofMillis(500), threads)
                .run("http.health", health(Duration.ofSeconds(30)), Map.of("service", "pil"), () -> ran.set(true));
        assertThat(ran).isTrue();
        assertThat(result.summary()).isEqualTo("no answer within 500 ms (the most a diagnostic may take); the probe was abandoned");
    }

    @Test
    void a_failure_alongside_abandons_the_probe_and_reaches_the_caller() {
        IllegalStateException storeGone = new IllegalStateException("the store is gone");
        assertThatThrownBy(() -> new ProbeDeadline(ProbeDeadline.CAP, threads).run("http.health", health(Duration.ofSeconds(30)),
                Map.of("service", "pil"), () -> {
                    throw storeGone;
                })).isSameAs(storeGone);
    }
}
