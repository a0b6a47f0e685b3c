-- Each schedule's place in time: the newest slot it has run (or, when first seen, the slot it
-- started after), and whether it is paused. Claiming a slot is a compare-and-set on last_slot, so
-- one slot runs once, also with two replicas on one store.
CREATE TABLE schedule_states (
    schedule    VARCHAR(64) PRIMARY KEY,
    last_slot   VARCHAR(40),
    paused      BOOLEAN     NOT NULL,
    changed_by  VARCHAR(64) NOT NULL,
    changed_at  VARCHAR(40) NOT NULL
);

-- What each check of a run found, in the order the schedule lists them.
CREATE TABLE schedule_run_checks (
    run_id    BIGINT       NOT NULL,
    position  INTEGER      NOT NULL,
    label     TEXT         NOT NULL,
    status    VARCHAR(16)  NOT NULL,
    summary   TEXT         NOT NULL,
    PRIMARY KEY (run_id, position)
);

-- The items of a run that a person must do, ticked off with a reaction or /schedule done.
CREATE TABLE schedule_checklist_items (
    run_id    BIGINT       NOT NULL,
    item      INTEGER      NOT NULL,
    text      TEXT         NOT NULL,
    done_by   VARCHAR(64),
    done_at   VARCHAR(40),
    PRIMARY KEY (run_id, item)
);

-- The digest messages of a run (one per platform), by outbox id, so a reaction on one finds its run.
CREATE TABLE schedule_messages (
    outbox_id BIGINT PRIMARY KEY,
    run_id    BIGINT NOT NULL
);
