-- Pre-signed Safe transactions (a pause the owners signed ahead of time, for a Safe nonce they
-- expect), by the name people give them: the document as it was added, what it was checked to be
-- (Safe, nonce, safeTxHash, contract) and the owners and threshold in force when it was added, so
-- a later change of owners shows.
CREATE TABLE presigned_safe_transactions (
    name           VARCHAR(64)   NOT NULL PRIMARY KEY,
    safe           VARCHAR(64)   NOT NULL,
    safe_nonce     VARCHAR(80)   NOT NULL,
    safe_tx_hash   VARCHAR(66)   NOT NULL,
    contract       VARCHAR(128)  NOT NULL,
    document       TEXT          NOT NULL,
    signers_at_add TEXT          NOT NULL,
    added_at       VARCHAR(40)   NOT NULL
);
