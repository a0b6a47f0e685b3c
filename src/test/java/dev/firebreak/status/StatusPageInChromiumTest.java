package dev.firebreak.status;

import dev.firebreak.app.MutableClock;
import dev.firebreak.config.ConfigLoader;
import dev.firebreak.config.FirebreakConfig;
import dev.firebreak.web.OperationsServer;
import dev.firebreak.web.Readiness;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The status page as a phone's browser gets it: the operations server on a free port, and a real
 * headless Chromium (Debian's {@code chromium} package, installed by {@code .ci/run}) loading
 * {@code /status} at a phone's width and dumping the DOM it built. Hostile text must stay text: a
 * script in a published update would change the DOM Chromium dumps.
 */
class StatusPageInChromiumTest {

    private static final String PRIVATE_TITLE = "RPC pods OOM after bad deploy by carol";
    private static final String HOSTILE = "<script>document.body.innerHTML='PWNED'</script><img src=x onerror=\"document.title='PWNED'\">";

    @TempDir
    Path folder;

    @Test
    void chromium_shows_the_components_the_incident_and_its_updates_and_nothing_private() throws Exception {
        Optional<Path> chromium = chromium();
        Assumptions.assumeTrue(chromium.isPresent(), "no chromium binary on the PATH (chromium, chromium-browser); "
                + "install Debian's chromium package (apt-get install chromium), as .ci/run does, to run this test");
        FirebreakConfig config = new ConfigLoader(Path.of("."), Map.of("SEQUENCER_URL", "http://127.0.0.1:9")).load();
        MutableClock clock = new MutableClock(Instant.parse("2026-11-23T03:00:00Z"));
        try (StatusPageBot bot = new StatusPageBot(config, "jdbc:sqlite:" + folder.resolve("firebreak.db"), clock);
             OperationsServer server = new OperationsServer(0, () -> new Readiness(Map.of()),
                     new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Map.of(), bot.firebreak.pages()).start()) {
            String declared = bot.say("alice", "incidents", "/incident declare P1 " + PRIVATE_TITLE);
            String channel = declared.substring(declared.indexOf("#inc-") + 1, declared.lastIndexOf('.'));
            bot.say("alice", channel, "/incident assign communications bob");
            bot.say("bob", channel, "/incident post status-page rpc major-outage public RPC requests failing");
            clock.advance(Duration.ofMinutes(10));
            bot.say("bob", channel, "/incident post status-page bridge degraded-performance " + HOSTILE);

            String dom = dumpDom(chromium.get(), "http://127.0.0.1:" + server.port() + "/status");

            assertThat(dom).contains("Jeju Network status").contains("Major Outage")
                    .contains("L2 block production").contains("Bridge deposits and withdrawals").contains("Sequencer API");
            assertThat(dom).contains("id=\"component-rpc\"").containsPattern("id=\"component-rpc\">.*Major Outage</span></li>");
            assertThat(dom).containsPattern("id=\"component-bridge\">.*Degraded Performance</span></li>");
            assertThat(dom).containsPattern("id=\"component-l2-blocks\">.*Operational</span></li>");
            assertThat(dom).contains("RPC: Major Outage")
                    .contains("[INVESTIGATING] We are investigating reports of public RPC requests failing.")
                    .contains("[INVESTIGATING] &lt;script&gt;document.body.innerHTML='PWNED'&lt;/script&gt;&lt;img src=x onerror=");
            assertThat(dom).as("no script ran and no element was injected").doesNotContain("<script").doesNotContain("<img")
                    .doesNotContain("<title>PWNED");
            assertThat(dom).contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
            for (String secret : List.of(PRIVATE_TITLE, "OOM", "carol", "alice", "bob", channel)) {
                assertThat(dom).as("the page holds no private text").doesNotContain(secret);
            }
        }
    }

    private String dumpDom(Path chromium, String url) throws IOException, InterruptedException {
        Path profile = Files.createDirectories(folder.resolve("chromium-profile"));
        Process process = new ProcessBuilder(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + profile, "--window-size=390,844",
                "--dump-dom", url)
                .redirectError(folder.resolve("chromium.log").toFile()).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
        assertThat(process.exitValue()).as("chromium's exit code; its log: " + Files.readString(folder.resolve("chromium.log")))
                .isZero();
        return new String(out, StandardCharsets.UTF_8);
    }

    /** Debian's chromium on the PATH. */
    private static Optional<Path> chromium() {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator)).filter(dir -> !dir.isBlank())
                .flatMap(dir -> Stream.of("chromium", "chromium-browser").map(name -> Path.of(dir, name)))
                .filter(Files::isExecutable).findFirst();
    }
}
