package dev.firebreak.kernel;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PageTest {

    @Test
    void a_counted_page_names_its_place_and_the_next_page_command() {
        Page second = Page.of(2, 20, 45, "incidents", "/incident list");
        assertThat(second.offset()).isEqualTo(20);
        assertThat(second.footer("incidents", "/incident list")).isEqualTo("Page 2 of 3 (incidents 21-40 of 45). More: /incident list 3");
        assertThat(Page.of(3, 20, 45, "incidents", "/incident list").footer("incidents", "/incident list"))
                .isEqualTo("Page 3 of 3 (incidents 41-45 of 45).");
        assertThat(Page.of(1, 20, 5, "incidents", "/incident list").footer("incidents", "/incident list")).isEmpty();
        assertThat(Page.of(1, 20, 45, "lines", null).footer("lines", null)).as("no command: no next page named")
                .isEqualTo("Page 1 of 3 (lines 1-20 of 45).");
    }

    @Test
    void a_page_that_is_not_there_says_how_many_there_are_and_what_to_type() {
        for (int missing : new int[] {4, 0, -1, Integer.MAX_VALUE}) {
            assertThatThrownBy(() -> Page.of(missing, 20, 45, "incidents", "/incident list")).isInstanceOf(InvalidInput.class)
                    .hasMessage("There are 3 pages of 45 incidents; ask for one of them, e.g. /incident list 3.");
        }
        assertThatThrownBy(() -> Page.of(2, 20, 5, "lines", "/diag pods mainnet --page")).isInstanceOf(InvalidInput.class)
                .hasMessage("There is 1 page of 5 lines; ask for one of them, e.g. /diag pods mainnet --page 1.");
    }

    @Test
    void a_page_whose_count_stopped_says_more_than_and_always_offers_the_next() {
        Page first = Page.atLeast(1, 20, 1000, "/incident list");
        assertThat(first.footer("incidents", "/incident list"))
                .isEqualTo("Page 1 (incidents 1-20 of more than 1000). More: /incident list 2");
        assertThat(Page.atLeast(50, 20, 1000, "/incident list").offset()).isEqualTo(980);
        assertThatThrownBy(() -> Page.atLeast(0, 20, 1000, "/incident list")).isInstanceOf(InvalidInput.class)
                .hasMessage("Pages are numbered from 1; e.g. /incident list 2.");
    }
}
