-- Signed chain transactions, stored before they are broadcast, one per approved execution.
-- After a crash the same raw bytes are re-broadcast; a second transaction is never signed.
CREATE TABLE chain_transactions (
    execution_key   VARCHAR(200) NOT NULL PRIMARY KEY,
    plan_hash       VARCHAR(64)  NOT NULL,
    chain_id        BIGINT       NOT NULL,
    sender          VARCHAR(42)  NOT NULL,
    nonce           BIGINT       NOT NULL,
    tx_hash         VARCHAR(66)  NOT NULL,
    raw_transaction TEXT         NOT NULL,
    created_at      VARCHAR(40)  NOT NULL,
    broadcast_at    VARCHAR(40)
);
