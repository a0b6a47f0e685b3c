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

    @Test
    void the_open_incidents_are_counted_and_paged_from_the_index_of_the_open_ones() {
        try (Database db = Database.open("jdbc:sqlite:" + data.resolve("store.db"))) {
            assertThat(plan(db, "SELECT COUNT(*) FROM (SELECT number FROM incidents WHERE status <> 'RESOLVED' AND channel_id <> '' "
                    + "ORDER BY number LIMIT 1001) open_ones"))
                    .anySatisfy(step -> assertThat(step).contains("INDEX incidents_open_by_number"))
                    .noneSatisfy(step -> assertThat(step).contains("TEMP B-TREE"));
            assertThat(plan(db, "SELECT * FROM incidents WHERE number IN (SELECT number FROM incidents WHERE status <> 'RESOLVED' "
                    + "AND channel_id <> '' ORDER BY number LIMIT 20 OFFSET 980) ORDER BY number"))
                    .anySatisfy(step -> assertThat(step).contains("INDEX incidents_open_by_number"))
                    .noneSatisfy(step -> assertThat(step).isEqualTo("SCAN incidents"));
        }
    }

    @Test
    void a_page_of_a_timeline_skips_entries_of_the_index_by_incident_not_rows() {
        try (Database db = Database.open("jdbc:sqlite:" + data.resolve("store.db"))) {
            assertThat(plan(db, "SELECT * FROM timeline_events WHERE id IN (SELECT id FROM timeline_events WHERE incident_number = 1 "
                    + "ORDER BY id LIMIT 20 OFFSET 4980) ORDER BY id"))
                    .anySatisfy(step -> assertThat(step).contains("COVERING INDEX timeline_events_by_incident (incident_number=?)"))
                    .noneSatisfy(step -> assertThat(step).startsWith("SCAN timeline_events"));
        }
    }

    @Test
    void the_roles_of_an_incident_and_the_approval_request_of_a_message_are_found_through_an_index() {
        try (Database db = Database.open("jdbc:sqlite:" + data.resolve("store.db"))) {
            assertThat(plan(db, "SELECT * FROM incident_roles WHERE incident_number = 5 ORDER BY assumed_at"))
                    .anySatisfy(step -> assertThat(step).contains("INDEX incident_roles_by_incident (incident_number=?)"))
                    .noneSatisfy(step -> assertThat(step).contains("TEMP B-TREE"));
            assertThat(plan(db, "SELECT * FROM approval_requests WHERE outbox_id = 5"))
                    .anySatisfy(step -> assertThat(step).contains("INDEX approval_requests_by_outbox (outbox_id=?)"));
        }
    }

    @Test
    void the_outbox_rescan_reads_a_range_of_the_pending_messages_after_an_id() {
        try (Database db = Database.open("jdbc:sqlite:" + data.resolve("store.db"))) {
            assertThat(plan(db, "SELECT * FROM outbox WHERE id > 100 AND state = 'PENDING' ORDER BY id"))
                    .anySatisfy(step -> assertThat(step).contains("INDEX outbox_pending (state=? AND id>?)"))
                    .noneSatisfy(step -> assertThat(step).contains("TEMP B-TREE"));
        }
    }
}
