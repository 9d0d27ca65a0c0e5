-- Migration 11: recording a read of a person's data costs one index entry
-- fewer. Person reads (the bulk of the trail: every lookup by an officer) are
-- found through audit_person (register_no, seq); audit_entity held the same
-- key a second time for them, so every read dirtied two random index pages
-- instead of one. audit_entity now covers the other entities (households,
-- plans, payments...), and the queries by entity say so
-- (entity_type <> 'person'), which lets SQLite use this partial index.
DROP INDEX audit_entity;
CREATE INDEX audit_entity ON audit_log (entity_type, entity_id, seq)
  WHERE entity_type <> 'person';
