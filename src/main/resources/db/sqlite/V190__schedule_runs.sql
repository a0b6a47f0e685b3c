-- One row per run of a scheduled check (bot/schedules.yaml): when, why (its slot, a slot missed
-- while Firebreak was down, or a person's /schedule run) and what it found. Its id is S-<id>.
CREATE TABLE schedule_runs (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    schedule     VARCHAR(64)  NOT NULL,
    slot         VARCHAR(40),
    run_trigger  VARCHAR(80)  NOT NULL,
    started_at   VARCHAR(40)  NOT NULL,
    summary      TEXT         NOT NULL,
    output       TEXT         NOT NULL,
    reminded_at  VARCHAR(40)
);
CREATE INDEX schedule_runs_by_schedule ON schedule_runs (schedule, id);
