-- +goose Up
-- Full-text search: the SQLite twin of migrations/postgres/00002_search.sql. search_text
-- holds words already tokenised and lower-cased by parley, indexed by FTS5 external-content
-- tables that triggers keep in step with their rows.
ALTER TABLE events ADD COLUMN search_text text NOT NULL DEFAULT '';
CREATE VIRTUAL TABLE events_fts USING fts5(
    search_text, content='events', content_rowid='rowid', tokenize='unicode61 remove_diacritics 0'
);
-- +goose StatementBegin
CREATE TRIGGER events_fts_insert AFTER INSERT ON events BEGIN
    INSERT INTO events_fts (rowid, search_text) VALUES (new.rowid, new.search_text);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN
    INSERT INTO events_fts (events_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER events_fts_update AFTER UPDATE OF search_text ON events BEGIN
    INSERT INTO events_fts (events_fts, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
    INSERT INTO events_fts (rowid, search_text) VALUES (new.rowid, new.search_text);
END;
-- +goose StatementEnd

ALTER TABLE statements ADD COLUMN search_text text NOT NULL DEFAULT '';
CREATE VIRTUAL TABLE statements_fts USING fts5(
    search_text, content='statements', content_rowid='rowid', tokenize='unicode61 remove_diacritics 0'
);
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

-- +goose Down
DROP TRIGGER statements_fts_update;
DROP TRIGGER statements_fts_delete;
DROP TRIGGER statements_fts_insert;
DROP TABLE statements_fts;
ALTER TABLE statements DROP COLUMN search_text;
DROP TRIGGER events_fts_update;
DROP TRIGGER events_fts_delete;
DROP TRIGGER events_fts_insert;
DROP TABLE events_fts;
ALTER TABLE events DROP COLUMN search_text;
