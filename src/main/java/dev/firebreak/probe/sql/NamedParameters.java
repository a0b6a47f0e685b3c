package dev.firebreak.probe.sql;

import java.util.ArrayList;
import java.util.List;

/**
 * SQL with {@code :name} parameters turned into JDBC {@code ?} placeholders, and the names in order.
 * Skips string literals, quoted identifiers, comments and PostgreSQL {@code ::type} casts.
 */
record NamedParameters(String jdbcSql, List<String> names) {

    static NamedParameters parse(String sql) {
        StringBuilder out = new StringBuilder();
        List<String> names = new ArrayList<>();
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                int end = sql.indexOf(c, i + 1);
                while (end > 0 && end + 1 < n && sql.charAt(end + 1) == c) end = sql.indexOf(c, end + 2);
                end = end < 0 ? n - 1 : end;
                out.append(sql, i, end + 1);
                i = end + 1;
            } else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                end = end < 0 ? n : end;
                out.append(sql, i, end);
                i = end;
            } else if (c == ':' && i + 1 < n && sql.charAt(i + 1) == ':') {
                out.append("::");
                i += 2;
            } else if (c == ':' && i + 1 < n && Character.isLetter(sql.charAt(i + 1))) {
                int end = i + 1;
                while (end < n && (Character.isLetterOrDigit(sql.charAt(end)) || sql.charAt(end) == '_')) end++;
                names.add(sql.substring(i + 1, end));
                out.append('?');
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return new NamedParameters(out.toString(), List.copyOf(names));
    }
}
