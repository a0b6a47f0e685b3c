-- ManifestDispatcher-style commitments (commitRoot, then activateCommittedRoot after the ETA) Firebreak
-- reminded at their ETA: one row per contract, root and epoch, claimed before the reminder is posted so
-- it is posted once across restarts and replicas.
CREATE TABLE commitment_reminders (
    contract    VARCHAR(100) NOT NULL,
    root        VARCHAR(66)  NOT NULL,
    epoch       VARCHAR(80)  NOT NULL,
    eta         VARCHAR(40)  NOT NULL,
    reminded_at VARCHAR(40)  NOT NULL,
    PRIMARY KEY (contract, root, epoch)
);
