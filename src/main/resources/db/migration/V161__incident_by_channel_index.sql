-- Every command in an incident channel looks its incident up by platform and channel
-- (JdbcIncidentRepository.byChannel: newest first); without an index that is a full scan that
-- grows with the store.
CREATE INDEX incidents_by_channel ON incidents (platform, channel_id, number);
