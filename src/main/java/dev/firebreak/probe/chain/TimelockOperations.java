package dev.firebreak.probe.chain;

import dev.firebreak.kernel.StoreUnavailable;

import javax.sql.DataSource;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code timelock_operations} table: every operation Firebreak scheduled on a timelock, written
 * when its schedule is sent and given its ETA once the schedule is verified on chain, with the
 * compare-and-set claims that make the reminder at the ETA and the late alert happen once.
 */
final class TimelockOperations {

    /**
     * One scheduled operation.
     *
     * @param name       what it does, as it was typed after {@code /action schedule}, e.g. {@code unpause pilOrchestrator}
     * @param requestRef the approval request that scheduled it ({@code A-12}), whose channel is reminded
     * @param eta        null until the schedule was verified on chain
     */
    record Stored(String timelock, String operationId, String name, Timelock.Operation operation, long delaySeconds,
                  String requestRef, Instant createdAt, Instant eta, Instant remindedAt, Instant lateAlertedAt, Instant closedAt) {}

    private static final String COLUMNS = "timelock, operation_id, name, target, call_value, call_data, predecessor, salt, delay_seconds, "
            + "request_ref, created_at, eta, reminded_at, late_alerted_at, closed_at";

    private final DataSource dataSource;

    TimelockOperations(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Records an operation about to be scheduled; one already there (a resumed execution) is kept as it is. */
    void record(String timelock, String operationId, String name, Timelock.Operation operation, long delaySeconds, String requestRef,
                Instant now) {
        if (find(timelock, operationId).isPresent()) return;
        update("INSERT INTO timelock_operations (timelock, operation_id, name, target, call_value, call_data, predecessor, salt, "
                        + "delay_seconds, request_ref, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", true,
                timelock, operationId, name, operation.target(), operation.value().toString(), operation.data(), operation.predecessor(),
                operation.salt(), delaySeconds, requestRef, now.toString());
    }

    /** The schedule was verified on chain: the operation is ready at {@code eta}. */
    void scheduled(String timelock, String operationId, Instant eta) {
        update("UPDATE timelock_operations SET eta = ? WHERE timelock = ? AND operation_id = ?", false, eta.toString(), timelock, operationId);
    }

    /** Claims the reminder at the ETA; true for the one caller that may post it. */
    boolean claimReminder(String timelock, String operationId, Instant now) {
        return update("UPDATE timelock_operations SET reminded_at = ? WHERE timelock = ? AND operation_id = ? AND reminded_at IS NULL",
                false, now.toString(), timelock, operationId) == 1;
    }

    /** Claims the late alert; true for the one caller that may raise it. */
    boolean claimLateAlert(String timelock, String operationId, Instant now) {
        return update("UPDATE timelock_operations SET late_alerted_at = ? WHERE timelock = ? AND operation_id = ? AND late_alerted_at IS NULL",
                false, now.toString(), timelock, operationId) == 1;
    }

    /** Done or cancelled on chain: no longer watched. True for the one caller that closed it. */
    boolean close(String timelock, String operationId, String as, Instant now) {
        return update("UPDATE timelock_operations SET closed_at = ?, closed_as = ? WHERE timelock = ? AND operation_id = ? AND closed_at IS NULL",
                false, now.toString(), as, timelock, operationId) == 1;
    }

    Optional<Stored> find(String timelock, String operationId) {
        List<Stored> found = query("SELECT " + COLUMNS + " FROM timelock_operations WHERE timelock = ? AND operation_id = ?", timelock,
                operationId);
        return found.stream().findFirst();
    }

    /** Operations with this id on any timelock. */
    List<Stored> byId(String operationId) {
        return query("SELECT " + COLUMNS + " FROM timelock_operations WHERE operation_id = ? ORDER BY created_at", operationId);
    }

    /** Operations scheduled under this name, the newest first. */
    List<Stored> byName(String name) {
        return query("SELECT " + COLUMNS + " FROM timelock_operations WHERE name = ? ORDER BY created_at DESC", name);
    }

    /** Operations whose schedule was verified and that are neither done nor cancelled as far as Firebreak saw. */
    List<Stored> open() {
        return query("SELECT " + COLUMNS + " FROM timelock_operations WHERE closed_at IS NULL AND eta IS NOT NULL ORDER BY eta");
    }

    private List<Stored> query(String sql, Object... args) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) statement.setObject(i + 1, args[i]);
            List<Stored> rows = new ArrayList<>();
            try (ResultSet r = statement.executeQuery()) {
                while (r.next()) {
                    rows.add(new Stored(r.getString(1), r.getString(2), r.getString(3),
                            new Timelock.Operation(r.getString(4), new BigInteger(r.getString(5)), r.getString(6), r.getString(7), r.getString(8)),
                            r.getLong(9), r.getString(10), instant(r.getString(11)), instant(r.getString(12)), instant(r.getString(13)),
                            instant(r.getString(14)), instant(r.getString(15))));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new StoreUnavailable("cannot read timelock_operations: " + e.getMessage(), e);
        }
    }

    private int update(String sql, boolean insert, Object... args) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) statement.setObject(i + 1, args[i]);
            return statement.executeUpdate();
        } catch (SQLException e) {
            // an insert that lost a race to another replica finds the row it lost to
            if (insert && find((String) args[0], (String) args[1]).isPresent()) return 0;
            throw new StoreUnavailable("cannot write timelock_operations: " + e.getMessage(), e);
        }
    }

    private static Instant instant(String text) {
        return text == null ? null : Instant.parse(text);
    }
}
