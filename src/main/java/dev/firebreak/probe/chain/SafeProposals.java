package dev.firebreak.probe.chain;

import dev.firebreak.kernel.StoreUnavailable;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * The {@code safe_proposals} table: for each approved execution that goes through a Safe, when
 * the owners' signing window began and how many signatures were last reported, so both survive
 * a restart.
 */
final class SafeProposals {

    /** One proposal; {@code signedReported} is -1 until the first progress is posted. */
    record Proposal(String executionKey, String safeTxHash, Instant proposedAt, int signedReported) {}

    private final DataSource dataSource;

    SafeProposals(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The proposal under the key, created now if there is none (the earlier one wins a race). */
    Proposal start(String executionKey, String safeTxHash, Instant now) {
        Proposal existing = find(executionKey);
        if (existing != null) return existing;
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "INSERT INTO safe_proposals (execution_key, safe_tx_hash, proposed_at, signed_reported) VALUES (?, ?, ?, -1)")) {
            statement.setString(1, executionKey);
            statement.setString(2, safeTxHash);
            statement.setString(3, now.toString());
            statement.executeUpdate();
            return new Proposal(executionKey, safeTxHash, now, -1);
        } catch (SQLException e) {
            Proposal raced = find(executionKey);
            if (raced != null) return raced;
            throw new StoreUnavailable("cannot store the Safe proposal: " + e.getMessage(), e);
        }
    }

    void reported(String executionKey, int signed) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "UPDATE safe_proposals SET signed_reported = ? WHERE execution_key = ?")) {
            statement.setInt(1, signed);
            statement.setString(2, executionKey);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new StoreUnavailable("cannot update safe_proposals: " + e.getMessage(), e);
        }
    }

    private Proposal find(String executionKey) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT safe_tx_hash, proposed_at, signed_reported FROM safe_proposals WHERE execution_key = ?")) {
            statement.setString(1, executionKey);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) return null;
                return new Proposal(executionKey, rows.getString(1), Instant.parse(rows.getString(2)), rows.getInt(3));
            }
        } catch (SQLException e) {
            throw new StoreUnavailable("cannot read safe_proposals: " + e.getMessage(), e);
        }
    }
}
