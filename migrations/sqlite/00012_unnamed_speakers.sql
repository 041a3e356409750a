-- +goose Up
-- Unnamed speakers: the SQLite twin of migrations/postgres/00012_unnamed_speakers.sql.
-- SQLite cannot drop a NOT NULL, so the table is rebuilt, keeping each row's rowid (the
-- full-text index refers to rows by it) and its tag and source rows.
CREATE TEMP TABLE keep_statement_tags AS SELECT * FROM statement_tags;
CREATE TEMP TABLE keep_statement_sources AS SELECT * FROM statement_sources;
DROP TRIGGER statements_fts_update;
DROP TRIGGER statements_fts_delete;
DROP TRIGGER statements_fts_insert;
CREATE TABLE statements_rebuilt (
    id               text PRIMARY KEY,
    version          integer NOT NULL,
    created_at       datetime NOT NULL,
    updated_at       datetime NOT NULL,
    text             text NOT NULL,
    quote            numeric NOT NULL,
    speaker_id       text,
    attribution      text NOT NULL,
    date_edtf        text NOT NULL,
    date_start       datetime NOT NULL,
    date_end         datetime NOT NULL,
    date_precision   text NOT NULL,
    date_approximate numeric NOT NULL,
    date_uncertain   numeric NOT NULL,
    medium           text NOT NULL,
    language         text NOT NULL,
    event_id         text,
    search_text      text NOT NULL DEFAULT '',
    speaks_for_id    text,
    CONSTRAINT fk_statements_speaker FOREIGN KEY (speaker_id) REFERENCES actors (id),
    CONSTRAINT fk_statements_event FOREIGN KEY (event_id) REFERENCES events (id),
    CONSTRAINT fk_statements_speaks_for FOREIGN KEY (speaks_for_id) REFERENCES actors (id),
    CONSTRAINT statements_speaker_or_attribution CHECK (speaker_id IS NOT NULL OR attribution <> '')
);
INSERT INTO statements_rebuilt (rowid, id, version, created_at, updated_at, text, quote, speaker_id, attribution, date_edtf, date_start, date_end, date_precision, date_approximate, date_uncertain, medium, language, event_id, search_text)
    SELECT rowid, id, version, created_at, updated_at, text, quote, speaker_id, attribution, date_edtf, date_start, date_end, date_precision, date_approximate, date_uncertain, medium, language, event_id, search_text FROM statements;
-- Dropping the old table cascades to its tags and sources, kept above and put back below.
DROP TABLE statements;
ALTER TABLE statements_rebuilt RENAME TO statements;
CREATE INDEX statements_speaker_idx ON statements (speaker_id, date_start, id);
CREATE INDEX statements_event_idx ON statements (event_id);
CREATE INDEX statements_date_idx ON statements (date_start, id);
CREATE INDEX statements_updated_idx ON statements (updated_at, id);
CREATE INDEX statements_speaks_for_idx ON statements (speaks_for_id, date_start, id);
-- +goose StatementBegin
CREATE TRIGGER statements_fts_insert AFTER INSERT ON statements BEGIN
    INSERT INTO statements_fts (rowid, search_text) VALUES (new.rowid, new.search_text);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER statements_fts_delete AFTER DELETE ON statements BEGIN
    INSERT INTO statements_fts (statements_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER statements_fts_update AFTER UPDATE OF search_text ON statements BEGIN
    INSERT INTO statements_fts (statements_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
    INSERT INTO statements_fts (rowid, search_text) VALUES (new.rowid, new.search_text);
END;
-- +goose StatementEnd
INSERT INTO statement_tags SELECT * FROM keep_statement_tags;
INSERT INTO statement_sources SELECT * FROM keep_statement_sources;
DROP TABLE keep_statement_tags;
DROP TABLE keep_statement_sources;

-- +goose Down
-- Down goes back to the old reading: an unnamed speaker's organisation becomes the
-- speaker, and a statement with neither (which the old schema cannot hold) is left out.
DELETE FROM statements WHERE speaker_id IS NULL AND speaks_for_id IS NULL;
CREATE TEMP TABLE keep_statement_tags AS SELECT * FROM statement_tags;
CREATE TEMP TABLE keep_statement_sources AS SELECT * FROM statement_sources;
DROP TRIGGER statements_fts_update;
DROP TRIGGER statements_fts_delete;
DROP TRIGGER statements_fts_insert;
CREATE TABLE statements_rebuilt (
    id               text PRIMARY KEY,
    version          integer NOT NULL,
    created_at       datetime NOT NULL,
    updated_at       datetime NOT NULL,
    text             text NOT NULL,
    quote            numeric NOT NULL,
    speaker_id       text NOT NULL,
    attribution      text NOT NULL,
    date_edtf        text NOT NULL,
    date_start       datetime NOT NULL,
    date_end         datetime NOT NULL,
    date_precision   text NOT NULL,
    date_approximate numeric NOT NULL,
    date_uncertain   numeric NOT NULL,
    medium           text NOT NULL,
    language         text NOT NULL,
    event_id         text,
    search_text      text NOT NULL DEFAULT '',
    CONSTRAINT fk_statements_speaker FOREIGN KEY (speaker_id) REFERENCES actors (id),
    CONSTRAINT fk_statements_event FOREIGN KEY (event_id) REFERENCES events (id)
);
INSERT INTO statements_rebuilt (rowid, id, version, created_at, updated_at, text, quote, speaker_id, attribution, date_edtf, date_start, date_end, date_precision, date_approximate, date_uncertain, medium, language, event_id, search_text)
    SELECT rowid, id, version, created_at, updated_at, text, quote, COALESCE(speaker_id, speaks_for_id), attribution, date_edtf, date_start, date_end, date_precision, date_approximate, date_uncertain, medium, language, event_id, search_text
    FROM statements WHERE COALESCE(speaker_id, speaks_for_id) IS NOT NULL;
-- Dropping the old table cascades to its tags and sources, kept above and put back below.
DROP TABLE statements;
ALTER TABLE statements_rebuilt RENAME TO statements;
CREATE INDEX statements_speaker_idx ON statements (speaker_id, date_start, id);
CREATE INDEX statements_event_idx ON statements (event_id);
CREATE INDEX statements_date_idx ON statements (date_start, id);
CREATE INDEX statements_updated_idx ON statements (updated_at, id);
-- +goose StatementBegin
CREATE TRIGGER statements_fts_insert AFTER INSERT ON statements BEGIN
    INSERT INTO statements_fts (rowid, search_text) VALUES (new.rowid, new.search_text);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER statements_fts_delete AFTER DELETE ON statements BEGIN
    INSERT INTO statements_fts (statements_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER statements_fts_update AFTER UPDATE OF search_text ON statements BEGIN
    INSERT INTO statements_fts (statements_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
    INSERT INTO statements_fts (rowid, search_text) VALUES (new.rowid, new.search_text);
END;
-- +goose StatementEnd
INSERT INTO statement_tags SELECT * FROM keep_statement_tags WHERE statement_id IN (SELECT id FROM statements);
INSERT INTO statement_sources SELECT * FROM keep_statement_sources WHERE statement_id IN (SELECT id FROM statements);
DROP TABLE keep_statement_tags;
DROP TABLE keep_statement_sources;
