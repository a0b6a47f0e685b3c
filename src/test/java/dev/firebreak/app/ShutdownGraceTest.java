package dev.firebreak.app;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How long {@code firebreak run} may take to drain after SIGTERM. */
class ShutdownGraceTest {

    @Test
    void the_default_fits_inside_the_kubernetes_grace_period() {
        assertThat(Main.shutdownGrace(Map.of())).isEqualTo(Duration.ofSeconds(25));
        assertThat(Main.shutdownGrace(Map.of())).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void an_operator_can_set_it() {
        assertThat(Main.shutdownGrace(Map.of("FIREBREAK_SHUTDOWN_GRACE", "50s"))).isEqualTo(Duration.ofSeconds(50));
    }

    @Test
    void a_value_that_is_not_a_duration_says_what_to_write() {
        assertThatThrownBy(() -> Main.shutdownGrace(Map.of("FIREBREAK_SHUTDOWN_GRACE", "soon")))
                .hasMessageContaining("FIREBREAK_SHUTDOWN_GRACE").hasMessageContaining("'soon' is not a duration")
                .hasMessageContaining("FIREBREAK_SHUTDOWN_GRACE=25s");
        assertThatThrownBy(() -> Main.shutdownGrace(Map.of("FIREBREAK_SHUTDOWN_GRACE", "0s")))
                .hasMessageContaining("no time at all");
    }
}
