package dev.firebreak.probe.sql;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A read-only query responders may run by name. {@code sql} works on every database; {@code postgresql}
 * and {@code sqlite} override it for one dialect. A query with only {@code postgresql} reports that it
 * needs PostgreSQL when run against SQLite. Parameters are written {@code :name} and bound.
 *
 * @param alertWhenRows {@code WARNING} or {@code CRITICAL} when any row comes back (a gap, a dead letter);
 *                      absent = rows are information
 * @param maxRows       rows shown, overriding the database's {@code maxRows}
 */
public record NamedQuery(String description, String sql, String postgresql, String sqlite, List<QueryParam> params,
                         String alertWhenRows, Integer maxRows) {

    public NamedQuery {
        params = params == null ? List.of() : List.copyOf(params);
    }

    /** The SQL for a dialect, if this query has one. */
    Optional<String> sqlFor(SqlDialect dialect) {
        String specific = dialect == SqlDialect.POSTGRESQL ? postgresql : sqlite;
        if (specific != null && !specific.isBlank()) return Optional.of(specific);
        return sql == null || sql.isBlank() ? Optional.empty() : Optional.of(sql);
    }

    /** Whether this query runs only on PostgreSQL (written for its catalogue: pg_stat_activity, pg_locks, ...). */
    public boolean postgresqlOnly() {
        return sqlFor(SqlDialect.SQLITE).isEmpty() && sqlFor(SqlDialect.POSTGRESQL).isPresent();
    }

    List<String> problems(String path) {
        List<String> problems = new ArrayList<>();
        if (description == null || description.isBlank()) {
            problems.add(path + ".description: missing; say in one line what the query shows");
        }
        Set<String> declared = new LinkedHashSet<>();
        for (int i = 0; i < params.size(); i++) {
            QueryParam param = params.get(i);
            String at = path + ".params[" + i + "]";
            if (param == null || param.name() == null || !QueryParam.NAME.matcher(param.name()).matches()) {
                problems.add(at + ".name: missing or invalid; use lower-case letters, digits and '_'");
                continue;
            }
            if (!declared.add(param.name())) problems.add(at + ".name: '" + param.name() + "' is declared twice; declare it once");
            if (!Set.of("text", "int", "uuid").contains(param.typeOrDefault())) {
                problems.add(at + ".type: '" + param.type() + "' is unknown; use text, int or uuid");
            }
        }
        int variants = 0;
        for (var variant : List.of(new String[]{"sql", sql}, new String[]{"postgresql", postgresql}, new String[]{"sqlite", sqlite})) {
            String text = variant[1];
            if (text == null || text.isBlank()) continue;
            variants++;
            String at = path + "." + variant[0];
            String head = text.stripLeading().toLowerCase(Locale.ROOT);
            if (!(head.startsWith("select") || head.startsWith("with"))) {
                problems.add(at + ": must be a SELECT (or WITH ... SELECT); queries from chat only read");
            }
            if (text.contains(";")) {
                problems.add(at + ": contains ';'; give exactly one statement without a trailing semicolon");
            }
            Set<String> used = new HashSet<>(NamedParameters.parse(text).names());
            for (String name : used) {
                if (!declared.contains(name)) problems.add(at + ": uses :" + name + " which is not declared; add it to params");
            }
            for (String name : declared) {
                if (!used.contains(name)) problems.add(at + ": does not use declared parameter " + name + "; use :" + name + " or remove it");
            }
        }
        if (variants == 0) {
            problems.add(path + ": no SQL; give sql (any database), or postgresql / sqlite");
        }
        if (alertWhenRows != null && !Set.of("WARNING", "CRITICAL").contains(alertWhenRows.toUpperCase(Locale.ROOT))) {
            problems.add(path + ".alertWhenRows: '" + alertWhenRows + "' is unknown; use WARNING or CRITICAL, or leave it out");
        }
        if (maxRows != null && (maxRows < 1 || maxRows > DatabaseConfig.MAX_ROWS_LIMIT)) {
            problems.add(path + ".maxRows: " + maxRows + " is out of range; use 1 to " + DatabaseConfig.MAX_ROWS_LIMIT);
        }
        return problems;
    }
}
