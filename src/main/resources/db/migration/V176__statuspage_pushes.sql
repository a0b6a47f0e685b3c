-- Updates waiting to be pushed to Atlassian Statuspage, retried with backoff until it takes them
-- (state pending -> pushed) or refuses them for good (refused, with the reason). Its own table:
-- the chat outbox is for chat messages.
CREATE TABLE statuspage_pushes (
    update_id   BIGINT      PRIMARY KEY REFERENCES status_updates (id),
    state       VARCHAR(16) NOT NULL,
    attempts    INTEGER     NOT NULL,
    not_before  VARCHAR(40) NOT NULL,
    last_error  TEXT,
    pushed_at   VARCHAR(40)
);
CREATE INDEX statuspage_pushes_due ON statuspage_pushes (state, update_id);

-- The incident's id on Statuspage, from the answer to its first push; later pushes update it.
CREATE TABLE statuspage_incidents (
    incident_number BIGINT      PRIMARY KEY REFERENCES incidents (number),
    remote_id       VARCHAR(64) NOT NULL
);
