package dev.firebreak.store;

import dev.firebreak.approval.ApprovalRepository;
import dev.firebreak.approval.ApprovalRequest;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Execution keys are unique across stores and time: every fresh store numbers its requests from
 * A-1, but A-1's key differs from store to store, and stays the request's key once stored.
 */
class ExecutionKeyStoreTest {

    private static final Instant T0 = Instant.parse("2026-11-23T03:00:00Z");

    @TempDir
    Path folder;

    static List<String> stores() {
        return TestDatabases.kinds();
    }

    private static ApprovalRepository.NewRequest request() {
        return new ApprovalRepository.NewRequest(null, "k8s.scale", "hash", "{}", "preview", "two-approvers", "alice",
                "console", "incidents", null, T0, T0.plusSeconds(1800));
    }

    @ParameterizedTest
    @MethodSource("stores")
    void a_fresh_stores_A_1_has_a_key_no_other_store_had(String kind) {
        try (Database first = Database.open(TestDatabases.freshUrl(kind, folder));
             Database second = Database.open(TestDatabases.freshUrl(kind, folder))) {
            ApprovalRepository firstStore = new JdbcApprovalRepository(first);
            ApprovalRequest a = firstStore.create(request());
            ApprovalRequest b = new JdbcApprovalRepository(second).create(request());

            assertThat(a.ref()).isEqualTo("A-1");
            assertThat(b.ref()).isEqualTo("A-1");
            assertThat(a.executionKey()).matches("A-1-[0-9a-f]{32}");
            assertThat(b.executionKey()).matches("A-1-[0-9a-f]{32}").isNotEqualTo(a.executionKey());
            assertThat(firstStore.find(a.id())).get().extracting(ApprovalRequest::executionKey).isEqualTo(a.executionKey());
            assertThat(firstStore.create(request()).executionKey()).startsWith("A-2-");
        }
    }

    @ParameterizedTest
    @MethodSource("stores")
    void requests_stored_before_keys_existed_get_one_and_a_running_one_keeps_the_key_it_ran_under(String kind) throws Exception {
        String url = TestDatabases.freshUrl(kind, folder);
        Database.migrations(url).target("100").load().migrate();
        try (var connection = DriverManager.getConnection(url); var statement = connection.createStatement()) {
            for (String[] row : List.of(new String[] {"1", "SUCCEEDED"}, new String[] {"2", "EXECUTING"}, new String[] {"3", "PENDING"})) {
                statement.execute("INSERT INTO approval_requests (id, action, action_hash, canonical_json, preview, policy, "
                        + "requested_by, platform, channel_id, state, created_at, expires_at) VALUES (" + row[0]
                        + ", 'k8s.scale', 'hash', '{}', 'preview', 'two-approvers', 'alice', 'console', 'incidents', '"
                        + row[1] + "', '2026-11-20T03:00:00Z', '2026-11-20T03:30:00Z')");
            }
        }
        try (Database db = Database.open(url)) {
            ApprovalRepository requests = new JdbcApprovalRepository(db);
            assertThat(requests.find(2)).get().extracting(ApprovalRequest::executionKey)
                    .as("recovery finds what it stored under the key it ran with").isEqualTo("A-2");
            assertThat(requests.find(1)).get().extracting(ApprovalRequest::executionKey).isEqualTo("A-1@2026-11-20T03:00:00Z");
            assertThat(requests.find(3)).get().extracting(ApprovalRequest::executionKey).isEqualTo("A-3@2026-11-20T03:00:00Z");
            assertThat(requests.create(request()).executionKey()).matches("A-4-[0-9a-f]{32}");
        }
    }
}
