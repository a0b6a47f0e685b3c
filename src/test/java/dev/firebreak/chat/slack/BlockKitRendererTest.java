package dev.firebreak.chat.slack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.firebreak.kernel.Icon;
import dev.firebreak.kernel.Message;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Block Kit output pinned by golden files under src/test/resources/dev/firebreak/chat/slack/golden.
 * After an intended change, regenerate them with {@code -Dgolden.update=true} and review the diff.
 */
class BlockKitRendererTest {

    static final Path GOLDEN = Path.of("src/test/resources/dev/firebreak/chat/slack/golden");
    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    static Map<String, Message> samples() {
        List<Message.Field> many = IntStream.rangeClosed(1, 12)
                .mapToObj(i -> new Message.Field("pod-" + i, "Running")).toList();
        StringBuilder longLog = new StringBuilder();
        for (int i = 0; i < 200; i++) longLog.append("2026-11-23T03:0").append(i % 10).append(" op-node reset derivation ").append(i).append('\n');
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("op-geth-0", "Running", "0"));
        rows.add(List.of("op-node-0", "CrashLoopBackOff", "17"));
        return Map.of(
                "kickoff", Message.builder()
                        .heading("INC-42 P1: RPC latency high")
                        .fields(List.of(new Message.Field("Severity", "P1"), new Message.Field("Commander", "<@U1ALICE>"),
                                new Message.Field("Update every", "30 min")))
                        .paragraph("Runbook: *Jeju* `rpc-latency`. Do not ping <!channel> & friends.")
                        .note("hash 0x9f2c…e1 · opened 03:12 UTC")
                        .build(),
                "table", Message.builder().heading("Pods in jeju-l2").table(List.of("NAME", "STATUS", "RESTARTS"), rows).build(),
                "many-fields", Message.builder().fields(many).build(),
                "long-log", Message.builder().heading("op-node logs").preformatted(longLog.toString()).build(),
                "icons", Message.builder()
                        .heading(Icon.APPROVAL_NEEDED, "Approval needed A-3: chain.pause")
                        .paragraph(Icon.WARNING, "Only *1* person can approve this and it needs 2.")
                        .paragraph(":white_check_mark: A-2 approved by bob. Running it now.")
                        .table(List.of("check", "result"), List.of(List.of("head", "2 s old"), List.of("balance batcher", "0.5 ETH"),
                                List.of("op-node sync", "safe lag 900"), List.of("l2OutputOracle.paused", "unreachable")),
                                List.of(Icon.OK, Icon.WARNING, Icon.CRITICAL, Icon.ERROR))
                        .build());
    }

    static List<String> names() {
        return samples().keySet().stream().sorted().toList();
    }

    @ParameterizedTest
    @MethodSource("names")
    void renders_as_pinned(String name) throws IOException {
        BlockKitRenderer.Rendered rendered = BlockKitRenderer.render(samples().get(name));
        String actual = JSON.writeValueAsString(JSON.readTree(rendered.blocksJson())) + "\n";
        Path golden = GOLDEN.resolve(name + ".json");
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(golden, actual);
        }
        assertThat(golden).as("golden file; create it with -Dgolden.update=true").exists();
        assertThat(actual).isEqualTo(Files.readString(golden));
    }

    @Test
    void mentions_and_links_from_chat_text_are_escaped_but_people_stay_mentioned() throws IOException {
        String json = BlockKitRenderer.render(Message.text("<!channel> <https://evil|click> & <@U1ALICE>")).blocksJson();
        String text = JSON.readTree(json).get(0).path("text").path("text").asText();
        assertThat(text).isEqualTo("&lt;!channel&gt; &lt;https://evil|click&gt; &amp; <@U1ALICE>");
    }

    @Test
    void the_notification_text_is_escaped_like_the_blocks() {
        BlockKitRenderer.Rendered rendered = BlockKitRenderer.render(Message.builder()
                .heading("INC-3 <!here> declared").paragraph("<!channel> <https://evil|click> & more").build());
        assertThat(rendered.fallbackText()).contains("INC-3 &lt;!here&gt; declared")
                .contains("&lt;!channel&gt; &lt;https://evil|click&gt; &amp; more")
                .doesNotContain("<!channel>").doesNotContain("<!here>").doesNotContain("<https://");
    }

    @Test
    void limits_hold_and_cuts_are_reported() {
        BlockKitRenderer.Rendered longLog = BlockKitRenderer.render(samples().get("long-log"));
        assertThat(longLog.truncated()).isTrue();
        assertThat(longLog.blocksJson()).contains("output truncated");
        assertThat(longLog.blocksJson().length()).isLessThan(BlockKitRenderer.SECTION_LIMIT + 400);
        assertThat(BlockKitRenderer.render(samples().get("kickoff")).truncated()).isFalse();

        Message.Builder huge = Message.builder();
        for (int i = 0; i < 80; i++) huge.paragraph("line " + i);
        huge.heading("x".repeat(400));
        BlockKitRenderer.Rendered rendered = BlockKitRenderer.render(huge.build());
        assertThat(rendered.blocks()).hasSize(BlockKitRenderer.BLOCK_LIMIT);
        assertThat(rendered.truncated()).isTrue();
        assertThat(rendered.fallbackText().length()).isLessThanOrEqualTo(BlockKitRenderer.FALLBACK_LIMIT);
        assertThat(BlockKitRenderer.render(Message.builder().heading("y".repeat(400)).build()).blocksJson())
                .contains("y".repeat(149) + "…").doesNotContain("y".repeat(150));
    }

    @Test
    void a_cut_private_message_says_so_in_its_last_line() {
        BlockKitRenderer.Rendered rendered = BlockKitRenderer.renderPrivate(samples().get("long-log"));
        assertThat(rendered.blocksJson()).contains("Shortened to fit in Slack (the full text is");
        assertThat(BlockKitRenderer.renderPrivate(samples().get("kickoff")).blocks())
                .isEqualTo(BlockKitRenderer.render(samples().get("kickoff")).blocks());
    }
}
