-- What each watcher of bot/watchers.yaml remembers between runs and across restarts: when it
-- last ran, the alert groups it has firing (the levels raised since episode_start), when it last
-- raised one (its cooldown), the reading a "changed" watcher compares with, and since when its
-- target has been unreachable.
CREATE TABLE watcher_state (
    name               VARCHAR(64)  NOT NULL PRIMARY KEY,
    last_run_at        VARCHAR(40),
    episode_start      VARCHAR(40),
    raised             VARCHAR(64)  NOT NULL,
    last_raised_at     VARCHAR(40),
    baseline           TEXT,
    unreachable_since  VARCHAR(40)
);
