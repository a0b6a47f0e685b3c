package dev.firebreak.probe.chain;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.firebreak.config.Secret;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code bot/chains.yaml}: unknown keys are errors; {@code ${VAR}} and {@code ${VAR:-default}}
 * are substituted in string values (after parsing, so a value can never change the YAML's shape);
 * a signer key is a {@link Secret}, its value from the environment or from {@code file:/path}.
 */
public final class ChainsConfigReader {

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

    private final UnaryOperator<String> environment;

    /** @param environment looks up a variable; null when unset */
    public ChainsConfigReader(UnaryOperator<String> environment) {
        this.environment = environment;
    }

    public ChainsConfig read(Path file) throws IOException {
        return read(Files.readString(file));
    }

    public ChainsConfig read(String yaml) throws IOException {
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .registerModule(new SimpleModule().addDeserializer(Secret.class, new SecretDeserializer()));
        JsonNode tree = mapper.readTree(yaml);
        JsonNode substituted = substitute(tree);
        return mapper.treeToValue(substituted, ChainsConfig.class);
    }

    private JsonNode substitute(JsonNode node) {
        if (node instanceof ObjectNode object) {
            for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                entry.setValue(substitute(entry.getValue()));
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) array.set(i, substitute(array.get(i)));
        } else if (node != null && node.isTextual()) {
            return new TextNode(expand(node.asText()));
        }
        return node;
    }

    private String expand(String text) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = environment.apply(m.group(1));
            if (value == null || value.isEmpty()) value = m.group(2) == null ? "" : m.group(2);
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static final class SecretDeserializer extends JsonDeserializer<Secret> {
        @Override
        public Secret deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            String value = parser.getValueAsString();
            String where = "bot/chains.yaml " + parser.getParsingContext().getParent().getCurrentName();
            if (value != null && value.startsWith("file:")) {
                Path path = Path.of(value.substring("file:".length()));
                if (!Files.isReadable(path)) return new Secret("file " + path + " (unreadable)", "");
                return new Secret("file " + path, Files.readString(path).trim());
            }
            return new Secret(where, value);
        }
    }
}
