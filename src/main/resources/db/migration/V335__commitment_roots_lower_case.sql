-- Commitment roots are kept in lower case in both commitment tables (CommitmentReminders.key), so a root typed
-- or read in another letter case is the same commitment; a claim kept twice in two cases keeps the lower-case one.
DELETE FROM commitment_reminders
 WHERE root <> LOWER(root)
   AND EXISTS (SELECT 1 FROM commitment_reminders lower_case
                WHERE lower_case.contract = commitment_reminders.contract
                  AND lower_case.epoch = commitment_reminders.epoch
                  AND lower_case.root = LOWER(commitment_reminders.root));
UPDATE commitment_reminders SET root = LOWER(root) WHERE root <> LOWER(root);
