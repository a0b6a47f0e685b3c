-- TimelockController operations Firebreak scheduled (/action schedule), one per timelock and operation id:
-- the call, so /action execute-scheduled finds it by id or by name; the approval request that scheduled
-- it, whose channel gets the reminder; the ETA once the schedule was verified on chain; and when the
-- reminder at the ETA and the late alert were claimed (each once, across restarts and replicas).
CREATE TABLE timelock_operations (
    timelock        VARCHAR(100)  NOT NULL,
    operation_id    VARCHAR(66)   NOT NULL,
    name            VARCHAR(500)  NOT NULL,
    target          VARCHAR(42)   NOT NULL,
    call_value      VARCHAR(80)   NOT NULL,
    call_data       TEXT          NOT NULL,
    predecessor     VARCHAR(66)   NOT NULL,
    salt            VARCHAR(66)   NOT NULL,
    delay_seconds   BIGINT        NOT NULL,
    request_ref     VARCHAR(40),
    created_at      VARCHAR(40)   NOT NULL,
    eta             VARCHAR(40),
    reminded_at     VARCHAR(40),
    late_alerted_at VARCHAR(40),
    closed_at       VARCHAR(40),
    closed_as       VARCHAR(20),
    PRIMARY KEY (timelock, operation_id)
);
CREATE INDEX timelock_operations_open ON timelock_operations (closed_at);
