-- What the post-condition read just before the transaction was signed (a balance in wei, the value
-- of a read such as paused()), so the check afterwards sees the change the action made, also when
-- a restart falls between sending and the receipt.
ALTER TABLE chain_transactions ADD COLUMN before_value TEXT;
