package dev.firebreak.app;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.status.Status;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped logging configuration reads without a warning: logback prints its whole status (some
 * thirty lines) on standard output when it has one, which would be the first screen of
 * {@code ./firebreak check} and {@code ./firebreak demo}, and the console's scriptable output.
 */
class LogbackConfigurationTest {

    @Test
    void the_shipped_configuration_reads_without_a_warning_so_logback_prints_nothing_of_its_own() throws Exception {
        for (String file : new String[] {"src/main/resources/logback.xml", "src/test/resources/logback-test.xml"}) {
            LoggerContext context = new LoggerContext();
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(Path.of(file).toFile());
            int worst = context.getStatusManager().getCopyOfStatusList().stream().mapToInt(Status::getLevel).max().orElse(Status.INFO);
            assertThat(worst).as(file + ": " + context.getStatusManager().getCopyOfStatusList()).isLessThan(Status.WARN);
            context.stop();
        }
    }
}
