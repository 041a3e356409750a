-- +goose Up
-- Statement context: the SQLite twin of migrations/postgres/00017_statement_context.sql.
-- ALTER TABLE ADD COLUMN would put the column after the table's constraints, where GORM's
-- schema reader does not see it, so the table is rebuilt as in 00012, keeping each row's
-- rowid (the full-text index refers to rows by it) and its tag and source rows. The default
-- is written "" (an empty string literal to SQLite) because that is how GORM's schema
-- reader compares an empty default with the model's.
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
    context          text NOT NULL DEFAULT "",
    CONSTRAINT fk_statements_speaker FOREIGN KEY (speaker_id) REFERENCES actors (id),
    CONSTRAINT fk_statements_event FOREIGN KEY (event_id) REFERENCES events (id),
    CONSTRAINT fk_statements_speaks_for FOREIGN KEY (speaks_for_id) REFERENCES actors (id),
    CONSTRAINT statements_speaker_or_attribution CHECK (speaker_id IS NOT NULL OR attribution <> '')
);
INSERT INTO statements_rebuilt (rowid, id, version, created_at, updated_at, text, quote, speaker_id, attribution, date_edtf, date_start, date_end, date_precision, date_approximate, date_uncertain, medium, language, event_id, search_text, speaks_for_id, context)
    SELECT rowid, id, version, created_at, updated_at, text, quote, speaker_id, attribution, date_edtf, date_start, date_end, date_precision, date_approximate, date_uncertain, medium, language, event_id, search_text, speaks_for_id, '' FROM statements;
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
-- Down rebuilds the table without the column.
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
INSERT INTO statements_rebuilt (rowid, id, version, created_at, updated_at, text, quote, speaker_id, attribution, date_edtf, date_start, date_end, date_precision, date_approximate, date_uncertain, medium, language, event_id, search_text, speaks_for_id)
    SELECT rowid, id, version, created_at, updated_at, text, quote, speaker_id, attribution, date_edtf, date_start, date_end, date_precision, date_approximate, date_uncertain, medium, language, event_id, search_text, speaks_for_id FROM statements;
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
