-- A runbook run posts one message, edited as its steps complete, with each step's output in that
-- message's thread. message_outbox_id: the outbox id of the run's message (edits name it);
-- step_statuses: one word per step (pending, running, ok, warning, critical, failed, skipped,
-- person), comma-separated; status_line: what the run is doing or how it ended.
ALTER TABLE runbook_runs ADD COLUMN message_outbox_id BIGINT;
ALTER TABLE runbook_runs ADD COLUMN step_statuses TEXT;
ALTER TABLE runbook_runs ADD COLUMN status_line TEXT;

-- An outbox entry may be a reply in the thread of a message queued before it (reply_to: that
-- entry's id), delivered in order with the channel's other messages.
ALTER TABLE outbox ADD COLUMN reply_to BIGINT;
