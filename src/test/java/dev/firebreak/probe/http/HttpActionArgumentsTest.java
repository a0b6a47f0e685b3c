package dev.firebreak.probe.http;

import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.probe.Action;
import dev.firebreak.probe.FixedArguments;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** What an HTTP action refuses when it is planned, the check refuses in fixed arguments, with the same words. */
class HttpActionArgumentsTest {

    // nothing listens there: arguments are judged, and the action planned, before any request
    final ServicesConfig services = new ServicesConfig(Map.of("sequencer", new ServicesConfig.Service("http://127.0.0.1:1",
            Duration.ofSeconds(1), null, Map.of(), List.of())));
    final Action post = new HttpOperations(services).actions().get("http.post");

    @Test
    void a_value_planning_refuses_is_refused_by_validation_with_the_same_message() {
        for (Map<String, String> with : List.of(Map.of("service", "sequencer", "path", "api/v1/ves/anchor"),
                Map.of("service", "sequencr", "path", "/api/v1/ves/anchor"),
                Map.of("service", "sequencer", "path", "/api/v1/ves/anchor", "body.batch_id", "b 1; drop"))) {
            String refused = catchThrowableOfType(InvalidInput.class, () -> post.plan(with)).getMessage();
            assertThat(FixedArguments.problem(post, with, Set.of())).as(with.toString())
                    .hasValueSatisfying(p -> assertThat(p.message()).isEqualTo(refused));
        }
        assertThat(FixedArguments.problem(post, Map.of("service", "sequencer", "path", "/api/v1/ves/anchor", "body.batch_id", "b-1"),
                Set.of())).isEmpty();
    }

    @Test
    void a_body_value_chat_gives_is_not_judged_but_the_path_is() {
        Map<String, String> with = Map.of("service", "sequencer", "path", "/api/v1/ves/anchor", "body.batch_id", "{{batch_id}}");
        assertThat(FixedArguments.problem(post, with, Set.of("batch_id"))).isEmpty();
        assertThat(FixedArguments.problem(post, Map.of("service", "sequencer", "path", "api", "body.batch_id", "{{batch_id}}"),
                Set.of("batch_id"))).hasValueSatisfying(p -> assertThat(p.argument()).contains("path"));
    }

    @Test
    void a_body_value_written_in_the_configuration_is_judged_even_when_chat_gives_another() {
        Map<String, String> with = Map.of("service", "sequencer", "path", "/api/v1/ves/anchor",
                "body.batch_id", "{{batch_id}}", "body.reason", "operator retry; drop");
        String refused = catchThrowableOfType(InvalidInput.class,
                () -> post.plan(Map.of("service", "sequencer", "path", "/api/v1/ves/anchor", "body.batch_id", "b-1",
                        "body.reason", "operator retry; drop", "batch_id", "b-1"))).getMessage();
        assertThat(FixedArguments.problem(post, with, Set.of("batch_id")))
                .hasValueSatisfying(p -> {
                    assertThat(p.message()).isEqualTo(refused);
                    assertThat(p.argument()).contains("body.reason");
                });
    }
}
