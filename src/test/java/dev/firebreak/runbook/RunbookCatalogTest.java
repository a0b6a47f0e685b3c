package dev.firebreak.runbook;

import dev.firebreak.config.ConfigLoader;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A mistyped runbook id is answered with the ids it was probably meant to be, from the shipped runbooks. */
class RunbookCatalogTest {

    private final RunbookCatalog catalog = new RunbookCatalog(
            new ConfigLoader(Path.of("."), Map.of("SEQUENCER_URL", "http://127.0.0.1:9")).load().runbooks());

    @Test
    void a_typo_is_answered_with_the_closest_ids_and_where_the_rest_are() {
        assertThat(catalog.closestTo("jeju-netwrok-down")).first().isEqualTo("jeju-network-down");
        assertThat(catalog.unknown("JEJU-NETWORK-DWN"))
                .startsWith("Unknown runbook JEJU-NETWORK-DWN. Did you mean jeju-network-down")
                .endsWith("/runbook list shows all " + catalog.all().size() + ".");
    }

    @Test
    void a_fragment_finds_the_ids_containing_it_and_nonsense_finds_none() {
        assertThat(catalog.closestTo("forensics")).isNotEmpty().allMatch(id -> id.contains("forensics"));
        assertThat(catalog.closestTo("zzzzzzzzzz")).isEmpty();
        assertThat(catalog.unknown("zzzzzzzzzz")).isEqualTo("Unknown runbook zzzzzzzzzz. /runbook list shows all "
                + catalog.all().size() + ".");
    }
}
