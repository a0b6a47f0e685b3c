-- Each approval request gets an execution key that is unique across stores and time: the target
-- of its action records it (the Kubernetes annotation firebreak.dev/execution-key, the stored
-- signed transaction, the HTTP Idempotency-Key), so a fresh store's A-1 is never mistaken for an
-- earlier store's A-1. New requests get 'A-<id>-' and 128 random bits (ExecutionKeys).
ALTER TABLE approval_requests ADD COLUMN execution_key VARCHAR(80);

-- Requests already running keep the key they ran under ('A-<id>'), so that recovery finds the
-- signed transaction it stored under that key; every other existing request gets a key that no
-- earlier store used (the old keys were exactly 'A-<id>').
UPDATE approval_requests SET execution_key = 'A-' || id WHERE state = 'EXECUTING';
UPDATE approval_requests SET execution_key = 'A-' || id || '@' || created_at WHERE execution_key IS NULL;

CREATE UNIQUE INDEX approval_requests_by_execution_key ON approval_requests (execution_key);
