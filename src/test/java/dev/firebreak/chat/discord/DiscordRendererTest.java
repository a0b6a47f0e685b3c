package dev.firebreak.chat.discord;

import dev.firebreak.kernel.Icon;
import dev.firebreak.kernel.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Discord rendering of neutral messages, pinned by golden files under
 * {@code src/test/resources/dev/firebreak/chat/discord/golden/}. Run with {@code -Dgolden.update=true}
 * to rewrite them after an intended change, then review the diff.
 */
class DiscordRendererTest {

    static final Path GOLDEN = Path.of("src/test/resources/dev/firebreak/chat/discord/golden");
    final DiscordRenderer renderer = new DiscordRenderer();

    static Map<String, Message> cases() {
        List<List<String>> pods = List.of(List.of("op-node-0", "Running", "0"), List.of("op-geth-0", "CrashLoopBackOff", "14"));
        List<List<String>> manyRows = IntStream.range(0, 200)
                .mapToObj(i -> List.of("sequencer-batch-" + i, "0x" + Integer.toHexString(1_000_000 + i * 7919), i % 3 == 0 ? "pending" : "submitted"))
                .toList();
        List<Message.Field> thirtyFields = IntStream.range(1, 31).mapToObj(i -> new Message.Field("check " + i, "OK")).toList();
        return Map.ofEntries(
                Map.entry("kickoff", Message.builder()
                        .heading("INC-12 declared: P0 L2 blocks stopped")
                        .fields(List.of(new Message.Field("Severity", "P0 (respond in 15 min, update every 30 min)"),
                                new Message.Field("Commander", "<@700000000000000001>"),
                                new Message.Field("Runbook", "sequencer-stalled")))
                        .paragraph("Unsafe head has not advanced for *4 minutes*. Run `/diag block l2` for the latest.")
                        .note("Declared by <@700000000000000001> at 03:12 UTC")
                        .build()),
                Map.entry("approval_request", Message.builder()
                        .heading("Approval needed: pause L1StandardBridge")
                        .fields(List.of(new Message.Field("Chain", "mainnet (1)"),
                                new Message.Field("Contract", "0x99C9fc46f92E8a1c0deC1b1747d010903E884bE1"),
                                new Message.Field("Function", "pause()"),
                                new Message.Field("Value", "0 ETH"),
                                new Message.Field("Approvers", "2 of guardians, not the requester")))
                        .preformatted("action hash 0x5f1c0a7e9d3b2a418c6f0e2d7b9a8c3e1f4d6b2a9c8e7f0a1b3d5c7e9f2a4b6c")
                        .note("React with \u2705 to approve or \u274C to reject. Expires in 30 minutes.")
                        .build()),
                Map.entry("plain_text", Message.builder()
                        .paragraph("Status update posted to *#status*: `degraded`.")
                        .note("next update due 03:45 UTC")
                        .build()),
                Map.entry("small_table", Message.builder()
                        .paragraph("Pods in namespace op-mainnet:")
                        .table(List.of("POD", "STATUS", "RESTARTS"), pods)
                        .build()),
                Map.entry("table_too_long_for_a_message", Message.builder()
                        .paragraph("Batches since the last safe head:")
                        .table(List.of("BATCH", "TX", "STATE"), manyRows)
                        .build()),
                Map.entry("long_text_split", Message.builder()
                        .paragraph(String.join(" ", IntStream.range(0, 450).mapToObj(i -> "w" + i).toList()))
                        .paragraph(String.join(" ", IntStream.range(450, 900).mapToObj(i -> "w" + i).toList()))
                        .build()),
                Map.entry("thirty_fields", Message.builder().heading("Health checks").fields(thirtyFields).build()),
                Map.entry("icons_in_an_embed", Message.builder()
                        .heading(Icon.APPROVAL_NEEDED, "Approval needed A-3: chain.pause")
                        .field("Status", ":hourglass: expires 03:42:00 UTC")
                        .paragraph(Icon.WARNING, "Only *1* person can approve this and it needs 2.")
                        .paragraph(":white_check_mark: A-2 approved by bob. Running it now.")
                        .note(":pushpin: pinned to the timeline")
                        .build()),
                Map.entry("icons_in_text", Message.builder()
                        .paragraph(Icon.OK, "`/diag head l2`: l2 head 1200, 2 s old")
                        .paragraph(":no_entry: A-4 rejected at 10:30:00 by carol :not_an_emoji_we_know:")
                        .table(List.of("check", "result"), List.of(List.of("head", "2 s old"), List.of("balance batcher", "0.5 ETH"),
                                List.of("op-node sync", "safe lag 900"), List.of("l2OutputOracle.paused", "unreachable")),
                                List.of(Icon.OK, Icon.WARNING, Icon.CRITICAL, Icon.ERROR))
                        .build()),
                Map.entry("embed_over_6000", Message.builder()
                        .heading("Post-mortem draft")
                        .paragraph("Timeline. " + "The sequencer stopped producing blocks and the batcher backed off. ".repeat(70))
                        .paragraph("Impact. " + "Deposits were delayed and withdrawals could not be proven for a while. ".repeat(40))
                        .build()),
                Map.entry("long_field_value_and_heading", Message.builder()
                        .heading("H".repeat(300))
                        .field("Error", "execution reverted: " + "x".repeat(1100))
                        .field("Block", "19000000")
                        .build()));
    }

    static List<String> caseNames() {
        return cases().keySet().stream().sorted().toList();
    }

    @ParameterizedTest
    @MethodSource("caseNames")
    void renders_like_the_golden_file(String name) throws IOException {
        String rendered = describe(renderer.render(cases().get(name)));
        Path file = GOLDEN.resolve(name + ".txt");
        if (Boolean.getBoolean("golden.update")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(file, rendered, StandardCharsets.UTF_8);
        }
        assertThat(file).as("golden file; create it with -Dgolden.update=true").exists();
        assertThat(rendered).isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @MethodSource("caseNames")
    void stays_within_discords_limits_and_jda_accepts_every_message(String name) {
        List<DiscordPost> posts = renderer.render(cases().get(name));
        assertWithinLimits(posts);
    }

    @Test
    void random_messages_stay_within_limits_and_lose_no_words() {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            Message.Builder builder = Message.builder();
            List<String> words = new ArrayList<>();
            int blocks = 1 + random.nextInt(12);
            for (int b = 0; b < blocks; b++) {
                int kind = random.nextInt(6);
                String text = randomWords(random, words, 1 + random.nextInt(kind == 0 ? 40 : random.nextInt(10) == 0 ? 1500 : 80));
                switch (kind) {
                    case 0 -> builder.heading(text.replace('\n', ' '));
                    case 1 -> builder.field("f" + b, text);
                    case 2 -> builder.preformatted(text);
                    case 3 -> builder.note(text);
                    default -> builder.paragraph(text);
                }
            }
            List<DiscordPost> posts = renderer.render(builder.build());
            assertWithinLimits(posts);
            String everything = everything(posts);
            for (String word : words) assertThat(everything).contains(word);
        }
    }

    @Test
    void slack_style_bold_becomes_discord_bold_and_code_fences_inside_verbatim_text_are_defused() {
        assertThat(DiscordRenderer.markdown("a *b* c **d** e*f*")).isEqualTo("a **b** c **d** e*f*");
        assertThat(DiscordRenderer.codeBlock("x ``` y")).isEqualTo("```\nx `\u200b`` y\n```");
    }

    private static String randomWords(Random random, List<String> words, int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            String word = "t" + Integer.toString(random.nextInt(1 << 30), 36);
            words.add(word);
            if (!text.isEmpty()) text.append(random.nextInt(12) == 0 ? "\n" : " ");
            text.append(word);
        }
        return text.toString();
    }

    private static String everything(List<DiscordPost> posts) {
        StringBuilder all = new StringBuilder();
        for (DiscordPost post : posts) {
            all.append(post.content()).append('\n');
            for (DiscordPost.Embed embed : post.embeds()) {
                all.append(embed.title()).append('\n').append(embed.description()).append('\n');
                embed.fields().forEach(f -> all.append(f.name()).append('\n').append(f.value()).append('\n'));
            }
            post.files().forEach(f -> all.append(f.text()).append('\n'));
        }
        return all.toString();
    }

    static void assertWithinLimits(List<DiscordPost> posts) {
        assertThat(posts).isNotEmpty();
        for (DiscordPost post : posts) {
            assertThat(post.content().length()).isLessThanOrEqualTo(2000);
            assertThat(post.embeds().size()).isLessThanOrEqualTo(10);
            assertThat(post.files().size()).isLessThanOrEqualTo(10);
            assertThat(post.embeds().stream().mapToInt(DiscordPost.Embed::size).sum()).isLessThanOrEqualTo(6000);
            for (DiscordPost.Embed embed : post.embeds()) {
                if (embed.title() != null) assertThat(embed.title().length()).isLessThanOrEqualTo(256);
                if (embed.description() != null) assertThat(embed.description().length()).isLessThanOrEqualTo(4096);
                assertThat(embed.fields().size()).isLessThanOrEqualTo(25);
                for (DiscordPost.EmbedField field : embed.fields()) {
                    assertThat(field.name().length()).isBetween(1, 256);
                    assertThat(field.value().length()).isBetween(1, 1024);
                }
            }
            assertThat(post.content().isEmpty() && post.embeds().isEmpty() && post.files().isEmpty()).isFalse();
            DiscordMessages.toCreateData(post);
        }
    }

    /** A readable dump of what Discord would receive, one block per message. */
    static String describe(List<DiscordPost> posts) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < posts.size(); i++) {
            DiscordPost post = posts.get(i);
            out.append("=== message ").append(i + 1).append(" of ").append(posts.size()).append(" ===\n");
            if (!post.content().isEmpty()) out.append("content (").append(post.content().length()).append(" chars):\n").append(post.content()).append('\n');
            for (int e = 0; e < post.embeds().size(); e++) {
                DiscordPost.Embed embed = post.embeds().get(e);
                out.append("--- embed ").append(e + 1).append(" (").append(embed.size()).append(" chars) ---\n");
                if (embed.title() != null) out.append("title: ").append(embed.title()).append('\n');
                if (embed.description() != null) out.append("description:\n").append(embed.description()).append('\n');
                for (DiscordPost.EmbedField field : embed.fields()) {
                    out.append("field").append(field.inline() ? " (inline)" : "").append(": ").append(field.name())
                            .append(" = ").append(field.value()).append('\n');
                }
            }
            for (DiscordPost.Attachment file : post.files()) {
                out.append("file: ").append(file.fileName()).append(" (").append(file.text().length()).append(" chars)\n");
            }
        }
        return out.toString();
    }
}
