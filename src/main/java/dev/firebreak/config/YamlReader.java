package dev.firebreak.config;

import dev.firebreak.kernel.Secret;
import dev.firebreak.kernel.Durations;
import dev.firebreak.kernel.ConfigProblem;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeSet;

/**
 * Reads one YAML file into a record, collecting every problem instead of stopping at the first:
 * unknown keys (with the keys that are allowed), unset environment variables, secrets written
 * inline, malformed durations, wrong types. Locations are file and line.
 */
public final class YamlReader {

    private final EnvironmentVariables env;
    private final Path root;

    public YamlReader(EnvironmentVariables env, Path root) {
        this.env = env;
        this.root = root;
    }

    public <T> Optional<T> read(Path file, Class<T> type, List<ConfigProblem> problems) {
        String name = root.relativize(file.toAbsolutePath().normalize()).toString();
        if (!Files.isRegularFile(file)) {
            problems.add(new ConfigProblem(name, "", "file is missing", "create it; see the example in the repository"));
            return Optional.empty();
        }
        ObjectMapper mapper = mapper(name, file, problems);
        try {
            T value = mapper.readValue(file.toFile(), type);
            if (value == null) {
                problems.add(new ConfigProblem(name, "", "file is empty", "add its settings"));
            }
            return Optional.ofNullable(value);
        } catch (JsonMappingException e) {
            problems.add(new ConfigProblem(name, where(e.getLocation()) + pathOf(e), firstLine(e.getOriginalMessage()),
                    "check the value's type and spelling against the example configuration"));
        } catch (JsonProcessingException e) {
            problems.add(new ConfigProblem(name, where(e.getLocation()), "not valid YAML: " + firstLine(e.getOriginalMessage()),
                    "fix the YAML syntax (indentation, quotes, colons)"));
        } catch (IOException e) {
            problems.add(new ConfigProblem(name, "", "cannot be read: " + e.getMessage(), "check the file's permissions"));
        }
        return Optional.empty();
    }

    private ObjectMapper mapper(String file, Path path, List<ConfigProblem> problems) {
        SimpleModule module = new SimpleModule("firebreak-config");
        module.addDeserializer(String.class, new JsonDeserializer<>() {
            @Override
            public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                String raw = p.getValueAsString();
                if (raw == null) raw = p.getText();
                JsonLocation at = p.currentTokenLocation();
                return env.expand(raw, missing -> problems.add(new ConfigProblem(file, where(at),
                        "environment variable " + missing + " is not set",
                        "export " + missing + "=..., or give a default as ${" + missing + ":-value}")));
            }
        });
        module.addDeserializer(Secret.class, new JsonDeserializer<>() {
            @Override
            public Secret deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                return secret(p.getText(), file, where(p.currentTokenLocation()), problems);
            }
        });
        module.addDeserializer(Duration.class, new JsonDeserializer<>() {
            @Override
            public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                String text = env.expand(p.getText(), missing -> {});
                try {
                    return Durations.parse(text);
                } catch (IllegalArgumentException e) {
                    problems.add(new ConfigProblem(file, where(p.currentTokenLocation()), e.getMessage(), "write e.g. 15m"));
                    return null;
                }
            }
        });
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory())
                .registerModule(module)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.addHandler(new DeserializationProblemHandler() {
            @Override
            public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer,
                                                 Object beanOrClass, String propertyName) throws IOException {
                Collection<Object> known = deserializer.getKnownPropertyNames();
                List<String> allowed = known == null ? List.of()
                        : new ArrayList<>(new TreeSet<>(known.stream().map(String::valueOf).toList()));
                problems.add(new ConfigProblem(file, where(p, path, propertyName), "unknown key '" + propertyName + "'",
                        allowed.isEmpty() ? "remove it" : "remove it or use one of: " + String.join(", ", allowed)));
                p.skipChildren();
                return true;
            }
        });
        return mapper;
    }

    private Secret secret(String raw, String file, String location, List<ConfigProblem> problems) {
        if (raw == null || raw.isBlank()) return new Secret("empty", "");
        String text = raw.strip();
        if (EnvironmentVariables.isSingleReference(text)) {
            String name = text.substring(2, text.indexOf(text.contains(":-") ? ":-" : "}"));
            List<String> missing = new ArrayList<>();
            String value = env.expand(text, missing::add);
            if (!missing.isEmpty()) {
                problems.add(new ConfigProblem(file, location, "secret variable " + name + " is not set",
                        "export " + name + ", or write ${" + name + ":-} to make it optional"));
            }
            return new Secret("env " + name, value);
        }
        if (text.startsWith("file:")) {
            Path path = Path.of(text.substring("file:".length()));
            try {
                return new Secret("file " + path, Files.readString(path).strip());
            } catch (IOException e) {
                problems.add(new ConfigProblem(file, location, "secret file " + path + " cannot be read",
                        "create it or fix the path"));
                return new Secret("file " + path, "");
            }
        }
        problems.add(new ConfigProblem(file, location, "a secret is written into the configuration",
                "secrets come only from the environment or files: write ${VAR} or file:/path and remove the value from the file (and from version control)"));
        return new Secret("inline (rejected)", "");
    }

    /**
     * Where the parser met {@code key}: its token's line and column, or, inside a record whose fields
     * Jackson buffered before building it (such buffers have no locations and only a rough path),
     * the line of the key in the file.
     */
    private static String where(JsonParser p, Path file, String key) {
        String at = where(p.currentTokenLocation());
        if (!at.isEmpty()) return at;
        OptionalInt line = YamlLines.of(file).lineOfKey(p.getParsingContext().pathAsPointer().toString(), key);
        return line.isPresent() ? String.valueOf(line.getAsInt()) : "";
    }

    static String where(JsonLocation location) {
        if (location == null || location.getLineNr() < 0) return "";
        return location.getLineNr() + ":" + location.getColumnNr();
    }

    private static String pathOf(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElse("");
        return path.isEmpty() ? "" : " (" + path + ")";
    }

    private static String firstLine(String message) {
        if (message == null) return "invalid value";
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
