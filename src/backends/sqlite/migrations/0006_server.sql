-- Migration 6: the server. A search key for given names (the father's name
-- and the given name together are persons.name_key), and indexes for audit
-- trail queries by time.
-- malchin_name_key() is text::NameKey, registered on every connection the
-- store opens.
ALTER TABLE persons ADD COLUMN given_key TEXT NOT NULL DEFAULT '';
UPDATE persons SET given_key = malchin_name_key(given_name);
CREATE INDEX persons_given_key ON persons (given_key);
CREATE INDEX audit_at ON audit_log (at);
