-- Migration 12: two roles for complaints (docs/grievance.md): the hotline
-- operator, who records complaints taken by phone, and the GBV focal point,
-- who alone handles confidential complaints. SQLite cannot change a CHECK
-- constraint, so the users table is rebuilt with the same rows (the store
-- runs migrations with foreign keys off and checks every reference, the
-- sessions', before it commits).
CREATE TABLE users_with_roles (
  id            INTEGER PRIMARY KEY,
  username      TEXT    NOT NULL UNIQUE,
  password_hash TEXT    NOT NULL,
  role          TEXT    NOT NULL CHECK (role IN ('admin', 'national_officer',
                  'aimag_officer', 'soum_officer', 'analyst', 'auditor',
                  'hotline_operator', 'gbv_focal_point')),
  area_code     INTEGER NOT NULL DEFAULT 0,  -- 0 national, 3-digit aimag, 5-digit soum
  disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  created_at    TEXT    NOT NULL,
  updated_at    TEXT    NOT NULL
);
INSERT INTO users_with_roles (id, username, password_hash, role, area_code,
                              disabled, created_at, updated_at)
  SELECT id, username, password_hash, role, area_code, disabled, created_at,
         updated_at FROM users;
DROP TABLE users;
ALTER TABLE users_with_roles RENAME TO users;
