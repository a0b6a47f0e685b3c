package dev.firebreak.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Where each key and value of a YAML file sits, so a problem found after reading can name its
 * line: JSON pointers ({@code /runbooks/2/steps/0/run}) to line numbers, and scalar values by
 * pointer. Built from Jackson's parser locations; a file that cannot be read has no lines.
 */
public final class YamlLines {

    private static final YAMLFactory YAML = new YAMLFactory();

    private final Map<String, Integer> lines;
    private final Map<String, String> values;

    private YamlLines(Map<String, Integer> lines, Map<String, String> values) {
        this.lines = lines;
        this.values = values;
    }

    public static YamlLines of(Path file) {
        Map<String, Integer> lines = new HashMap<>();
        Map<String, String> values = new HashMap<>();
        if (Files.isRegularFile(file)) {
            try (JsonParser parser = YAML.createParser(file.toFile())) {
                for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                    JsonStreamContext context = parser.getParsingContext();
                    if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) context = context.getParent();
                    String pointer = context == null ? "" : context.pathAsPointer().toString();
                    lines.putIfAbsent(pointer, parser.currentTokenLocation().getLineNr());
                    if (token.isScalarValue()) values.put(pointer, parser.getText());
                }
            } catch (IOException | RuntimeException e) {
                // unreadable YAML is reported by YamlReader; what was read so far still has its lines
            }
        }
        return new YamlLines(lines, values);
    }

    /** The line of {@code pointer}, or of its nearest enclosing key when the pointer itself is not in the file. */
    public OptionalInt line(String pointer) {
        for (String at = pointer; !at.isEmpty(); at = at.substring(0, at.lastIndexOf('/'))) {
            Integer line = lines.get(at);
            if (line != null) return OptionalInt.of(line);
        }
        return OptionalInt.empty();
    }

    /**
     * The line of the key {@code key} in the nearest object around {@code near} that has it, e.g.
     * {@code /people/bob/rols} near {@code /people/bob/ids}: for where only roughly is known.
     */
    public OptionalInt lineOfKey(String near, String key) {
        for (String at = near; ; at = at.substring(0, at.lastIndexOf('/'))) {
            Integer line = lines.get(at + "/" + key);
            if (line != null) return OptionalInt.of(line);
            if (at.isEmpty()) return OptionalInt.empty();
        }
    }

    /** The position in the array at {@code array} of the first element whose {@code field} is {@code value}, or -1. */
    public int indexOf(String array, String field, String value) {
        for (int i = 0; lines.containsKey(array + "/" + i); i++) {
            if (value.equals(values.get(array + "/" + i + "/" + field))) return i;
        }
        return -1;
    }

    /** {@code chains.l2.rpcUrls[0]} as the pointer {@code /chains/l2/rpcUrls/0}. */
    public static String pointer(String path) {
        return path.isEmpty() ? "" : "/" + path.replaceAll("\\[(\\d+)]", ".$1").replace('.', '/');
    }
}
