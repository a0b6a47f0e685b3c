package dev.firebreak.probe.sql;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class NamedQueryTest {

    @Test
    void named_parameters_become_placeholders_outside_literals_casts_and_comments() {
        NamedParameters parsed = NamedParameters.parse(
                "SELECT ':not', x::regclass -- :comment\nFROM t WHERE a = :tenant AND b = :store OR c = :tenant");

        assertThat(parsed.jdbcSql()).isEqualTo("SELECT ':not', x::regclass -- :comment\nFROM t WHERE a = ? AND b = ? OR c = ?");
        assertThat(parsed.names()).containsExactly("tenant", "store", "tenant");
    }

    @Test
    void query_problems_name_the_path_and_the_fix() {
        NamedQuery query = new NamedQuery(null, "SELECT * FROM events WHERE tenant_id = :tenant; DROP TABLE events", null, null,
                List.of(new QueryParam("store", "float", null)), "LOUD", 9999);

        assertThat(query.problems("queries.q")).containsExactlyInAnyOrder(
                "queries.q.description: missing; say in one line what the query shows",
                "queries.q.params[0].type: 'float' is unknown; use text, int or uuid",
                "queries.q.sql: contains ';'; give exactly one statement without a trailing semicolon",
                "queries.q.sql: uses :tenant which is not declared; add it to params",
                "queries.q.sql: does not use declared parameter store; use :store or remove it",
                "queries.q.alertWhenRows: 'LOUD' is unknown; use WARNING or CRITICAL, or leave it out",
                "queries.q.maxRows: 9999 is out of range; use 1 to 500");
        assertThat(new DatabasesConfig(Map.of(), Map.of()).problems()).containsExactly(
                "databases: empty; add at least one database with a jdbcUrl",
                "queries: empty; add the named read-only queries responders may run");
    }

    @Test
    void jdbc_urls_lose_their_credentials() {
        assertThat(JdbcUrls.redact("jdbc:postgresql://db:5432/seq?user=ro&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/seq?user=ro&password=****&ssl=true");
        assertThat(JdbcUrls.redact("postgresql://ro:s3cret@db/seq")).isEqualTo("postgresql://****@db/seq");
        assertThat(JdbcUrls.hasCredentials("jdbc:sqlite:/tmp/x.db")).isFalse();
    }
}
