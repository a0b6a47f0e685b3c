package dev.firebreak.probe.sql;

import dev.firebreak.kernel.Message;
import dev.firebreak.kernel.InvalidInput;
import dev.firebreak.probe.Probe;
import dev.firebreak.probe.ProbeResult;
import dev.firebreak.probe.ProbeResult.Status;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The SQL probes by handler name, for the databases and named queries in {@code bot/databases.yaml}.
 *
 * <p>{@code sql.query}: runs the named query ({@code query}) on a database ({@code database}, optional
 * when one is configured) with the query's parameters taken from the arguments by name; results come
 * back as a table capped at the row limit. {@code sql.queries}: lists the queries and their parameters.
 */
public final class SqlOperations {

    private final DatabasesConfig config;
    private final Map<String, ConnectionSource> sources;

    /** Connects through the JDBC drivers with the configured URLs and credentials. */
    public SqlOperations(DatabasesConfig config) {
        this(config, Map.of());
    }

    /** Uses the given connection sources (e.g. a pooled DataSource) for the named databases, drivers for the rest. */
    public SqlOperations(DatabasesConfig config, Map<String, ConnectionSource> sources) {
        this.config = config;
        Map<String, ConnectionSource> all = new HashMap<>();
        config.databases().forEach((name, database) -> all.put(name, new DriverConnectionSource(database)));
        all.putAll(sources);
        this.sources = Map.copyOf(all);
    }

    public Map<String, Probe> probes() {
        Map<String, Probe> probes = new LinkedHashMap<>();
        probes.put("sql.query", Probe.timed(this::query, this::probeTimeout));
        probes.put("sql.queries", Probe.withoutArguments(this::catalogue));
        return probes;
    }

    private Probe.Reading query(Map<String, String> args) {
        // the query and its parameters first: the database is the argument a command most often leaves to chat
        String queryName = args.get("query") == null ? "" : args.get("query").strip();
        NamedQuery query = config.queries().get(queryName);
        if (query == null) {
            throw new InvalidInput((queryName.isEmpty() ? "Name a query." : "Unknown query '" + queryName + "'.")
                    + " Queries: " + String.join(", ", new java.util.TreeSet<>(config.queries().keySet())) + ".");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (QueryParam param : query.params()) {
            String raw = args.get(param.name());
            if (raw == null || raw.isBlank()) {
                throw new InvalidInput("Query " + queryName + " needs " + param.name()
                        + (param.description() == null ? "" : " (" + param.description() + ")") + ". Usage: " + usage(queryName, query) + ".");
            }
            values.put(param.name(), param.parse(raw));
        }
        String databaseName = databaseName(args.get("database"));
        DatabaseConfig database = config.databases().get(databaseName);
        return () -> query(databaseName, database, queryName, query, values);
    }

    private ProbeResult query(String databaseName, DatabaseConfig database, String queryName, NamedQuery query,
                              Map<String, Object> values) {
        int maxRows = Math.min(DatabaseConfig.MAX_ROWS_LIMIT, query.maxRows() != null ? query.maxRows() : database.maxRowsOrDefault());
        String label = "query " + queryName + " on " + databaseName;

        try (Connection connection = sources.get(databaseName).open()) {
            SqlDialect dialect = SqlDialect.of(connection);
            Optional<String> sql = query.sqlFor(dialect);
            if (sql.isEmpty()) {
                SqlDialect needed = dialect == SqlDialect.SQLITE ? SqlDialect.POSTGRESQL : SqlDialect.SQLITE;
                return ProbeResult.of(Status.ERROR, label + " needs " + needed.label + "; database " + databaseName
                        + " is " + dialect.label + ", so nothing was run.");
            }
            NamedParameters parsed = NamedParameters.parse(sql.get());
            List<Object> bound = new ArrayList<>();
            for (String name : parsed.names()) bound.add(values.get(name));
            ReadOnlyQuery.Rows rows = ReadOnlyQuery.run(connection, dialect, parsed.jdbcSql(), bound,
                    database.statementTimeoutMillisOrDefault(), maxRows);
            return result(label, query, values, rows, maxRows);
        } catch (SQLException e) {
            return ProbeResult.of(Status.ERROR, label + " failed: " + SqlFailures.describe(e, database, databaseName));
        } catch (RuntimeException e) {
            if (e instanceof InvalidInput) throw e;
            return ProbeResult.of(Status.ERROR, label + " failed: "
                    + SqlFailures.scrub(String.valueOf(e.getMessage()), database));
        }
    }

    private static ProbeResult result(String label, NamedQuery query, Map<String, Object> values,
                                      ReadOnlyQuery.Rows rows, int maxRows) {
        int count = rows.rows().size();
        Status status = Status.OK;
        if (count > 0 && query.alertWhenRows() != null) {
            status = Status.valueOf(query.alertWhenRows().toUpperCase(Locale.ROOT));
        }
        String counted = rows.truncated() ? "more than " + maxRows + " rows" : count + (count == 1 ? " row" : " rows");
        Message.Builder details = Message.builder().heading(label + (values.isEmpty() ? "" : " (" +
                        values.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ")) + ")"))
                .paragraph(query.description())
                .table(rows.headers(), rows.rows());
        if (rows.truncated()) {
            details.note("Showing the first " + maxRows + " rows; more exist. Narrow the query's parameters to see the rest.");
        }
        details.note("Read-only transaction with a statement timeout.");
        return new ProbeResult(status, label + ": " + counted, details.build());
    }

    private ProbeResult catalogue() {
        List<List<String>> rows = new ArrayList<>();
        config.queries().forEach((name, query) -> rows.add(List.of(usage(name, query),
                query.sqlFor(SqlDialect.SQLITE).isPresent() ? "any" : "PostgreSQL", query.description())));
        Message details = Message.builder().heading("Named queries")
                .table(List.of("QUERY", "DATABASE", "SHOWS"), rows)
                .note("Databases: " + String.join(", ", config.databases().keySet())).build();
        return new ProbeResult(Status.OK, config.queries().size() + " named queries on "
                + config.databases().size() + " databases", details);
    }

    private static String usage(String name, NamedQuery query) {
        return name + query.params().stream().map(p -> " " + p.name().toUpperCase(Locale.ROOT)).collect(Collectors.joining());
    }

    private Duration probeTimeout(Map<String, String> args) {
        try {
            return config.databases().get(databaseName(args.get("database"))).probeTimeout();
        } catch (InvalidInput unknown) {
            return Probe.DEFAULT_TIMEOUT; // the probe itself says what is wrong
        }
    }

    private String databaseName(String requested) {
        String known = String.join(", ", new java.util.TreeSet<>(config.databases().keySet()));
        if (requested == null || requested.isBlank()) {
            if (config.databases().size() == 1) return config.databases().keySet().iterator().next();
            throw new InvalidInput("Name a database. Databases: " + known + ".");
        }
        String name = requested.strip();
        if (!config.databases().containsKey(name)) {
            throw new InvalidInput("Unknown database '" + name + "'. Databases: " + known + " (see bot/databases.yaml).");
        }
        return name;
    }
}
