package dev.firebreak.probe.sql;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.firebreak.kernel.Secret;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** The shipped bot/databases.yaml, parsed strictly; tests swap in their own databases. */
final class ShippedConfig {

    private ShippedConfig() {}

    static DatabasesConfig load() {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .registerModule(new SimpleModule().addDeserializer(Secret.class, new JsonDeserializer<>() {
                    @Override
                    public Secret deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                        return new Secret("yaml", parser.getValueAsString());
                    }
                }));
        try {
            // the engine's loader substitutes ${VAR:-default}; here every variable takes its default
            String text = Files.readString(Path.of("bot/databases.yaml"))
                    .replaceAll("\\$\\{[A-Z0-9_]+(?::-([^}]*))?}", "$1");
            return yaml.readValue(text, DatabasesConfig.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The shipped queries against one database named {@code name}. */
    static DatabasesConfig queriesOn(String name, DatabaseConfig database) {
        return new DatabasesConfig(Map.of(name, database), load().queries());
    }
}
