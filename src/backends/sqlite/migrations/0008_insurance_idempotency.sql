-- Migration 8: idempotency keys for insurance payments recorded through the
-- API. A client (the web page) sends a key with each contribution or
-- cooperative remittance; a retry or a double click with the same key finds
-- the payment already recorded instead of paying twice. The uniqueness is a
-- database constraint: one key per actor, whatever the timing of requests.
ALTER TABLE insurance_entries ADD COLUMN client_key TEXT;
CREATE UNIQUE INDEX insurance_entries_client_key
  ON insurance_entries (actor, client_key) WHERE client_key IS NOT NULL;

ALTER TABLE insurance_remittances ADD COLUMN client_key TEXT;
CREATE UNIQUE INDEX insurance_remittances_client_key
  ON insurance_remittances (actor, client_key) WHERE client_key IS NOT NULL;
