-- The block a watcher of events has read through (when: events in bot/watchers.yaml): its next run
-- reads from the block after it, so every event is seen once across runs and restarts. Moved only by
-- compare-and-set, so two replicas never both take the same blocks.
CREATE TABLE watcher_cursors (
    name           VARCHAR(64) NOT NULL PRIMARY KEY,
    through_block  BIGINT      NOT NULL,
    updated_at     VARCHAR(40) NOT NULL
);
