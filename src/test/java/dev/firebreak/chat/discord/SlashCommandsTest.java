package dev.firebreak.chat.discord;

import dev.firebreak.kernel.InvalidInput;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.OptionData;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandData;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.firebreak.chat.discord.SlashCommandSpec.ArgType.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SlashCommandsTest {

    static final SlashCommandSpec DIAG = new SlashCommandSpec("diag", "Run a diagnostic probe", List.of(
            new SlashCommandSpec.Sub("block", "Latest block number and age of a chain, with stalled-chain detection", List.of(
                    SlashCommandSpec.Arg.required("chain", WORD, "chain name from bot/chains.yaml"),
                    new SlashCommandSpec.Arg("count", INT, null, true, List.of(), "10"),
                    new SlashCommandSpec.Arg("verb", CHOICE, "what to do", true, List.of("restart", "undo"), null),
                    new SlashCommandSpec.Arg("reason", TEXT, "why", true, List.of(), null)))));

    @Test
    void builds_discord_command_data_with_types_choices_and_required_options_first() {
        SlashCommandData data = new SlashCommands(List.of(DIAG)).commandData().getFirst();
        assertThat(data.getName()).isEqualTo("diag");
        SubcommandData block = data.getSubcommands().getFirst();
        assertThat(block.getOptions()).extracting(OptionData::getName).containsExactly("chain", "count", "verb", "reason");
        assertThat(block.getOptions()).extracting(OptionData::getType)
                .containsExactly(OptionType.STRING, OptionType.INTEGER, OptionType.STRING, OptionType.STRING);
        assertThat(block.getOptions().getFirst().isRequired()).isTrue();
        assertThat(block.getOptions().get(1).getDescription()).isEqualTo("count");
        assertThat(block.getOptions().get(2).getChoices()).extracting(c -> c.getAsString()).containsExactly("restart", "undo");
    }

    @Test
    void a_required_argument_after_an_optional_one_is_registered_first_but_keeps_its_place_on_the_command_line() {
        SlashCommandSpec spec = new SlashCommandSpec("action", "Change things", List.of(new SlashCommandSpec.Sub("scale", "Scale", List.of(
                new SlashCommandSpec.Arg("namespace", WORD, "ns", true, List.of(), "default"),
                SlashCommandSpec.Arg.required("replicas", INT, "how many")))));
        SlashCommands commands = new SlashCommands(List.of(spec));
        assertThat(commands.commandData().getFirst().getSubcommands().getFirst().getOptions())
                .extracting(OptionData::getName).containsExactly("replicas", "namespace");
        assertThat(commands.commandLine("action", "scale", Map.of("replicas", "3")::get)).isEqualTo("/action scale default 3");
    }

    @Test
    void the_command_line_follows_the_spec_order_and_fills_defaults_only_where_a_later_argument_is_given() {
        SlashCommands commands = new SlashCommands(List.of(DIAG));
        Map<String, String> values = new HashMap<>(Map.of("reason", "head stuck since 03:00", "chain", "l2"));
        assertThat(commands.commandLine("diag", "block", values::get)).isEqualTo("/diag block l2 10 head stuck since 03:00");
        assertThat(commands.commandLine("diag", "block", Map.of("chain", "l2")::get)).isEqualTo("/diag block l2");
    }

    @Test
    void incident_flags_and_quoted_words_come_out_the_way_the_engine_parses_them() {
        SlashCommandSpec spec = new SlashCommandSpec("incident", "Incidents", List.of(new SlashCommandSpec.Sub("assign", "Assign a role", List.of(
                new SlashCommandSpec.Arg("security", FLAG, "security incident", true, List.of(), null),
                SlashCommandSpec.Arg.required("role", WORD, "role"),
                SlashCommandSpec.Arg.required("person", WORD, "who")), true, null)));
        SlashCommands commands = new SlashCommands(List.of(spec));
        SubcommandData assign = commands.commandData().getFirst().getSubcommands().getFirst();
        assertThat(assign.getOptions()).extracting(OptionData::getName).containsExactly("role", "person", "security", "incident");
        assertThat(assign.getOptions().get(2).getType()).isEqualTo(OptionType.BOOLEAN);
        Map<String, String> values = Map.of("incident", "INC-12", "security", "true", "role", "comms", "person", "ann lee");
        assertThat(commands.commandLine("incident", "assign", values::get)).isEqualTo("/incident assign INC-12 --security comms \"ann lee\"");
        assertThat(commands.commandLine("incident", "assign", Map.of("role", "comms", "person", "ann", "security", "false")::get))
                .isEqualTo("/incident assign comms ann");
    }

    @Test
    void a_command_without_subcommands_takes_its_options_directly() {
        SlashCommandSpec help = new SlashCommandSpec("help", "What Firebreak can do", List.of(new SlashCommandSpec.Sub(
                SlashCommandSpec.Sub.TOP_LEVEL, "", List.of(new SlashCommandSpec.Arg("topic", WORD, "a command", true, List.of(), null)))));
        SlashCommands commands = new SlashCommands(List.of(help));
        SlashCommandData data = commands.commandData().getFirst();
        assertThat(data.getSubcommands()).isEmpty();
        assertThat(data.getOptions()).extracting(OptionData::getName).containsExactly("topic");
        assertThat(commands.commandLine("help", null, Map.of("topic", "diag")::get)).isEqualTo("/help diag");
        assertThat(commands.commandLine("help", null, Map.<String, String>of()::get)).isEqualTo("/help");
    }

    @Test
    void long_descriptions_are_shortened_visibly_to_discords_100_characters() {
        String description = SlashCommands.description("x".repeat(150), "fallback");
        assertThat(description).hasSize(100).endsWith("…");
        assertThat(SlashCommands.description(" ", "fallback")).isEqualTo("fallback");
    }

    @Test
    void specs_discord_would_refuse_are_reported_with_every_problem_and_how_to_fix_it() {
        SlashCommandSpec bad = new SlashCommandSpec("Diag Tools", "x", List.of(new SlashCommandSpec.Sub("block", "b", List.of(
                SlashCommandSpec.Arg.required("reason", TEXT, "why"),
                SlashCommandSpec.Arg.required("chain", WORD, "which"),
                new SlashCommandSpec.Arg("mode", CHOICE, "m", false, List.of(), null)))));
        assertThat(bad.problems()).containsExactly(
                "/Diag Tools: command name must be 1-32 lowercase letters, digits, '-' or '_'; rename it in commands/*.yaml",
                "/Diag Tools block reason: a text argument takes the rest of the line, so it must be the last one; move it to the end",
                "/Diag Tools block mode: a choice needs 1-25 values, has 0; list them under values:");
        assertThatThrownBy(() -> new SlashCommands(List.of(bad))).isInstanceOf(InvalidInput.class).hasMessageContaining("rename it");
        assertThatThrownBy(() -> new SlashCommands(List.of(DIAG, DIAG))).isInstanceOf(InvalidInput.class).hasMessageContaining("defined twice");
    }

    @Test
    void too_many_subcommands_or_characters_for_one_command_are_reported() {
        String summary = "s".repeat(100);
        List<SlashCommandSpec.Sub> many = java.util.stream.IntStream.range(0, 26).mapToObj(i -> new SlashCommandSpec.Sub("sub" + i, summary,
                List.of(SlashCommandSpec.Arg.required("first", WORD, summary), SlashCommandSpec.Arg.required("second", WORD, summary)))).toList();
        assertThat(new SlashCommandSpec("diag", "d", many).problems()).containsExactly(
                "/diag: 26 subcommands and groups, Discord allows 25; split the command or move subcommands into more files",
                "/diag: 8211 characters in names, descriptions and choices, Discord allows 8000; shorten summaries or split the command");

        List<SlashCommandSpec.Sub> grouped = java.util.stream.IntStream.range(0, 26).mapToObj(i -> new SlashCommandSpec.Sub("sub" + i, "short",
                List.of(), false, i < 13 ? "chain" : "k8s")).toList();
        assertThat(new SlashCommandSpec("diag", "d", grouped).problems()).isEmpty();
        assertThat(new SlashCommands(List.of(new SlashCommandSpec("diag", "d", grouped))).commandData().getFirst().getSubcommandGroups())
                .extracting(g -> g.getName()).containsExactly("chain", "k8s");
    }
}
