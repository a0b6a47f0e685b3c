package dev.firebreak.ha;

import dev.firebreak.store.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Leadership on a real PostgreSQL, and the SQLite lock file. */
class LeadershipTest {

    @TempDir
    Path folder;

    /** Records what a replica was told. */
    static final class Events implements AdvisoryLockLeadership.Listener {
        final List<String> told = new ArrayList<>();

        @Override
        public void elected() {
            told.add("elected");
        }

        @Override
        public void deposed() {
            told.add("deposed");
        }
    }

    @Test
    void of_two_replicas_exactly_one_leads_and_a_standby_takes_over_when_the_leaders_connection_dies() throws Exception {
        String url = TestDatabases.freshUrl("postgresql", folder);
        Events firstEvents = new Events();
        Events secondEvents = new Events();
        try (AdvisoryLockLeadership first = new AdvisoryLockLeadership(() -> DriverManager.getConnection(url), firstEvents);
             AdvisoryLockLeadership second = new AdvisoryLockLeadership(() -> DriverManager.getConnection(url), secondEvents)) {
            first.poll();
            second.poll();
            second.poll();

            assertThat(first.leading()).isTrue();
            assertThat(first.confirm()).isTrue();
            assertThat(second.leading()).isFalse();
            assertThat(second.confirm()).as("a standby never passes the fencing check").isFalse();
            assertThat(firstEvents.told).containsExactly("elected");
            assertThat(secondEvents.told).isEmpty();

            // the leader's session ends as it does when its process is killed or cut off
            try (var admin = DriverManager.getConnection(url); var statement = admin.createStatement()) {
                statement.execute("SELECT pg_terminate_backend(pid, 5000) FROM pg_locks WHERE locktype = 'advisory' AND classid = "
                        + AdvisoryLockLeadership.LOCK_CLASS + " AND objid = (hashtext(current_schema())::int8 & 4294967295)::oid");
            }
            assertThat(first.confirm()).as("the deposed leader fails the fencing check before anyone else leads").isFalse();

            second.poll();
            assertThat(second.leading()).isTrue();
            assertThat(second.confirm()).isTrue();
            assertThat(secondEvents.told).containsExactly("elected");

            first.poll();
            assertThat(first.leading()).isFalse();
            assertThat(firstEvents.told).containsExactly("elected", "deposed");
            first.poll();
            assertThat(first.leading()).as("the lock is the new leader's now").isFalse();
            second.close();
            first.poll();
            assertThat(first.leading()).as("a deposed leader stopped what it ran: it leads again only as a new process")
                    .isFalse();
            assertThat(first.deposed()).isTrue();
        }
    }

    @Test
    void a_leader_that_shuts_down_releases_the_lock_at_once() throws Exception {
        String url = TestDatabases.freshUrl("postgresql", folder);
        try (AdvisoryLockLeadership second = new AdvisoryLockLeadership(() -> DriverManager.getConnection(url), new Events())) {
            AdvisoryLockLeadership first = new AdvisoryLockLeadership(() -> DriverManager.getConnection(url), new Events());
            first.poll();
            second.poll();
            assertThat(second.leading()).isFalse();

            first.close();
            assertThat(first.confirm()).isFalse();
            second.poll();
            assertThat(second.leading()).isTrue();
        }
    }

    @Test
    void stores_in_other_schemas_elect_their_own_leaders() throws Exception {
        String one = TestDatabases.freshUrl("postgresql", folder);
        String other = TestDatabases.freshUrl("postgresql", folder);
        try (AdvisoryLockLeadership a = new AdvisoryLockLeadership(() -> DriverManager.getConnection(one), new Events());
             AdvisoryLockLeadership b = new AdvisoryLockLeadership(() -> DriverManager.getConnection(other), new Events())) {
            a.poll();
            b.poll();
            assertThat(a.confirm()).isTrue();
            assertThat(b.confirm()).isTrue();
        }
    }

    @Test
    void a_second_process_on_one_sqlite_file_is_told_that_another_one_has_it() {
        Path store = folder.resolve("firebreak.db");
        try (LockFile held = LockFile.take(store)) {
            assertThatThrownBy(() -> LockFile.take(store))
                    .isInstanceOf(LockFile.Taken.class)
                    .hasMessageContaining("another Firebreak process is already running on the SQLite store " + store)
                    .hasMessageContaining("firebreak.db.lock")
                    .hasMessageContaining("PostgreSQL");
        }
        LockFile.take(store).close();
    }
}
