-- A declaration names its channel after its title (inc-20261123-l2-blocks-stopped) and, when that
-- is taken, numbers it (-2, -3 ...). The highest number given out for a name is kept with the
-- incident, so the next one is found in one indexed query instead of trying every name in turn.
-- Existing incidents count as the first of their own name; a number taken meanwhile is skipped
-- when the insert meets the unique channel name.
ALTER TABLE incidents ADD COLUMN channel_base VARCHAR(100);
ALTER TABLE incidents ADD COLUMN channel_ordinal INTEGER;
UPDATE incidents SET channel_base = channel_name, channel_ordinal = 1;
CREATE INDEX incidents_by_channel_base ON incidents (channel_base, channel_ordinal);
