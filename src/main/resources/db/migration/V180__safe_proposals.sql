-- Safe transactions Firebreak proposed after a chat approval, one per approved execution: when the
-- owners' signing window started (it does not restart with Firebreak) and how many owners had
-- signed when progress was last posted (so a restart does not post the same progress again).
CREATE TABLE safe_proposals (
    execution_key   VARCHAR(200) NOT NULL PRIMARY KEY,
    safe_tx_hash    VARCHAR(66)  NOT NULL,
    proposed_at     VARCHAR(40)  NOT NULL,
    signed_reported INTEGER      NOT NULL
);
