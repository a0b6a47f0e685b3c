package dev.firebreak.probe.chain;

import dev.firebreak.kernel.StoreUnavailable;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * The {@code chain_transactions} table: each approved execution's signed raw transaction and
 * hash, written before broadcasting, keyed by the execution key (the approval request id), with
 * what the post-condition read just before signing.
 */
public final class SignedTransactions {

    /**
     * One signed transaction; the raw bytes are public once broadcast and carry no key.
     *
     * @param beforeValue what the post-condition read before signing (wei, or a read's value), null if nothing
     */
    record Stored(String executionKey, String planHash, long chainId, String sender, long nonce, String txHash,
                  String rawTransaction, Instant createdAt, Instant broadcastAt, String beforeValue) {}

    private final DataSource dataSource;

    public SignedTransactions(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The store itself, for the pre-signed Safe transactions kept in it. */
    DataSource dataSource() {
        return dataSource;
    }

    /** The Safe proposals kept in the same store. */
    SafeProposals safeProposals() {
        return new SafeProposals(dataSource);
    }

    /** The timelock operations kept in the same store. */
    TimelockOperations timelockOperations() {
        return new TimelockOperations(dataSource);
    }

    /** The claims of the reminders at commitments' ETAs kept in the same store. */
    CommitmentReminders commitmentReminders() {
        return new CommitmentReminders(dataSource);
    }

    Optional<Stored> find(String executionKey) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT execution_key, plan_hash, chain_id, sender, nonce, tx_hash, raw_transaction, created_at, broadcast_at, before_value "
                             + "FROM chain_transactions WHERE execution_key = ?")) {
            statement.setString(1, executionKey);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) return Optional.empty();
                String broadcast = rows.getString(9);
                return Optional.of(new Stored(rows.getString(1), rows.getString(2), rows.getLong(3), rows.getString(4),
                        rows.getLong(5), rows.getString(6), rows.getString(7), Instant.parse(rows.getString(8)),
                        broadcast == null ? null : Instant.parse(broadcast), rows.getString(10)));
            }
        } catch (SQLException e) {
            throw new StoreUnavailable("cannot read chain_transactions: " + e.getMessage(), e);
        }
    }

    /**
     * Stores a signed transaction unless one exists for the key; returns the one that is stored
     * afterwards (the earlier one wins, so a race never yields two transactions).
     */
    Stored insertOrGet(Stored transaction) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "INSERT INTO chain_transactions (execution_key, plan_hash, chain_id, sender, nonce, tx_hash, raw_transaction, created_at, "
                             + "before_value) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            statement.setString(1, transaction.executionKey());
            statement.setString(2, transaction.planHash());
            statement.setLong(3, transaction.chainId());
            statement.setString(4, transaction.sender());
            statement.setLong(5, transaction.nonce());
            statement.setString(6, transaction.txHash());
            statement.setString(7, transaction.rawTransaction());
            statement.setString(8, transaction.createdAt().toString());
            statement.setString(9, transaction.beforeValue());
            statement.executeUpdate();
            return transaction;
        } catch (SQLException e) {
            return find(transaction.executionKey()).orElseThrow(() ->
                    new StoreUnavailable("cannot store the signed transaction: " + e.getMessage(), e));
        }
    }

    void markBroadcast(String executionKey, Instant at) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "UPDATE chain_transactions SET broadcast_at = ? WHERE execution_key = ? AND broadcast_at IS NULL")) {
            statement.setString(1, at.toString());
            statement.setString(2, executionKey);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new StoreUnavailable("cannot update chain_transactions: " + e.getMessage(), e);
        }
    }
}
