package dev.firebreak.app;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import dev.firebreak.kernel.Secret;
import dev.firebreak.store.Database;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The production logging configuration (src/main/resources/logback.xml) redacts every line, stack traces included. */
class LogRedactionTest {

    @Test
    void secrets_and_control_characters_never_reach_the_log() throws Exception {
        new Secret("env SEQUENCER_API_TOKEN", "seq-token-log-0c1d2e3f");
        String logged = logWithProductionConfiguration(log -> {
            log.info("calling the sequencer with Bearer seq-token-log-0c1d2e3f \u001B[31mnow\u0007");
            log.warn("store at jdbc:postgresql://firebreak:Pa55w0rd-x@db/firebreak unreachable",
                    new IllegalStateException("connect to jdbc:postgresql://db/firebreak?user=fb&password=Pa55w0rd-y failed"));
        });

        assertThat(logged).contains("calling the sequencer with Bearer **** now").contains("IllegalStateException")
                .contains("jdbc:postgresql://****@db/firebreak").contains("password=****")
                .doesNotContain("seq-token-log-0c1d2e3f").doesNotContain("Pa55w0rd").doesNotContain("\u001B").doesNotContain("\u0007");
    }

    @Test
    void a_store_url_with_a_password_is_never_printed_when_the_store_cannot_be_opened() throws Exception {
        String url = "jdbc:postgresql://firebreak:S3cretStorePass@127.0.0.1:1/firebreak?password=S3cretStorePass2";
        String[] message = new String[1];
        String logged = logWithProductionConfiguration(log ->
                assertThatThrownBy(() -> Database.open(url)).satisfies(e -> message[0] = e.toString()));

        assertThat(message[0]).contains("cannot open the store").doesNotContain("S3cretStorePass");
        assertThat(logged).doesNotContain("S3cretStorePass");
    }

    /** Runs {@code work} with logback configured from the production logback.xml, and returns what it wrote to stderr. */
    private static String logWithProductionConfiguration(java.util.function.Consumer<org.slf4j.Logger> work) throws Exception {
        LoggerContext context = (LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory();
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            context.reset();
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(Path.of("src/main/resources/logback.xml").toFile());
            context.getLogger("com.zaxxer.hikari").setLevel(ch.qos.logback.classic.Level.INFO);
            work.accept(org.slf4j.LoggerFactory.getLogger("dev.firebreak.test"));
        } finally {
            System.setErr(stderr);
            context.reset();
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(Path.of("src/test/resources/logback-test.xml").toFile());
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
