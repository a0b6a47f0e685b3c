package dev.firebreak.kernel;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Plain text is what the console prints and what logs and the timeline keep. */
class PlainTextRendererTest {

    private static final Message SNAPSHOT = Message.builder()
            .heading(Icon.INCIDENT, "Chain snapshot: l2")
            .paragraph(Icon.WARNING, "l2 first response: 3 checks, 2 not OK")
            .table(List.of("check", "result"), List.of(List.of("head", "2 s old"), List.of("balance batcher", "0.5 ETH"),
                    List.of("op-node sync", "unreachable")), List.of(Icon.OK, Icon.WARNING, Icon.ERROR))
            .paragraph("no icon here")
            .build();

    @Test
    void icons_are_words_in_brackets_and_the_icon_column_lines_up() {
        assertThat(SNAPSHOT.plainText()).isEqualTo("""
                [INCIDENT] *Chain snapshot: l2*
                [warn] l2 first response: 3 checks, 2 not OK
                         check            result
                [ok]     head             2 s old
                [warn]   balance batcher  0.5 ETH
                [error]  op-node sync     unreachable
                no icon here""");
    }

    @Test
    void another_form_of_icon_can_be_asked_for_and_emoji_count_two_columns() {
        assertThat(PlainTextRenderer.render(SNAPSHOT, Icon::unicode)).isEqualTo("""
                \uD83D\uDEA8 *Chain snapshot: l2*
                \u26A0\uFE0F l2 first response: 3 checks, 2 not OK
                    check            result
                \u2705  head             2 s old
                \u26A0\uFE0F  balance batcher  0.5 ETH
                \u274C  op-node sync     unreachable
                no icon here""");
    }

    @Test
    void a_table_takes_one_icon_per_row_or_none() {
        assertThatThrownBy(() -> new Message.Table(List.of("a"), List.of(List.of("1"), List.of("2")), List.of(Icon.OK)))
                .hasMessage("1 icons for 2 rows; give one per row or none");
        assertThat(new Message.Table(List.of("a"), List.of(List.of("1"))).icons()).isEmpty();
    }

    @Test
    void shortcodes_of_known_emoji_in_text_become_unicode_and_the_rest_stays() {
        assertThat(Emoji.shortcodesAsUnicode(":warning: at 10:30:00 :no_such_emoji: :x::x:"))
                .isEqualTo("\u26A0\uFE0F at 10:30:00 :no_such_emoji: \u274C\u274C");
        for (Icon icon : Icon.values()) {
            assertThat(Emoji.known(icon.emoji())).as(icon + " has a Unicode emoji").isPresent();
        }
    }
}
