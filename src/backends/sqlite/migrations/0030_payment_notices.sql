-- Migration 30: the payments each bank result file changed, found by the
-- file (issue #20: the households' payment notices after reconciliation).
CREATE INDEX response_payments_import ON response_payments (result_import_id)
  WHERE result_import_id IS NOT NULL;
