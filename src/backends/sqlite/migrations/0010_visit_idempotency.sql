-- Migration 10: idempotency keys for outreach visits recorded through the
-- API, as for payments (migration 8). A client sends a key with each visit;
-- a retry or a double click with the same key finds the visit already
-- recorded instead of recording it twice (which would count twice in the
-- next outreach list's refusal and not-found windows). The uniqueness is a
-- database constraint: one key per officer (the caller, in the API),
-- whatever the timing of requests. Visits recorded without a key (the CLI,
-- earlier rows) keep NULL and never clash.
ALTER TABLE insurance_visits ADD COLUMN client_key TEXT;
CREATE UNIQUE INDEX insurance_visits_client_key
  ON insurance_visits (officer, client_key) WHERE client_key IS NOT NULL;
