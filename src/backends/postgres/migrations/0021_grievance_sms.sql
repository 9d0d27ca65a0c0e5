-- Migration 21: the herders' SMS channel exists (migration 19), so a
-- complainant's SMS notice is queued in its outbox ("queued"; the delivery
-- is tracked there under the key grievance.notice.<id>), and an SMS
-- complaint finds its soum from the sender's phone in the register
-- (issue #17).
ALTER TABLE grievance_notices DROP CONSTRAINT grievance_notices_status_check;
ALTER TABLE grievance_notices ADD CONSTRAINT grievance_notices_status_check
  CHECK (status IN ('to_print', 'printed', 'awaiting_channel', 'queued'));

-- The register's phones, for an SMS's sender (registry::Repository::
-- HouseholdsWithPhone). Most persons have none: partial indexes.
CREATE INDEX households_phone ON households (phone) WHERE phone <> '';
CREATE INDEX persons_phone ON persons (phone) WHERE phone <> '';
