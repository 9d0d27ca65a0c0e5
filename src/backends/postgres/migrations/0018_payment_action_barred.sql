-- A payment request asked for by a complaint's resolution may name an
-- officer who must not decide it: the one the complaint is about
-- (issue #17). NULL: anyone but the requester may decide. The service
-- refuses them first; the CHECK is the last guard.
ALTER TABLE response_payment_actions ADD COLUMN barred_checker text
  CHECK (barred_checker IS NULL OR decided_by IS NULL OR
         decided_by <> barred_checker);
