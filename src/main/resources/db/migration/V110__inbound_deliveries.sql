-- Inbound deliveries already handled (Slack event ids, trigger ids, Socket Mode envelope ids), kept
-- for longer than Slack's five-minute signature window so that a captured request replayed after a
-- restart changes nothing. Rows past expires_at (epoch milliseconds) are removed as new ones arrive.
CREATE TABLE inbound_deliveries (
    platform     VARCHAR(16)  NOT NULL,
    delivery_key VARCHAR(200) NOT NULL,
    expires_at   BIGINT       NOT NULL,
    PRIMARY KEY (platform, delivery_key)
);
CREATE INDEX inbound_deliveries_by_expiry ON inbound_deliveries (expires_at);
