package dev.firebreak.command;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code /incident declare P1 RPC latency high} against the registry. Words may be
 * quoted with double quotes; a {@code text} argument takes the rest of the line as typed.
 * A known option ({@code --security}) counts wherever it stands, also inside or after a text
 * argument; an unknown one is an error, also as the first word of a text argument (quote the
 * text if it really starts with {@code --}). A subcommand named noun-verb ({@code presigned-add})
 * is also reached as two words ({@code /action presigned add}), as the platforms' names allow no space.
 * A paged command ({@link CommandSpec#paged()}) also takes {@code --page N} (or {@code --page=N}) anywhere; that
 * number, or a {@code page} argument's, is the parsed command's page.
 */
public final class CommandLineParser {

    private static final Pattern TOKEN = Pattern.compile("\"([^\"]*)\"|(\\S+)");
    private static final Pattern INCIDENT = Pattern.compile("(?i)INC-(\\d{1,9})");

    private final CommandRegistry registry;
    private final Map<String, Predicate<String>> domainTypes;
    private final Map<String, String> domainHints;

    /**
     * @param domainTypes validators for the types {@code severity}, {@code person}, {@code status}
     * @param domainHints what to tell the person when such a value is unknown, e.g. "one of P0, P1, P2, P3"
     */
    public CommandLineParser(CommandRegistry registry, Map<String, Predicate<String>> domainTypes,
                             Map<String, String> domainHints) {
        this.registry = registry;
        this.domainTypes = domainTypes;
        this.domainHints = domainHints;
    }

    private record Token(String text, int start, int end, boolean quoted) {

        boolean option() {
            return !quoted && text.startsWith("--") && text.length() > 2;
        }
    }

    public ParsedCommand parse(String line) {
        String text = line.strip();
        if (!text.startsWith("/")) throw new UsageError("Commands start with /.", "/help");
        List<Token> tokens = tokens(text);
        String command = tokens.get(0).text().substring(1).toLowerCase(Locale.ROOT);
        if (!registry.hasCommand(command)) {
            throw new UsageError("Unknown command /" + command + ".", "/help lists the commands you can run");
        }
        int next = 1;
        String sub = "";
        if (registry.hasSubcommands(command)) {
            if (tokens.size() < 2) {
                throw new UsageError("/" + command + " needs a subcommand.", subcommandList(command));
            }
            sub = tokens.get(1).text().toLowerCase(Locale.ROOT);
            next = 2;
            if (registry.find(command, sub).isEmpty() && tokens.size() > 2
                    && registry.find(command, sub + "-" + tokens.get(2).text().toLowerCase(Locale.ROOT)).isPresent()) {
                // a verb under a noun, as people say it: /action presigned add is the subcommand presigned-add
                sub = sub + "-" + tokens.get(2).text().toLowerCase(Locale.ROOT);
                next = 3;
            }
            if (registry.find(command, sub).isEmpty()) {
                throw new UsageError("Unknown subcommand /" + command + " " + sub + ".", subcommandList(command));
            }
        }
        CommandSpec spec = registry.find(command, sub).orElseThrow();

        Optional<Long> incident = Optional.empty();
        if (spec.incidentScoped() && next < tokens.size()) {
            Matcher m = INCIDENT.matcher(tokens.get(next).text());
            if (m.matches()) {
                incident = Optional.of(Long.parseLong(m.group(1)));
                next++;
            }
        }
        Set<String> flags = new LinkedHashSet<>();
        List<Token> rest = new ArrayList<>();
        int page = 1;
        List<Token> remaining = tokens.subList(next, tokens.size());
        for (int i = 0; i < remaining.size(); i++) {
            Token token = remaining.get(i);
            if (token.option() && isFlag(spec, token.text().substring(2))) {
                flags.add(token.text().substring(2));
            } else if (spec.paged() && token.option() && token.text().matches("--" + CommandSpec.PAGE_OPTION + "(=.*)?")) {
                String value = token.text().contains("=") ? token.text().substring(token.text().indexOf('=') + 1)
                        : i + 1 < remaining.size() ? remaining.get(++i).text() : "";
                page = pageNumber(spec, value);
            } else {
                rest.add(token);
            }
        }
        tokens = new ArrayList<>(tokens.subList(0, next));
        tokens.addAll(rest);

        Map<String, String> args = new LinkedHashMap<>();
        for (ArgSpec arg : spec.args()) {
            if (next >= tokens.size()) {
                if (arg.isOptional()) {
                    if (arg.defaultValue() != null) args.put(arg.name(), arg.defaultValue());
                    continue;
                }
                throw new UsageError("Missing " + arg.name().toUpperCase(Locale.ROOT)
                        + (arg.description() == null ? "" : " (" + arg.description() + ")") + ".", spec.usage());
            }
            if (tokens.get(next).option()) {
                String option = tokens.get(next).text();
                throw new UsageError(("text".equals(arg.type()) ? "The " + arg.name().toUpperCase(Locale.ROOT) + " starts with " + option
                        + ", which is not an option of " + spec.path() + "." : "Unknown option " + option + ".")
                        + (spec.flags().isEmpty() ? " " + spec.path() + " takes no options." : " Its options: "
                        + String.join(", ", spec.flags().stream().map(f -> "--" + f.name()).toList()) + ".")
                        + ("text".equals(arg.type()) ? " Quote the text if it really starts with --." : ""), spec.usage());
            }
            if ("text".equals(arg.type())) {
                args.put(arg.name(), textFrom(text, tokens.subList(next, tokens.size())));
                next = tokens.size();
                continue;
            }
            String value = tokens.get(next++).text();
            args.put(arg.name(), check(spec, arg, value));
            if (CommandSpec.PAGE_OPTION.equals(arg.name())) page = pageNumber(spec, value);
        }
        if (next < tokens.size()) {
            throw new UsageError("Unexpected \"" + tokens.get(next).text() + "\".", spec.usage());
        }
        return new ParsedCommand(spec, args, flags, incident, page);
    }

    /**
     * The page asked for, by {@code --page N} or a {@code page} argument: any whole number (the
     * answer, which knows how many pages there are, judges it: {@code Page#of}).
     */
    private static int pageNumber(CommandSpec spec, String value) {
        if (!value.matches("-?\\d{1,18}")) {
            throw new UsageError(CommandSpec.PAGE_OPTION.toUpperCase(Locale.ROOT) + " must be a whole number"
                    + (value.isEmpty() ? ", e.g. --" + CommandSpec.PAGE_OPTION + " 2." : ", got \"" + value + "\"."), spec.usage());
        }
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, Long.parseLong(value)));
    }

    private String check(CommandSpec spec, ArgSpec arg, String value) {
        String type = arg.typeOrWord();
        switch (type) {
            case "int" -> {
                if (!value.matches("-?\\d{1,18}")) {
                    throw new UsageError(arg.name().toUpperCase(Locale.ROOT) + " must be a whole number, got \"" + value + "\".", spec.usage());
                }
            }
            case "choice" -> {
                if (!arg.values().contains(value.toLowerCase(Locale.ROOT))) {
                    throw new UsageError(arg.name().toUpperCase(Locale.ROOT) + " must be one of " + String.join(", ", arg.values())
                            + ", got \"" + value + "\".", spec.usage());
                }
                return value.toLowerCase(Locale.ROOT);
            }
            case "severity", "person", "status" -> {
                Predicate<String> valid = domainTypes.get(type);
                if (valid != null && !valid.test(value)) {
                    throw new UsageError("Unknown " + type + " \"" + value + "\"; use " + domainHints.getOrDefault(type, "a known value") + ".",
                            spec.usage());
                }
            }
            default -> { }
        }
        return value;
    }

    private static boolean isFlag(CommandSpec spec, String name) {
        return spec.flags().stream().anyMatch(f -> f.name().equals(name));
    }

    /** The text as typed from the first of {@code tokens} to the end, without the options that stood inside it. */
    private static String textFrom(String line, List<Token> tokens) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            boolean adjacent = i + 1 < tokens.size() && tokens.get(i + 1).start() == token.end() + countSpaces(line, token.end());
            out.append(line, token.start(), i + 1 < tokens.size() && adjacent ? tokens.get(i + 1).start() : token.end());
            if (i + 1 < tokens.size() && !adjacent) out.append(' ');
        }
        return out.toString().strip();
    }

    private static int countSpaces(String line, int from) {
        int n = 0;
        while (from + n < line.length() && Character.isWhitespace(line.charAt(from + n))) n++;
        return n;
    }

    private String subcommandList(String command) {
        return String.join("\n", registry.subcommands(command).stream().map(CommandSpec::usage).toList());
    }

    private static List<Token> tokens(String text) {
        List<Token> tokens = new ArrayList<>();
        Matcher m = TOKEN.matcher(text);
        while (m.find()) {
            tokens.add(m.group(1) != null ? new Token(m.group(1), m.start(), m.end(), true) : new Token(m.group(2), m.start(), m.end(), false));
        }
        return tokens;
    }
}
