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

-- The commitments sent through Firebreak (commitRoot behind an approval): the request whose channel gets
-- the reminder at the ETA; a commitment seen only on chain has none and is reminded in the alerts channels.
CREATE TABLE commitment_requests (
    contract    VARCHAR(100) NOT NULL,
    root        VARCHAR(66)  NOT NULL,
    request_ref VARCHAR(40)  NOT NULL,
    created_at  VARCHAR(40)  NOT NULL,
    PRIMARY KEY (contract, root, request_ref)
);
