-- Migration 31: the ministry's own wording of the SMS templates (issue #20,
-- docs/channel.md "Editing the templates"). Each edit of one template's
-- text in one language is appended (reset = 1: back to the shipped text);
-- the newest per template and language is in force. Never changed or
-- deleted: the history is every wording a herder may have received.
CREATE TABLE sms_template_texts (
  id          INTEGER PRIMARY KEY,
  template_id TEXT    NOT NULL CHECK (length(template_id) > 0),
  language    TEXT    NOT NULL CHECK (language IN ('mn', 'en')),
  reset       INTEGER NOT NULL CHECK (reset IN (0, 1)),
  text        TEXT    NOT NULL,
  edited_by   TEXT    NOT NULL,
  edited_at   TEXT    NOT NULL,
  note        TEXT    NOT NULL DEFAULT '',
  CHECK ((reset = 1 AND text = '') OR (reset = 0 AND text <> ''))
);
CREATE INDEX sms_template_texts_template ON sms_template_texts
  (template_id, language, id);

CREATE TRIGGER sms_template_texts_frozen BEFORE UPDATE ON sms_template_texts
BEGIN
  SELECT RAISE(ABORT, 'template edits are never changed');
END;
CREATE TRIGGER sms_template_texts_kept BEFORE DELETE ON sms_template_texts
BEGIN
  SELECT RAISE(ABORT, 'template edits are never deleted');
END;
