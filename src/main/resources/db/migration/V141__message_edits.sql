-- An outbox entry may be an edit of a message posted before (edit_of: that entry's id), delivered
-- in order with the channel's other messages. Each alert group keeps its one message in the alerts
-- channel of each platform (the outbox id of its first post), which its changes edit.
ALTER TABLE outbox ADD COLUMN edit_of BIGINT;

CREATE TABLE alert_group_messages (
    group_key  VARCHAR(512) NOT NULL,
    platform   VARCHAR(16)  NOT NULL,
    outbox_id  BIGINT       NOT NULL,
    PRIMARY KEY (group_key, platform)
);
