package dev.firebreak.probe.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The root of {@code bot/databases.yaml}: the databases the bot may read, and the named read-only
 * queries responders can run on them from chat. Chat picks a query by name and gives its
 * parameters; it never sends SQL.
 *
 * <pre>
 * databases:
 *   sequencer:
 *     jdbcUrl: jdbc:postgresql://db:5432/stateset_sequencer
 *     user: firebreak_ro
 *     password: ${SEQUENCER_DB_PASSWORD}
 *     statementTimeoutMillis: 5000
 * queries:
 *   sequence-gaps:
 *     description: Gaps in the event sequence of one tenant's store
 *     params: [{name: tenant, type: text}, {name: store, type: text}]
 *     sql: SELECT ... WHERE tenant_id = :tenant AND store_id = :store
 *     alertWhenRows: CRITICAL
 * </pre>
 */
public record DatabasesConfig(Map<String, DatabaseConfig> databases, Map<String, NamedQuery> queries) {

    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");

    public DatabasesConfig {
        databases = databases == null ? Map.of() : Map.copyOf(new TreeMap<>(databases));
        queries = queries == null ? Map.of() : Map.copyOf(new TreeMap<>(queries));
    }

    /** Every semantic problem as {@code "<path>: <what is wrong>; <how to fix>"}; empty when valid. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (databases.isEmpty()) {
            problems.add("databases: empty; add at least one database with a jdbcUrl");
        }
        new TreeMap<>(databases).forEach((name, database) -> {
            String path = "databases." + name;
            if (!NAME.matcher(name).matches()) {
                problems.add(path + ": not a valid name; use lower-case letters, digits and '-'");
            }
            if (database == null) {
                problems.add(path + ": empty; give it a jdbcUrl");
            } else {
                problems.addAll(database.problems(path));
            }
        });
        if (queries.isEmpty()) {
            problems.add("queries: empty; add the named read-only queries responders may run");
        }
        new TreeMap<>(queries).forEach((name, query) -> {
            String path = "queries." + name;
            if (!NAME.matcher(name).matches()) {
                problems.add(path + ": not a valid name; use lower-case letters, digits and '-'");
            }
            if (query == null) {
                problems.add(path + ": empty; give it a description and sql");
            } else {
                problems.addAll(query.problems(path));
            }
        });
        return problems;
    }
}
