-- The timeline is typed: kind holds the event type, source says where it came from, and details
-- holds its structured values as JSON. Rows from before read as source 'person' and no details.
ALTER TABLE timeline_events ADD COLUMN source VARCHAR(16);
ALTER TABLE timeline_events ADD COLUMN details TEXT;
