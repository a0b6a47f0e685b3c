package dev.firebreak.probe.chain;

import dev.firebreak.kernel.StoreUnavailable;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code commitment_reminders} table: the claim that makes the reminder at a commitment's ETA
 * happen once, whichever replica or restart gets there first; and {@code commitment_requests}: the
 * approval request that sent a commitment through Firebreak, whose channel gets that reminder. Both
 * keep a root in lower case ({@link #key}), however it was typed or read, so {@code 0xABC} and
 * {@code 0xabc} are one commitment.
 */
final class CommitmentReminders {

    private final DataSource dataSource;

    CommitmentReminders(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A root as both tables keep it. */
    static String key(String root) {
        return root.toLowerCase(Locale.ROOT);
    }

    boolean reminded(String contract, String root, String epoch) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(
                "SELECT 1 FROM commitment_reminders WHERE contract = ? AND root = ? AND epoch = ?")) {
            statement.setString(1, contract);
            statement.setString(2, key(root));
            statement.setString(3, epoch);
            try (var r = statement.executeQuery()) {
                return r.next();
            }
        } catch (SQLException e) {
            throw new StoreUnavailable("cannot read commitment_reminders: " + e.getMessage(), e);
        }
    }

    /** Claims the reminder at the ETA in one insert the primary key decides; true for the one caller that may post it. */
    boolean claim(String contract, String root, String epoch, Instant eta, Instant now) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO commitment_reminders (contract, root, epoch, eta, reminded_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            statement.setString(1, contract);
            statement.setString(2, key(root));
            statement.setString(3, epoch);
            statement.setString(4, eta.toString());
            statement.setString(5, now.toString());
            return statement.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreUnavailable("cannot write commitment_reminders: " + e.getMessage(), e);
        }
    }

    /** A commitment of {@code root} is about to be sent for the approval request {@code requestRef}; once, also when resumed. */
    void requested(String contract, String root, String requestRef, Instant now) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO commitment_requests (contract, root, request_ref, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            statement.setString(1, contract);
            statement.setString(2, key(root));
            statement.setString(3, requestRef);
            statement.setString(4, now.toString());
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new StoreUnavailable("cannot write commitment_requests: " + e.getMessage(), e);
        }
    }

    /** The newest approval request that sent a commitment of {@code root}, if one did. */
    Optional<String> request(String contract, String root) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(
                "SELECT request_ref FROM commitment_requests WHERE contract = ? AND root = ? ORDER BY created_at DESC")) {
            statement.setString(1, contract);
            statement.setString(2, key(root));
            try (var r = statement.executeQuery()) {
                return r.next() ? Optional.of(r.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreUnavailable("cannot read commitment_requests: " + e.getMessage(), e);
        }
    }
}
