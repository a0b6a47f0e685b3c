-- Ids come from the database, not from MAX(id) + 1 in the bot process: two writers can no longer
-- take the same id. In SQLite only a column declared exactly INTEGER PRIMARY KEY is assigned by
-- the database, and AUTOINCREMENT keeps it from handing out an id again after the newest row is
-- deleted, like a PostgreSQL identity. A column's type cannot be altered, so each table is
-- rebuilt with its rows and ids (sqlite_sequence continues after the highest one), in one
-- transaction, as SQLite documents for schema changes: migrations run on connections that do not
-- enforce foreign keys, so dropping incidents and approval_requests leaves the rows that refer to
-- them (timeline, roles, votes) alone until the rebuilt tables take their names. The audit log
-- keeps its seq: it is the position in the hash chain, taken in the transaction that reads the
-- previous row's hash.

CREATE TABLE incidents_rebuilt (
    number           INTEGER PRIMARY KEY AUTOINCREMENT,
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
INSERT INTO incidents_rebuilt (number, severity, title, status, security, platform, channel_id, channel_name,
                               declared_by, declared_at, last_update_at, last_reminder_at, resolved_at, root_cause)
SELECT number, severity, title, status, security, platform, channel_id, channel_name,
       declared_by, declared_at, last_update_at, last_reminder_at, resolved_at, root_cause FROM incidents;
DROP TABLE incidents;
ALTER TABLE incidents_rebuilt RENAME TO incidents;

CREATE TABLE timeline_events_rebuilt (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_number BIGINT      NOT NULL REFERENCES incidents (number),
    at              VARCHAR(40) NOT NULL,
    actor           VARCHAR(64) NOT NULL,
    kind            VARCHAR(32) NOT NULL,
    text            TEXT        NOT NULL
);
INSERT INTO timeline_events_rebuilt (id, incident_number, at, actor, kind, text)
SELECT id, incident_number, at, actor, kind, text FROM timeline_events;
DROP TABLE timeline_events;
ALTER TABLE timeline_events_rebuilt RENAME TO timeline_events;
CREATE INDEX timeline_events_by_incident ON timeline_events (incident_number, id);

CREATE TABLE outbox_rebuilt (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
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
INSERT INTO outbox_rebuilt (id, platform, channel_id, body, pin, bot_reactions, state, attempts, not_before,
                            platform_message_id, last_error, created_at, delivered_at)
SELECT id, platform, channel_id, body, pin, bot_reactions, state, attempts, not_before,
       platform_message_id, last_error, created_at, delivered_at FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_rebuilt RENAME TO outbox;
CREATE INDEX outbox_pending ON outbox (state, id);
CREATE INDEX outbox_by_message ON outbox (platform, platform_message_id);

CREATE TABLE approval_requests_rebuilt (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
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
INSERT INTO approval_requests_rebuilt (id, incident_number, action, action_hash, canonical_json, preview, policy,
                                       requested_by, platform, channel_id, outbox_id, runbook_run_id, state,
                                       created_at, expires_at, decided_at, result)
SELECT id, incident_number, action, action_hash, canonical_json, preview, policy,
       requested_by, platform, channel_id, outbox_id, runbook_run_id, state,
       created_at, expires_at, decided_at, result FROM approval_requests;
DROP TABLE approval_requests;
ALTER TABLE approval_requests_rebuilt RENAME TO approval_requests;
CREATE INDEX approval_requests_by_state ON approval_requests (state);

CREATE TABLE runbook_runs_rebuilt (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
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
INSERT INTO runbook_runs_rebuilt (id, runbook, incident_number, platform, channel_id, started_by, params,
                                  next_step, state, started_at)
SELECT id, runbook, incident_number, platform, channel_id, started_by, params,
       next_step, state, started_at FROM runbook_runs;
DROP TABLE runbook_runs;
ALTER TABLE runbook_runs_rebuilt RENAME TO runbook_runs;
