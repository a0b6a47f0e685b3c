package dev.firebreak.chat.discord;

import dev.firebreak.chat.CommandCatalog;
import dev.firebreak.chat.SlashCommand;
import dev.firebreak.kernel.ConfigProblem;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static dev.firebreak.chat.SlashCommand.OptionType.CHOICE;
import static dev.firebreak.chat.SlashCommand.OptionType.TEXT;
import static dev.firebreak.chat.SlashCommand.OptionType.WORD;
import static org.assertj.core.api.Assertions.assertThat;

/** Discord's registration rules, held against what {@link SlashCommands} would send. */
class DiscordCommandRulesTest {

    static List<String> problems(SlashCommand... commands) {
        return DiscordCommandRules.problems(new CommandCatalog(List.of(commands))).stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void commands_discord_would_refuse_are_reported_with_their_file_and_how_to_fix_them() {
        SlashCommand bad = new SlashCommand("Diag Tools", "x", List.of(new SlashCommand.Subcommand("Block", "b", List.of(
                SlashCommand.Option.required("reason", TEXT, "why"),
                SlashCommand.Option.required("chain", WORD, "which"),
                SlashCommand.Option.required("chain", WORD, "again"),
                new SlashCommand.Option("mode", CHOICE, "m", false, List.of(), null)), false, null, "commands/tools.yaml")),
                "commands/tools.yaml");
        assertThat(problems(bad)).containsExactly(
                "commands/tools.yaml:/Diag Tools: command name 'Diag Tools' is not 1 to 32 letters, digits, '-' or '_'. Fix: rename the command: key",
                "commands/tools.yaml:/Diag Tools Block: subcommand name 'Block' has capital letters, which Discord refuses. Fix: rename it in lower case",
                "commands/tools.yaml:/Diag Tools Block option chain: is defined twice. Fix: give each argument and flag its own name",
                "commands/tools.yaml:/Diag Tools Block option mode: a choice has 0 values, Discord allows 1 to 25. Fix: list 1 to 25 values, or make it a word");
    }

    @Test
    void the_incident_option_counts_against_the_25_options_of_a_subcommand() {
        List<SlashCommand.Option> options = IntStream.range(0, 25).mapToObj(i -> SlashCommand.Option.required("o" + i, WORD, "d")).toList();
        assertThat(problems(new SlashCommand("incident", "i", List.of(new SlashCommand.Subcommand("update", "u", options, false, null)))))
                .isEmpty();
        assertThat(problems(new SlashCommand("incident", "i", List.of(new SlashCommand.Subcommand("update", "u", options, true, null)))))
                .containsExactly("commands/:/incident update: 26 options (with incident), Discord allows 25. "
                        + "Fix: combine some arguments into a text argument");
    }

    @Test
    void too_many_subcommands_or_characters_for_one_command_are_reported_and_groups_lift_the_first_limit() {
        String summary = "s".repeat(100);
        List<SlashCommand.Subcommand> many = IntStream.range(0, 26).mapToObj(i -> new SlashCommand.Subcommand("sub" + i, summary,
                List.of(SlashCommand.Option.required("first", WORD, summary), SlashCommand.Option.required("second", WORD, summary)))).toList();
        assertThat(problems(new SlashCommand("diag", "d", many))).containsExactly(
                "commands/:/diag: 26 subcommands and groups, Discord lists at most 25. "
                        + "Fix: split the command, or move subcommands into more files (each file becomes a group)",
                "commands/:/diag: 8211 characters in names, descriptions and choices, Discord allows 8000 for one command. "
                        + "Fix: shorten summaries and descriptions, or split the command");

        List<SlashCommand.Subcommand> grouped = IntStream.range(0, 26).mapToObj(i -> new SlashCommand.Subcommand("sub" + i, "short",
                List.of(), false, i < 13 ? "chain" : "k8s")).toList();
        assertThat(problems(new SlashCommand("diag", "d", grouped))).isEmpty();
    }

    @Test
    void options_of_its_own_and_subcommands_cannot_be_mixed() {
        SlashCommand mixed = new SlashCommand("help", "h", List.of(
                new SlashCommand.Subcommand(SlashCommand.Subcommand.TOP_LEVEL, "", List.of()),
                new SlashCommand.Subcommand("more", "m", List.of())));
        assertThat(problems(mixed)).containsExactly("commands/:/help: has options of its own and subcommands, which Discord cannot mix. "
                + "Fix: move the options into a subcommand");
    }

    @Test
    void letters_of_any_script_are_allowed_in_lower_case() {
        assertThat(problems(new SlashCommand("état", "é", List.of(new SlashCommand.Subcommand("santé", "s", List.of()))))).isEmpty();
    }
}
