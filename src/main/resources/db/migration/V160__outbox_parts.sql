-- A message over a platform's limits goes out as several posts. Each part is tracked on its own so
-- that a retry re-sends only the part that failed: a row is written before a part is sent
-- (platform_message_id still empty) and completed when the platform answers. A row left without a
-- platform id means the answer was lost; the part is looked up on the platform before it is sent
-- again.
CREATE TABLE outbox_parts (
    outbox_id           BIGINT      NOT NULL REFERENCES outbox (id),
    part                INTEGER     NOT NULL,
    platform_message_id VARCHAR(64),
    attempted_at        VARCHAR(40) NOT NULL,
    delivered_at        VARCHAR(40),
    PRIMARY KEY (outbox_id, part)
);

CREATE INDEX outbox_pending_by_channel ON outbox (state, platform, channel_id, id);
