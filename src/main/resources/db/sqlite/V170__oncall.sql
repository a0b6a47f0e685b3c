-- Overrides set from chat (/oncall override): someone covers a rotation for a while.
CREATE TABLE oncall_overrides (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    rotation   VARCHAR(64) NOT NULL,
    person     VARCHAR(64) NOT NULL,
    starts_at  VARCHAR(40) NOT NULL,
    ends_at    VARCHAR(40) NOT NULL,
    set_by     VARCHAR(64) NOT NULL
);
CREATE INDEX oncall_overrides_by_end ON oncall_overrides (ends_at);

-- On-call escalation of each incident that notified someone: the level reached, since when, who
-- was notified (they may acknowledge), and the acknowledgement that stops it. The clock moves it
-- one level at a time with a compare-and-set on level, so a level is reached once, also after a
-- restart or with two processes on one store.
CREATE TABLE incident_escalations (
    incident_number BIGINT       PRIMARY KEY,
    rotation        VARCHAR(64)  NOT NULL,
    level           INTEGER      NOT NULL,
    level_since     VARCHAR(40)  NOT NULL,
    notified        VARCHAR(400) NOT NULL,
    acknowledged_at VARCHAR(40),
    acknowledged_by VARCHAR(64)
);
CREATE INDEX incident_escalations_unacknowledged ON incident_escalations (acknowledged_at);
