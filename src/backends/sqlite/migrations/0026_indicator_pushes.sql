-- Migration 26: pushes of indicator values to a DHIS2 server (issue #19).
-- Every answered push or dry run is kept, append-only: who, when, the
-- server's URL (never credentials), the period, dry run or not, the HTTP
-- status, DHIS2's import status and summary, and the payload's SHA-256 (a
-- real push needs a successful dry run of the same payload first).
CREATE TABLE indicator_pushes (
  id             INTEGER PRIMARY KEY,
  pushed_by      TEXT    NOT NULL,
  pushed_at      TEXT    NOT NULL,
  server         TEXT    NOT NULL,
  period         TEXT    NOT NULL,
  dry_run        INTEGER NOT NULL CHECK (dry_run IN (0, 1)),
  http_status    INTEGER NOT NULL,
  import_status  TEXT    NOT NULL,
  payload_sha256 TEXT    NOT NULL,
  summary_json   TEXT    NOT NULL
);
CREATE INDEX indicator_pushes_payload ON indicator_pushes
  (server, payload_sha256, dry_run, id);

CREATE TRIGGER indicator_pushes_frozen BEFORE UPDATE ON indicator_pushes
BEGIN
  SELECT RAISE(ABORT, 'indicator pushes are never changed');
END;
CREATE TRIGGER indicator_pushes_kept BEFORE DELETE ON indicator_pushes
BEGIN
  SELECT RAISE(ABORT, 'indicator pushes are never deleted');
END;
