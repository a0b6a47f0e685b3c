-- A message may be queued under a key of its own (message_key, unique), so whoever posts it can
-- find it again without having stored its id: an alert group's one message in an alerts channel is
-- keyed 'alert-group/<platform>/<group key>', and every later change of the group edits it. This
-- replaces alert_group_messages, whose row was written after the post was queued (a crash between
-- the two left the group without its message, and its next change posted a second one).
ALTER TABLE outbox ADD COLUMN message_key VARCHAR(600);
CREATE UNIQUE INDEX outbox_message_key ON outbox (message_key);
UPDATE outbox SET message_key = (SELECT 'alert-group/' || m.platform || '/' || m.group_key FROM alert_group_messages m
                                 WHERE m.outbox_id = outbox.id)
 WHERE id IN (SELECT outbox_id FROM alert_group_messages);
DROP TABLE alert_group_messages;
