package dev.firebreak.chat;

import dev.firebreak.chat.slack.FakeSlackServer;
import dev.firebreak.chat.slack.SlackAdapter;
import dev.firebreak.chat.slack.SlackPayloads;
import dev.firebreak.kernel.Message;
import dev.firebreak.kernel.Page;
import dev.firebreak.store.Database;
import dev.firebreak.store.JdbcDeliveryLog;
import dev.firebreak.store.JdbcOutboxStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Pages on the real Slack platform's limits (its Web API at a local stand-in). */
class PostPagesTest {

    @TempDir
    Path data;

    FakeSlackServer slack;
    Database database;
    Outbox outbox;
    PostPages pages;

    @BeforeEach
    void wire() {
        slack = FakeSlackServer.start();
        slack.addChannel("C0INCIDENTS", "incidents");
        database = Database.open("jdbc:sqlite:" + data.resolve("firebreak.db"));
        Clock clock = Clock.systemUTC();
        ChatPlatform platform = SlackAdapter.fromEnvironment(Map.of("SLACK_BOT_TOKEN", "xoxb-pages-test",
                "SLACK_APP_TOKEN", "xapp-pages-test", "SLACK_API_URL", slack.apiUrl()), SlackPayloads.COMMANDS, clock,
                new JdbcDeliveryLog(database, clock)).orElseThrow().platform();
        outbox = new Outbox(new JdbcOutboxStore(database), clock);
        outbox.register(platform, Duration.ZERO);
        pages = new PostPages(outbox);
    }

    @AfterEach
    void close() {
        database.close();
        slack.close();
    }

    @Test
    void five_thousand_lines_go_out_in_pages_of_one_post_with_footers_naming_the_next() {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 5_000; i++) text.append("line ").append(i).append(": replay of batch ").append(i).append(" failed\n");
        Message body = Message.builder().preformatted(text.toString()).build();
        Message head = Message.text("`/diag logs sequencer`: 5000 lines");

        PostPages.Shown first = pages.page("slack", head, body, Message.builder().build(), 1, PostPages.LINES, "lines",
                "/diag logs sequencer --page");
        assertThat(first.page().size()).as("20 short lines fit one post").isEqualTo(20);
        assertThat(first.page().pages()).isEqualTo(250);
        assertThat(first.message().plainText()).contains("line 1: ").contains("line 20: ").doesNotContain("line 21: ")
                .endsWith("_Page 1 of 250 (lines 1-20 of 5000). More: /diag logs sequencer --page 250_".replace("250_", "2_"));
        PostPages.Shown last = pages.page("slack", head, body, Message.builder().build(), 250, PostPages.LINES, "lines",
                "/diag logs sequencer --page");
        assertThat(last.message().plainText()).contains("line 4981: ").contains("line 5000: ").doesNotContain("line 4980: ")
                .endsWith("_Page 250 of 250 (lines 4981-5000 of 5000)._");
        assertThat(outbox.fitsOnePost("slack", first.message())).isTrue();
        assertThat(outbox.fitsOnePost("slack", last.message())).isTrue();
    }

    @Test
    void a_page_read_alone_keeps_its_place_and_cuts_its_long_lines_to_one_length_to_fit_one_post() {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 41; i <= 60; i++) rows.add(List.of(String.valueOf(i), i % 5 == 0 ? "y".repeat(2_000) : "ok " + i));
        Message body = Message.builder().table(List.of("n", "detail"), rows).build();
        Page third = Page.of(3, PostPages.LINES, 5_000, "events", "/incident timeline");
        Message head = Message.text("Timeline of INC-1");

        Message shown = pages.window("slack", head, body, Message.builder().build(), third, "events", "/incident timeline");

        assertThat(outbox.fitsOnePost("slack", shown)).isTrue();
        String text = shown.plainText();
        assertThat(text).contains("ok 41").contains("ok 59").endsWith("_Page 3 of 250 (events 41-60 of 5000). More: /incident timeline 4_");
        List<Integer> cuts = java.util.regex.Pattern.compile("y+… \\((\\d+) characters cut\\)").matcher(text).results()
                .map(m -> Integer.parseInt(m.group(1))).toList();
        assertThat(cuts).as("the four long rows, cut to one length").hasSize(4).allSatisfy(n -> assertThat(n).isEqualTo(cuts.getFirst()));

        Message small = Message.builder().table(List.of("n", "detail"), List.of(List.of("1", "ok"))).build();
        assertThat(pages.window("slack", head, small, Message.builder().build(), Page.of(1, PostPages.LINES, 1, "events",
                "/incident timeline"), "events", "/incident timeline").plainText()).contains("ok").doesNotContain("Page").doesNotContain("cut");
    }

    @Test
    void a_few_long_lines_make_the_pages_smaller_for_all_and_a_line_too_long_alone_is_cut_with_a_marker() {
        List<List<String>> rows = new ArrayList<>();
        for (int i = 1; i <= 5_000; i++) rows.add(List.of(String.valueOf(i), i % 1000 < 10 ? "x".repeat(400) : "ok"));
        Message body = Message.builder().table(List.of("n", "detail"), rows).build();
        PostPages.Shown shown = pages.page("slack", Message.text("rows"), body, Message.builder().build(), 3, PostPages.LINES, "rows",
                "/diag rows --page");
        assertThat(shown.page().size()).as("ten 400-character rows together are over 3,000").isLessThan(20);
        int size = shown.page().size();
        for (int page : new int[] {1, 3, 5_000 / size / 2, (5_000 + size - 1) / size}) {
            Message message = pages.page("slack", Message.text("rows"), body, Message.builder().build(), page, PostPages.LINES, "rows",
                    "/diag rows --page").message();
            assertThat(outbox.fitsOnePost("slack", message)).as("page " + page + " is one post").isTrue();
            assertThat(message.plainText()).contains("Page " + page + " of " + ((5_000 + size - 1) / size) + " (rows "
                    + ((page - 1) * size + 1) + "-" + Math.min(5_000, page * size) + " of 5000).");
        }

        Message huge = Message.builder().preformatted("short\n" + "y".repeat(10_000) + "\nshort again").build();
        PostPages.Shown cut = pages.page("slack", Message.text("huge"), huge, Message.builder().build(), 2, PostPages.LINES, "lines",
                "/diag huge --page");
        assertThat(cut.page().size()).isEqualTo(1);
        assertThat(outbox.fitsOnePost("slack", cut.message())).as("cut, not split").isTrue();
        assertThat(cut.message().plainText()).contains("yyy" + PostPages.CUT_MARKER).containsPattern("\\(\\d+ characters cut\\)")
                .contains("Page 2 of 3 (lines 2-2 of 3). More: /diag huge --page 3");
    }
}
