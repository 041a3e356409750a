-- +goose Up
-- Unnamed speakers (issue 14): a statement whose speaker the source does not name has no
-- speaker_id but an attribution ("a TASS source"), and speaks_for_id names the
-- organisation that person speaks for, so that ?speaker=tass is only what TASS said and
-- ?speaks_for=tass what people of TASS said. A statement needs one or the other.
ALTER TABLE statements ALTER COLUMN speaker_id DROP NOT NULL;
ALTER TABLE statements ADD COLUMN speaks_for_id uuid
    CONSTRAINT fk_statements_speaks_for REFERENCES actors (id);
ALTER TABLE statements ADD CONSTRAINT statements_speaker_or_attribution
    CHECK (speaker_id IS NOT NULL OR attribution <> '');
CREATE INDEX statements_speaks_for_idx ON statements (speaks_for_id, date_start, id);

-- +goose Down
-- Down goes back to the old reading: an unnamed speaker's organisation becomes the
-- speaker, and a statement with neither (which the old schema cannot hold) is deleted.
UPDATE statements SET speaker_id = speaks_for_id WHERE speaker_id IS NULL;
DELETE FROM statements WHERE speaker_id IS NULL;
DROP INDEX statements_speaks_for_idx;
ALTER TABLE statements DROP CONSTRAINT statements_speaker_or_attribution;
ALTER TABLE statements DROP COLUMN speaks_for_id;
ALTER TABLE statements ALTER COLUMN speaker_id SET NOT NULL;
