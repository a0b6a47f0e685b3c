package dev.firebreak.probe.http;

import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.probe.FixedArguments;
import dev.firebreak.probe.Probe;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** What an HTTP probe refuses when it runs, the check refuses in fixed arguments, with the same words. */
class HttpProbeArgumentsTest {

    // nothing listens there: arguments are judged before any request
    final ServicesConfig services = new ServicesConfig(Map.of("sequencer", new ServicesConfig.Service("http://127.0.0.1:1",
            Duration.ofSeconds(1), null, Map.of("health", new ServicesConfig.Endpoint("/health", 200, null),
            "ready", new ServicesConfig.Endpoint("/ready", 200, null)), List.of())));
    final Probe health = new HttpOperations(services).probes().get("http.health");

    @Test
    void an_endpoint_the_probe_refuses_when_it_runs_is_refused_by_validation_with_the_same_message() {
        Map<String, String> with = Map.of("service", "sequencer", "endpoint", "healthz");

        String refused = catchThrowableOfType(InvalidInput.class, () -> health.run(with)).getMessage();

        assertThat(refused).startsWith("Service sequencer has no endpoint \"healthz\"; it has: ");
        assertThat(FixedArguments.problem(health, with, Set.of())).hasValueSatisfying(p -> {
            assertThat(p.message()).isEqualTo(refused);
            assertThat(p.argument()).contains("endpoint");
        });
        assertThat(FixedArguments.problem(health, Map.of("service", "sequencer", "endpoint", "ready"), Set.of())).isEmpty();
    }

    @Test
    void an_argument_given_only_at_run_time_is_not_judged_nor_what_depends_on_it() {
        assertThat(FixedArguments.problem(health, Map.of("endpoint", "healthz"), Set.of("service")))
                .as("the endpoint can only be judged for the service chat names").isEmpty();
        assertThat(FixedArguments.problem(health, Map.of("service", "sequencr"), Set.of("endpoint")))
                .hasValueSatisfying(p -> assertThat(p.message()).startsWith("Unknown service \"sequencr\""));
    }
}
