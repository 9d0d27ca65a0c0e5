-- Migration 27: RIMA scores by survey round (issue #19: resilience
-- improvement between two rounds). Each scoring of a survey with a round
-- name records the household's score for that round and model version,
-- once, never changed or deleted.
CREATE TABLE rima_round_scores (
  id            INTEGER PRIMARY KEY,
  hh            INTEGER NOT NULL REFERENCES households (hh),
  round         TEXT    NOT NULL CHECK (length(round) > 0),
  round_date    TEXT    NOT NULL,
  model_version TEXT    NOT NULL CHECK (length(model_version) > 0),
  rci           REAL    NOT NULL,
  score_0_100   REAL    NOT NULL CHECK (score_0_100 BETWEEN 0 AND 100),
  quintile      INTEGER NOT NULL CHECK (quintile BETWEEN 1 AND 5),
  source        TEXT    NOT NULL DEFAULT '',
  recorded_at   TEXT    NOT NULL,
  UNIQUE (hh, round, model_version)
);
CREATE INDEX rima_round_scores_round ON rima_round_scores
  (round, model_version);

CREATE TRIGGER rima_round_scores_frozen BEFORE UPDATE ON rima_round_scores
BEGIN
  SELECT RAISE(ABORT, 'rima round scores are never changed');
END;
CREATE TRIGGER rima_round_scores_kept BEFORE DELETE ON rima_round_scores
BEGIN
  SELECT RAISE(ABORT, 'rima round scores are never deleted');
END;
