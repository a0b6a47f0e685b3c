package dev.firebreak.runbook.packs;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seed 004 (StateSet sequencer) as runbooks/stateset-sequencer.yaml runs it against the demo: the
 * sequencer's HTTP stand-in (metrics over their thresholds, the anchor endpoint) and its database
 * with the gap 12 -> 14 and three dead letters: PostgreSQL as the seed's (in CI, and wherever the
 * demo finds one), where every query runs; on SQLite the queries written for PostgreSQL only answer
 * "needs PostgreSQL" and the run goes on. Every runbook of the pack runs here at least once.
 */
class StatesetSequencerPackTest {

    static DemoConsole console;

    @BeforeAll
    static void start() {
        console = DemoConsole.start();
    }

    @AfterAll
    static void stop() {
        console.close();
    }

    /** What a step running a query written for PostgreSQL shows: its rows on PostgreSQL, "needs PostgreSQL" on SQLite. */
    private static String postgresOnly(String query) {
        return "query " + query + " on sequencer" + (console.demo().sequencerOnPostgres() ? ": " : " needs PostgreSQL");
    }

    private static String declare(String store, String declaration, String slug) {
        console.session(store, "alice> /incident declare " + declaration + "\n");
        return "alice #" + DemoConsole.incidentChannel(slug) + "> ";
    }

    @Test
    void health_and_maintenance_runbooks_check_the_endpoints_metrics_and_dead_letter_queue() {
        String alice = declare("health", "P3 sequencer routine checks", "sequencer-routine-checks");
        String out = console.session("health", alice + "/runbook run sequencer-health\n"
                + alice + "/runbook run sequencer-daily\n"
                + alice + "/runbook run sequencer-weekly\n"
                + alice + "/runbook run sequencer-monthly\n");
        assertThat(out).contains("[ok] Step 1/3 `/diag health sequencer`: sequencer /health: HTTP 200")
                .contains("[ok] Step 2/3 `/diag health sequencer ready`: sequencer /ready: HTTP 200")
                .containsPattern("sequencer_ingest_latency_seconds\\{quantile=\"0.99\"}\\s+0.74\\s+warn >0.5, crit >2\\s+warning")
                .contains("Runbook sequencer-health (R-1) finished.")
                .contains("(for a person): Review the sequencer's error logs")
                .containsPattern("sequencer_dead_letter_events\\s+3\\s+warn >0, crit >100\\s+warning")
                .contains("Runbook sequencer-daily (R-2) finished.")
                .contains("Step 3/4 `/diag table-sizes sequencer`: " + postgresOnly("table-sizes"))
                .contains("(for a person): Verify backup integrity")
                .contains("Runbook sequencer-weekly (R-3) finished.")
                .contains("(for a person): Test disaster recovery")
                .contains("security@stateset.io")
                .contains("Runbook sequencer-monthly (R-4) finished.");
        assertThat(out).doesNotContain("could not run");
    }

    @Test
    void incident_runbooks_show_latency_tenants_keys_and_the_sequence_gap() {
        String alice = declare("incidents", "P1 sequencer ingest slow", "sequencer-ingest-slow");
        String out = console.session("incidents", alice + "/runbook run sequencer-ingest-latency\n"
                + alice + "/runbook run sequencer-rate-limits\n"
                + alice + "/runbook run sequencer-signature-failures agent=agent-7\n"
                + alice + "/runbook run sequencer-sequence-gap tenant=acme store=main\n");
        assertThat(out).contains("[warn] Step 1/6 `/diag metrics sequencer`: sequencer metrics: 6 series")
                .containsPattern("sequencer_db_pool_available\\s+12")
                .containsPattern("sequencer_db_pool_size\\s+20")
                .contains("Step 3/6 `/diag locks sequencer`: " + postgresOnly("lock-contention"))
                .contains("(for a person): Resolution: pool exhausted -> increase MAX_DB_CONNECTIONS")
                .contains("Runbook sequencer-ingest-latency (R-1) finished.")
                .containsPattern("sequencer_ratelimit_rejected_total\\s+4")
                .containsPattern("acme\\s+19").containsPattern("globex\\s+4")
                .contains("RATE_LIMIT_PER_MINUTE=10000")
                .contains("Runbook sequencer-rate-limits (R-2) finished.")
                .containsPattern("agent-7\\s+k-2025-04\\s+ed25519:Zp3mW1...current")
                .containsPattern("agent-7\\s+k-2025-01")
                .contains("signature verification failed")
                .contains("make sure agent agent-7 signs with the active key")
                .contains("Runbook sequencer-signature-failures (R-3) finished.")
                .contains("[CRIT] Step 1/7 `/diag seq-gaps sequencer acme main`: query sequence-gaps on sequencer: 1 row")
                .containsPattern("12\\s+14\\s+1")
                .contains("non-contiguous sequence: expected 13, got 14")
                .contains("This should NEVER happen in normal operation.")
                .contains("(for a person): 1. Stop event ingestion for the stream acme/main")
                .contains("Runbook sequencer-sequence-gap (R-4) finished.");
    }

    @Test
    void database_runbooks_walk_migrate_backup_restore_vacuum_and_index_checks() {
        String alice = declare("database", "P2 sequencer database maintenance", "sequencer-database-maintenance");
        String out = console.session("database", alice + "/runbook run sequencer-migrate\n"
                + alice + "/runbook run sequencer-backup\n"
                + alice + "/runbook run sequencer-restore tenant=acme store=main\n"
                + alice + "/runbook run sequencer-vacuum\n"
                + alice + "/runbook run sequencer-index-usage\n");
        assertThat(out).contains("./stateset-sequencer-admin migrate").contains("\"version\":\"0.9.2\"")
                .contains("Runbook sequencer-migrate (R-1) finished.")
                .contains("pg_dump -Fc stateset_sequencer > backup_$(date +%Y%m%d).dump")
                .contains("Runbook sequencer-backup (R-2) finished.")
                .contains("pg_restore -d stateset_sequencer")
                .containsPattern("globex\\s+eu-1\\s+1\\s+8\\s+0x9a3b77d2\\s+unanchored")
                .contains("Runbook sequencer-restore (R-3) finished.")
                .contains("VACUUM ANALYZE events;")
                .contains(postgresOnly("vacuum-status"))
                .contains("Runbook sequencer-vacuum (R-4) finished.")
                .contains(postgresOnly("index-usage"))
                .contains("Runbook sequencer-index-usage (R-5) finished.");
    }

    @Test
    void performance_runbooks_count_events_and_show_cache_and_connections() {
        String alice = declare("performance", "P2 sequencer commitments slow", "sequencer-commitments-slow");
        String out = console.session("performance", alice + "/runbook run sequencer-high-memory\n"
                + alice + "/runbook run sequencer-slow-commitments tenant=acme store=main first=1 last=20\n"
                + alice + "/runbook run sequencer-connection-exhaustion\n");
        assertThat(out).containsPattern("sequencer_cache_entries\\{cache=\"agent_keys\"}\\s+1840")
                .contains("Runbook sequencer-high-memory (R-1) finished.")
                .containsPattern("events\\s+first_seen\\s+last_seen\\s+expected")
                .containsPattern("\\b19\\s+1\\s+20\\s+20\\b")
                .contains("batches over 10,000 events can be slow")
                .contains("Runbook sequencer-slow-commitments (R-2) finished.")
                .contains(postgresOnly("idle-connections"))
                .contains("SELECT pg_terminate_backend(pid)")
                .contains("ALTER SYSTEM SET max_connections = 200")
                .contains("Runbook sequencer-connection-exhaustion (R-3) finished.");
    }

    @Test
    void recovery_runbooks_list_dead_letters_and_commitments_and_retry_the_anchor_after_two_approvals() {
        String alice = declare("recovery", "P1 sequencer anchoring failed", "sequencer-anchoring-failed");
        String out = console.session("recovery", alice + "/runbook run sequencer-dead-letters\n"
                + alice + "/runbook run sequencer-corrupt-commitment tenant=acme store=main\n");
        assertThat(out).contains("query dead-letter-events on sequencer: 3 rows")
                .contains("payload schema invalid: missing field order_id")
                .contains("(for a person): 4. Delete the retried events from dead_letter_events only after the retry succeeded.")
                .contains("Runbook sequencer-dead-letters (R-1) finished.")
                .containsPattern("acme\\s+main\\s+1\\s+10\\s+0x5f1e0c7a\\s+0x8d1f44")
                .contains("DO NOT delete the commitment")
                .contains("Runbook sequencer-corrupt-commitment (R-2) finished.");

        int before = console.demo().sequencer().anchorRequests().size();
        String first = console.session("recovery", alice + "/runbook run sequencer-anchor-recovery chain=devnet batch_id=2\n");
        assertThat(first).containsPattern("sequencer_circuit_breaker_open\\s+0")
                .contains("Step 2/6 `/diag block devnet`: devnet head")
                .contains("Commitments remain unanchored but valid locally.")
                .contains("Approval needed A-1: anchor-retry").contains("Body: {\"batch_id\":\"2\"}")
                .contains("waits for approval A-1").doesNotContain("Step 6/6");
        assertThat(console.demo().sequencer().anchorRequests()).hasSize(before);

        String approved = GatedSteps.approveAll(console, "recovery", first);
        assertThat(approved).contains("A-1 approved by bob, carol").contains("Step 6/6 `/diag metrics sequencer circuit`")
                .contains("Runbook sequencer-anchor-recovery (R-3) finished.");
        assertThat(console.demo().sequencer().anchorRequests()).hasSize(before + 1).last().asString()
                .contains("\"batch_id\":\"2\"");
    }
}
