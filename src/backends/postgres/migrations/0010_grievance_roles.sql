-- Migration 6 (PostgreSQL): two roles for complaints (docs/grievance.md):
-- the hotline operator, who records complaints taken by phone, and the GBV
-- focal point, who alone handles confidential complaints.
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin',
  'national_officer', 'aimag_officer', 'soum_officer', 'analyst', 'auditor',
  'hotline_operator', 'gbv_focal_point'));
