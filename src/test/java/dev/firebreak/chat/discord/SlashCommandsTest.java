package dev.firebreak.chat.discord;

import dev.firebreak.chat.CommandCatalog;
import dev.firebreak.chat.SlashCommand;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.OptionData;
import net.dv8tion.jda.api.interactions.commands.build.SlashCommandData;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandData;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.firebreak.chat.SlashCommand.OptionType.*;
import static org.assertj.core.api.Assertions.assertThat;

class SlashCommandsTest {

    static final SlashCommand DIAG = new SlashCommand("diag", "Run a diagnostic probe", List.of(
            new SlashCommand.Subcommand("block", "Latest block number and age of a chain, with stalled-chain detection", List.of(
                    SlashCommand.Option.required("chain", WORD, "chain name from bot/chains.yaml"),
                    new SlashCommand.Option("count", INT, null, true, List.of(), "10"),
                    new SlashCommand.Option("verb", CHOICE, "what to do", true, List.of("restart", "undo"), null),
                    new SlashCommand.Option("reason", TEXT, "why", true, List.of(), null)))));

    @Test
    void builds_discord_command_data_with_types_choices_and_required_options_first() {
        SlashCommandData data = new SlashCommands(catalog(DIAG)).commandData().getFirst();
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
        SlashCommand spec = new SlashCommand("action", "Change things", List.of(new SlashCommand.Subcommand("scale", "Scale", List.of(
                new SlashCommand.Option("namespace", WORD, "ns", true, List.of(), "default"),
                SlashCommand.Option.required("replicas", INT, "how many")))));
        SlashCommands commands = new SlashCommands(catalog(spec));
        assertThat(commands.commandData().getFirst().getSubcommands().getFirst().getOptions())
                .extracting(OptionData::getName).containsExactly("replicas", "namespace");
        assertThat(commands.commandLine("action", "scale", Map.of("replicas", "3")::get)).isEqualTo("/action scale default 3");
    }

    @Test
    void the_command_line_follows_the_spec_order_and_fills_defaults_only_where_a_later_argument_is_given() {
        SlashCommands commands = new SlashCommands(catalog(DIAG));
        Map<String, String> values = new HashMap<>(Map.of("reason", "head stuck since 03:00", "chain", "l2"));
        assertThat(commands.commandLine("diag", "block", values::get)).isEqualTo("/diag block l2 10 head stuck since 03:00");
        assertThat(commands.commandLine("diag", "block", Map.of("chain", "l2")::get)).isEqualTo("/diag block l2");
    }

    @Test
    void incident_flags_and_quoted_words_come_out_the_way_the_engine_parses_them() {
        SlashCommand spec = new SlashCommand("incident", "Incidents", List.of(new SlashCommand.Subcommand("assign", "Assign a role", List.of(
                new SlashCommand.Option("security", FLAG, "security incident", true, List.of(), null),
                SlashCommand.Option.required("role", WORD, "role"),
                SlashCommand.Option.required("person", WORD, "who")), true, null)));
        SlashCommands commands = new SlashCommands(catalog(spec));
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
        SlashCommand help = new SlashCommand("help", "What Firebreak can do", List.of(new SlashCommand.Subcommand(
                SlashCommand.Subcommand.TOP_LEVEL, "", List.of(new SlashCommand.Option("topic", WORD, "a command", true, List.of(), null)))));
        SlashCommands commands = new SlashCommands(catalog(help));
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
    void subcommands_in_groups_are_registered_under_their_group() {
        List<SlashCommand.Subcommand> grouped = java.util.stream.IntStream.range(0, 26).mapToObj(i -> new SlashCommand.Subcommand("sub" + i, "short",
                List.of(), false, i < 13 ? "chain" : "k8s")).toList();
        assertThat(new SlashCommands(catalog(new SlashCommand("diag", "d", grouped))).commandData().getFirst().getSubcommandGroups())
                .extracting(g -> g.getName()).containsExactly("chain", "k8s");
    }

    static CommandCatalog catalog(SlashCommand... commands) {
        return new CommandCatalog(List.of(commands));
    }
}
