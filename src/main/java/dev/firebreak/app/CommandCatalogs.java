package dev.firebreak.app;

import dev.firebreak.chat.CommandCatalog;
import dev.firebreak.chat.SlashCommand;
import dev.firebreak.command.ArgSpec;
import dev.firebreak.command.CommandRegistry;
import dev.firebreak.command.CommandSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The chat platforms' view of the command registry: what every adapter registers and routes. */
public final class CommandCatalogs {

    /** Discord lists at most 25 subcommands (and groups) under one command; more are grouped by file. */
    static final int SUBCOMMANDS_IN_ONE_LIST = 25;

    /** The page option of every paged command (a probe's), see {@link CommandSpec#paged()}. */
    static final SlashCommand.Option PAGE = new SlashCommand.Option(CommandSpec.PAGE_OPTION, SlashCommand.OptionType.NAMED_INT,
            "Page of a long answer (default 1)", true, List.of(), null);

    private CommandCatalogs() {}

    /**
     * One slash command per name in the registry, with its subcommands, flags and arguments. A
     * command with more subcommands than one list holds (such as {@code /diag}, which gathers the
     * chain, Kubernetes, SQL and HTTP probes) gets one group per file it comes from:
     * {@code commands/diag-chain.yaml} becomes group {@code chain}, so Discord shows
     * {@code /diag chain block ...}; the command line stays {@code /diag block ...}.
     */
    public static CommandCatalog of(CommandRegistry registry) {
        return new CommandCatalog(registry.commandNames().stream().map(name -> {
            List<CommandSpec> specs = registry.subcommands(name);
            boolean grouped = specs.size() > SUBCOMMANDS_IN_ONE_LIST;
            List<SlashCommand.Subcommand> subcommands = specs.stream().map(spec -> new SlashCommand.Subcommand(
                    spec.subcommand(), spec.summary(),
                    Stream.of(
                            spec.flags().stream().map(f -> new SlashCommand.Option(f.name(), SlashCommand.OptionType.FLAG,
                                    f.description(), true, List.of(), null)),
                            spec.args().stream().map(CommandCatalogs::option),
                            spec.paged() ? Stream.of(PAGE) : Stream.<SlashCommand.Option>empty())
                            .flatMap(s -> s).toList(),
                    spec.incidentScoped(), grouped ? groupOf(spec) : null, spec.file())).toList();
            return new SlashCommand(name, registry.description(name), subcommands, sourceOf(name, specs));
        }).toList());
    }

    /** {@code commands/diag-chain.yaml} gives group {@code chain}; the command's own file ({@code diag.yaml}) gives none. */
    private static String groupOf(CommandSpec spec) {
        String stem = stem(spec.file());
        if (stem.equals(spec.command())) return null;
        return stem.startsWith(spec.command() + "-") ? stem.substring(spec.command().length() + 1) : stem;
    }

    /** The command's own file ({@code commands/diag.yaml}) when it has one, else the first that adds to it. */
    private static String sourceOf(String name, List<CommandSpec> specs) {
        return specs.stream().map(CommandSpec::file).filter(file -> stem(file).equals(name)).findFirst()
                .orElse(specs.isEmpty() ? null : specs.getFirst().file());
    }

    private static String stem(String file) {
        return Path.of(file).getFileName().toString().replaceFirst("\\.ya?ml$", "");
    }

    private static SlashCommand.Option option(ArgSpec arg) {
        SlashCommand.OptionType type = switch (arg.typeOrWord()) {
            case "int" -> SlashCommand.OptionType.INT;
            case "text" -> SlashCommand.OptionType.TEXT;
            case "choice" -> SlashCommand.OptionType.CHOICE;
            default -> SlashCommand.OptionType.WORD;
        };
        return new SlashCommand.Option(arg.name(), type, arg.description(), arg.isOptional(), arg.values(), arg.defaultValue());
    }
}
