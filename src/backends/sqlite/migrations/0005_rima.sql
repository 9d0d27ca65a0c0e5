-- Migration 5: RIMA-II resilience capacity scores of households.
-- One score per household and model version, enforced here: scoring a later
-- survey round with the same frozen model updates nothing silently (the
-- repository refuses a different value unless asked to replace it), and a
-- new model version adds rows beside the old ones. Scores are never deleted.
CREATE TABLE rima_scores (
  id             INTEGER PRIMARY KEY,
  hh             INTEGER NOT NULL REFERENCES households (hh),
  model_version  TEXT    NOT NULL CHECK (length(model_version) > 0),
  scored_on      TEXT    NOT NULL,
  rci            REAL    NOT NULL,
  score_0_100    REAL    NOT NULL CHECK (score_0_100 BETWEEN 0 AND 100),
  quintile       INTEGER NOT NULL CHECK (quintile BETWEEN 1 AND 5),
  rci_structural REAL    NOT NULL,
  abs            REAL    NOT NULL,
  ast            REAL    NOT NULL,
  ssn            REAL    NOT NULL,
  ac             REAL    NOT NULL,
  source         TEXT    NOT NULL DEFAULT '',
  recorded_at    TEXT    NOT NULL,
  UNIQUE (hh, model_version)
);
CREATE INDEX rima_scores_latest ON rima_scores (hh, scored_on);

CREATE TRIGGER rima_scores_no_delete BEFORE DELETE ON rima_scores
BEGIN
  SELECT RAISE(ABORT, 'rima_scores are never deleted');
END;
