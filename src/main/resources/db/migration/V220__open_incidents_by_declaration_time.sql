-- A declaration asks whether an open incident with a similar title was declared in the last
-- minutes (IncidentService.similarRecent): a range of the open incidents by declaration time, so
-- it reads the few declared since then, not every open incident.
CREATE INDEX incidents_open_by_declared_at ON incidents (declared_at) WHERE status <> 'RESOLVED' AND channel_id <> '';
