-- PagerDuty events, queued before they are sent (trigger, acknowledge, resolve) and delivered
-- once each, also across restarts. The routing key is a secret and is not stored: routing_key
-- names it (default, rotation:<name>, severity:<id>) in bot/oncall.yaml. PENDING events are sent
-- when not_before has come; 429 and 5xx move not_before on; a refusal (400) makes them REJECTED.
CREATE TABLE paging_events (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_number BIGINT       NOT NULL,
    dedup_key       VARCHAR(255) NOT NULL,
    action          VARCHAR(16)  NOT NULL,
    routing_key     VARCHAR(100) NOT NULL,
    body            TEXT         NOT NULL,
    platform        VARCHAR(16)  NOT NULL,
    channel_id      VARCHAR(64)  NOT NULL,
    state           VARCHAR(16)  NOT NULL,
    attempts        INTEGER      NOT NULL,
    not_before      VARCHAR(40)  NOT NULL,
    last_error      TEXT,
    created_at      VARCHAR(40)  NOT NULL,
    delivered_at    VARCHAR(40)
);
CREATE INDEX paging_events_pending ON paging_events (state, not_before);
CREATE INDEX paging_events_by_dedup_key ON paging_events (dedup_key);
