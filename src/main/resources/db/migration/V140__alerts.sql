-- Alert groups (Alertmanager's groupKey) and the last known status of each of their alerts (by
-- fingerprint), so a repeated notification changes nothing and a restart forgets nothing.
CREATE TABLE alert_groups (
    group_key        VARCHAR(512) NOT NULL PRIMARY KEY,
    rule_name        VARCHAR(64),
    dedupe_key       VARCHAR(1024),
    incident_number  BIGINT,
    first_at         VARCHAR(40)  NOT NULL,
    updated_at       VARCHAR(40)  NOT NULL
);
CREATE INDEX alert_groups_dedupe ON alert_groups (dedupe_key, first_at);

CREATE TABLE alerts (
    group_key    VARCHAR(512) NOT NULL,
    fingerprint  VARCHAR(64)  NOT NULL,
    status       VARCHAR(16)  NOT NULL,
    labels       TEXT         NOT NULL,
    summary      TEXT         NOT NULL,
    starts_at    VARCHAR(40)  NOT NULL,
    updated_at   VARCHAR(40)  NOT NULL,
    PRIMARY KEY (group_key, fingerprint)
);
