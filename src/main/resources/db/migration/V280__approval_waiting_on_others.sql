-- What an approved execution waits for from others (the Safe's owners signing), as the replica
-- running it last saw it, so /action pending on any replica, or after a restart, shows the same:
-- waiting_on e.g. "1 of 3 owners signed, 2 needed (safeTxHash 0x..)"; waiting_until when that
-- wait ends (the Safe's signing window closes). Both null while the execution waits on nobody.
ALTER TABLE approval_requests ADD COLUMN waiting_on TEXT;
ALTER TABLE approval_requests ADD COLUMN waiting_until VARCHAR(40);
