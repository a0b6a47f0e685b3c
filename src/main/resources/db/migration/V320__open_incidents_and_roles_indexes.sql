-- What a command reads must not grow with the number of incidents a store has kept.
-- /incident list counts and pages the open incidents by number: read from an index of the open
-- ones only, so a store of mostly resolved incidents does not walk them all to find the few open.
CREATE INDEX incidents_open_by_number ON incidents (number) WHERE status <> 'RESOLVED' AND channel_id <> '';
-- The duplicate check of a declaration reads the open incidents declared since a moment, ordered by
-- declaration time and number: an index in exactly that order needs no sort, so PostgreSQL takes it
-- also before it has statistics of the table (a new store, a bulk import), instead of a full scan.
DROP INDEX incidents_open_by_declared_at;
CREATE INDEX incidents_open_by_declaration ON incidents (declared_at, number) WHERE status <> 'RESOLVED' AND channel_id <> '';
-- Who holds a role in an incident (commander, communications) is read on commands and reminders.
CREATE INDEX incident_roles_by_incident ON incident_roles (incident_number, assumed_at);
-- A reaction on a posted message finds its approval request by the message's outbox id.
CREATE INDEX approval_requests_by_outbox ON approval_requests (outbox_id);
