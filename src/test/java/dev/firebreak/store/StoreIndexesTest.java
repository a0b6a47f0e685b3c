package dev.firebreak.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The lookups made on every command and every delivery use an index, so they do not grow with the store. */
class StoreIndexesTest {

    @TempDir
    Path data;

    private List<String> plan(Database db, String query) {
        return db.jdbi().withHandle(h -> h.createQuery("EXPLAIN QUERY PLAN " + query)
                .map((rs, ctx) -> rs.getString("detail")).list());
    }

    @Test
    void the_incident_of_a_channel_is_found_through_an_index() {
        try (Database db = Database.open("jdbc:sqlite:" + data.resolve("store.db"))) {
            assertThat(plan(db, "SELECT * FROM incidents WHERE platform = 'slack' AND channel_id = 'C1' ORDER BY number DESC"))
                    .anySatisfy(step -> assertThat(step).contains("INDEX incidents_by_channel"))
                    .noneSatisfy(step -> assertThat(step).contains("TEMP B-TREE"));
        }
    }

    @Test
    void the_pending_messages_of_a_channel_are_found_through_an_index() {
        try (Database db = Database.open("jdbc:sqlite:" + data.resolve("store.db"))) {
            assertThat(plan(db, "SELECT * FROM outbox WHERE state = 'PENDING' AND platform = 'slack' AND channel_id = 'C1' ORDER BY id"))
                    .anySatisfy(step -> assertThat(step).contains("INDEX outbox_pending_by_channel"))
                    .noneSatisfy(step -> assertThat(step).contains("TEMP B-TREE"));
        }
    }

    @Test
    void the_next_number_of_a_channel_name_is_found_through_an_index() {
        try (Database db = Database.open("jdbc:sqlite:" + data.resolve("store.db"))) {
            assertThat(plan(db, "SELECT MAX(channel_ordinal) FROM incidents WHERE channel_base = 'inc-20261123-l2-blocks-stopped'"))
                    .anySatisfy(step -> assertThat(step).contains("INDEX incidents_by_channel_base"))
                    .noneSatisfy(step -> assertThat(step).startsWith("SCAN incidents"));
        }
    }

    @Test
    void the_duplicate_check_of_a_declaration_reads_a_range_of_the_open_incidents_by_declaration_time() {
        try (Database db = Database.open("jdbc:sqlite:" + data.resolve("store.db"))) {
            assertThat(plan(db, "SELECT * FROM incidents WHERE status <> 'RESOLVED' AND channel_id <> '' "
                    + "AND declared_at >= '2026-11-23T03:00:00.000000Z' ORDER BY declared_at, number"))
                    .anySatisfy(step -> assertThat(step).contains("INDEX incidents_open_by_declaration (declared_at>?)"))
                    .noneSatisfy(step -> assertThat(step).startsWith("SCAN incidents"));
        }
    }
}
