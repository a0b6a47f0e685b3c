-- Firebreak's own tables. Portable across SQLite and PostgreSQL: BIGINT ids assigned by the
-- application where order matters, timestamps as ISO-8601 text (UTC), JSON as text.

CREATE TABLE incidents (
    number           BIGINT PRIMARY KEY,
    severity         VARCHAR(16)  NOT NULL,
    title            VARCHAR(200) NOT NULL,
    status           VARCHAR(16)  NOT NULL,
    security         BOOLEAN      NOT NULL,
    platform         VARCHAR(16)  NOT NULL,
    channel_id       VARCHAR(64)  NOT NULL,
    channel_name     VARCHAR(100) NOT NULL UNIQUE,
    declared_by      VARCHAR(64)  NOT NULL,
    declared_at      VARCHAR(40)  NOT NULL,
    last_update_at   VARCHAR(40)  NOT NULL,
    last_reminder_at VARCHAR(40),
    resolved_at      VARCHAR(40),
    root_cause       TEXT
);

CREATE TABLE timeline_events (
    id              BIGINT PRIMARY KEY,
    incident_number BIGINT      NOT NULL REFERENCES incidents (number),
    at              VARCHAR(40) NOT NULL,
    actor           VARCHAR(64) NOT NULL,
    kind            VARCHAR(32) NOT NULL,
    text            TEXT        NOT NULL
);
CREATE INDEX timeline_events_by_incident ON timeline_events (incident_number, id);

CREATE TABLE incident_roles (
    incident_number BIGINT      NOT NULL REFERENCES incidents (number),
    role            VARCHAR(32) NOT NULL,
    person          VARCHAR(64) NOT NULL,
    assumed_at      VARCHAR(40) NOT NULL,
    renounced_at    VARCHAR(40)
);

-- Every message the bot posts goes through here first: durable, ordered, delivered once.
CREATE TABLE outbox (
    id                  BIGINT PRIMARY KEY,
    platform            VARCHAR(16) NOT NULL,
    channel_id          VARCHAR(64) NOT NULL,
    body                TEXT        NOT NULL,
    pin                 BOOLEAN     NOT NULL,
    bot_reactions       VARCHAR(200) NOT NULL,
    state               VARCHAR(16) NOT NULL,
    attempts            INTEGER     NOT NULL,
    not_before          VARCHAR(40) NOT NULL,
    platform_message_id VARCHAR(64),
    last_error          TEXT,
    created_at          VARCHAR(40) NOT NULL,
    delivered_at        VARCHAR(40)
);
CREATE INDEX outbox_pending ON outbox (state, id);
CREATE INDEX outbox_by_message ON outbox (platform, platform_message_id);

CREATE TABLE approval_requests (
    id              BIGINT PRIMARY KEY,
    incident_number BIGINT,
    action          VARCHAR(64)  NOT NULL,
    action_hash     VARCHAR(64)  NOT NULL,
    canonical_json  TEXT         NOT NULL,
    preview         TEXT         NOT NULL,
    policy          VARCHAR(64)  NOT NULL,
    requested_by    VARCHAR(64)  NOT NULL,
    platform        VARCHAR(16)  NOT NULL,
    channel_id      VARCHAR(64)  NOT NULL,
    outbox_id       BIGINT,
    runbook_run_id  BIGINT,
    state           VARCHAR(16)  NOT NULL,
    created_at      VARCHAR(40)  NOT NULL,
    expires_at      VARCHAR(40)  NOT NULL,
    decided_at      VARCHAR(40),
    result          TEXT
);
CREATE INDEX approval_requests_by_state ON approval_requests (state);

CREATE TABLE approval_votes (
    request_id  BIGINT      NOT NULL REFERENCES approval_requests (id),
    person      VARCHAR(64) NOT NULL,
    user_id     VARCHAR(64) NOT NULL,
    decision    VARCHAR(8)  NOT NULL,
    action_hash VARCHAR(64) NOT NULL,
    at          VARCHAR(40) NOT NULL,
    PRIMARY KEY (request_id, person)
);

CREATE TABLE runbook_runs (
    id              BIGINT PRIMARY KEY,
    runbook         VARCHAR(64) NOT NULL,
    incident_number BIGINT,
    platform        VARCHAR(16) NOT NULL,
    channel_id      VARCHAR(64) NOT NULL,
    started_by      VARCHAR(64) NOT NULL,
    params          TEXT        NOT NULL,
    next_step       INTEGER     NOT NULL,
    state           VARCHAR(16) NOT NULL,
    started_at      VARCHAR(40) NOT NULL
);

-- Append-only, hash-chained: each row's hash covers the previous row's hash.
CREATE TABLE audit_log (
    seq       BIGINT PRIMARY KEY,
    at        VARCHAR(40)  NOT NULL,
    actor     VARCHAR(64)  NOT NULL,
    event     VARCHAR(64)  NOT NULL,
    subject   VARCHAR(100) NOT NULL,
    detail    TEXT         NOT NULL,
    prev_hash VARCHAR(64)  NOT NULL,
    hash      VARCHAR(64)  NOT NULL
);
