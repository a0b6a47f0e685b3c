-- The public status page: every update someone published, in order (issue 13). Only published
-- text is kept here; the page never reads the incident's own title, channel or people.
CREATE TABLE status_updates (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    incident_number BIGINT       NOT NULL REFERENCES incidents (number),
    public_title    VARCHAR(200) NOT NULL,
    component       VARCHAR(64)  NOT NULL,
    state           VARCHAR(32)  NOT NULL,
    phase           VARCHAR(16)  NOT NULL,
    body            TEXT         NOT NULL,
    published_by    VARCHAR(64)  NOT NULL,
    published_at    VARCHAR(40)  NOT NULL
);
CREATE INDEX status_updates_by_incident ON status_updates (incident_number, id);
