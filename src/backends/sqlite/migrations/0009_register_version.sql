-- Migration 9: a version of the register, so that what is computed from it
-- (the rules frame behind a preview) can be kept in memory and is never used
-- once the register has changed (response/frame_cache.h).
-- Every update or deletion of a household or person row draws a new random
-- token and counts the change, whoever writes (the store, a migration, a
-- manual fix). Insertions are seen through the largest row ids instead (a
-- new row gets a larger id; rows are never deleted, and a deletion is seen
-- by its trigger), so loading a register costs no trigger work.
-- The token starts random, so two registers never share a version.
CREATE TABLE register_version (
  id      INTEGER PRIMARY KEY CHECK (id = 1),
  changes INTEGER NOT NULL,
  token   INTEGER NOT NULL
);
INSERT INTO register_version (id, changes, token) VALUES (1, 0, random());

CREATE TRIGGER register_version_households_update AFTER UPDATE ON households
BEGIN
  UPDATE register_version SET changes = changes + 1, token = random()
    WHERE id = 1;
END;
CREATE TRIGGER register_version_households_delete AFTER DELETE ON households
BEGIN
  UPDATE register_version SET changes = changes + 1, token = random()
    WHERE id = 1;
END;
CREATE TRIGGER register_version_persons_update AFTER UPDATE ON persons
BEGIN
  UPDATE register_version SET changes = changes + 1, token = random()
    WHERE id = 1;
END;
CREATE TRIGGER register_version_persons_delete AFTER DELETE ON persons
BEGIN
  UPDATE register_version SET changes = changes + 1, token = random()
    WHERE id = 1;
END;
