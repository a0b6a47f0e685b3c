package dev.firebreak.probe.chain;

import dev.firebreak.kernel.StoreUnavailable;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/**
 * The {@code commitment_reminders} table: the claim that makes the reminder at a commitment's ETA
 * happen once, whichever replica or restart gets there first; and {@code commitment_requests}: the
 * approval request that sent a commitment through Firebreak, whose channel gets that reminder.
 */
final class CommitmentReminders {

    private final DataSource dataSource;

    CommitmentReminders(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    boolean reminded(String contract, String root, String epoch) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(
                "SELECT 1 FROM commitment_reminders WHERE contract = ? AND root = ? AND epoch = ?")) {
            statement.setString(1, contract);
            statement.setString(2, root);
            statement.setString(3, epoch);
            try (var r = statement.executeQuery()) {
                return r.next();
            }
        } catch (SQLException e) {
            throw new StoreUnavailable("cannot read commitment_reminders: " + e.getMessage(), e);
        }
    }

    /** Claims the reminder at the ETA; true for the one caller that may post it. */
    boolean claim(String contract, String root, String epoch, Instant eta, Instant now) {
        if (reminded(contract, root, epoch)) return false;
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO commitment_reminders (contract, root, epoch, eta, reminded_at) VALUES (?, ?, ?, ?, ?)")) {
            statement.setString(1, contract);
            statement.setString(2, root);
            statement.setString(3, epoch);
            statement.setString(4, eta.toString());
            statement.setString(5, now.toString());
            return statement.executeUpdate() == 1;
        } catch (SQLException e) {
            // an insert that lost a race to another replica finds the row it lost to
            if (reminded(contract, root, epoch)) return false;
            throw new StoreUnavailable("cannot write commitment_reminders: " + e.getMessage(), e);
        }
    }

    /** A commitment of {@code root} is about to be sent for the approval request {@code requestRef}. */
    void requested(String contract, String root, String requestRef, Instant now) {
        if (request(contract, root).filter(requestRef::equals).isPresent()) return;
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO commitment_requests (contract, root, request_ref, created_at) VALUES (?, ?, ?, ?)")) {
            statement.setString(1, contract);
            statement.setString(2, root.toLowerCase(java.util.Locale.ROOT));
            statement.setString(3, requestRef);
            statement.setString(4, now.toString());
            statement.executeUpdate();
        } catch (SQLException e) {
            // a resumed execution or another replica recorded it first
            if (request(contract, root).filter(requestRef::equals).isPresent()) return;
            throw new StoreUnavailable("cannot write commitment_requests: " + e.getMessage(), e);
        }
    }

    /** The newest approval request that sent a commitment of {@code root}, if one did. */
    java.util.Optional<String> request(String contract, String root) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(
                "SELECT request_ref FROM commitment_requests WHERE contract = ? AND root = ? ORDER BY created_at DESC")) {
            statement.setString(1, contract);
            statement.setString(2, root.toLowerCase(java.util.Locale.ROOT));
            try (var r = statement.executeQuery()) {
                return r.next() ? java.util.Optional.of(r.getString(1)) : java.util.Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreUnavailable("cannot read commitment_requests: " + e.getMessage(), e);
        }
    }
}
