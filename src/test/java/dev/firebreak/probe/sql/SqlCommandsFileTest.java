package dev.firebreak.probe.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** commands/diag-sql.yaml names existing handlers and queries, and passes exactly the parameters each query takes. */
class SqlCommandsFileTest {

    @Test
    void every_subcommand_matches_a_named_query_and_its_parameters() throws IOException {
        DatabasesConfig config = ShippedConfig.load();
        Set<String> handlers = new SqlOperations(config).probes().keySet();
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(Path.of("commands/diag-sql.yaml").toFile());
        Set<String> covered = new HashSet<>();
        for (JsonNode sub : root.get("subcommands")) {
            assertThat(handlers).contains(sub.get("probe").asText());
            if (!sub.has("with")) continue;
            String queryName = sub.get("with").get("query").asText();
            NamedQuery query = config.queries().get(queryName);
            assertThat(query).as(sub.get("name").asText()).isNotNull();
            covered.add(queryName);
            Set<String> args = new HashSet<>();
            sub.get("args").forEach(arg -> args.add(arg.get("name").asText()));
            Set<String> expected = new HashSet<>(Set.of("database"));
            query.params().forEach(p -> expected.add(p.name()));
            assertThat(args).as(sub.get("name").asText()).isEqualTo(expected);
        }
        assertThat(covered).isEqualTo(config.queries().keySet());
    }
}
