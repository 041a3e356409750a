-- +goose Up
-- Full-text search. search_text holds the searchable words, tokenised and lower-cased by
-- parley (store/search.go) so that PostgreSQL and SQLite index exactly the same words;
-- the 'simple' configuration then indexes every word in any language, without stemming.
ALTER TABLE events ADD COLUMN search_text text NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED;
CREATE INDEX events_search_idx ON events USING gin (search_vector);

ALTER TABLE statements ADD COLUMN search_text text NOT NULL DEFAULT '';
ALTER TABLE statements ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED;
CREATE INDEX statements_search_idx ON statements USING gin (search_vector);

-- +goose Down
DROP INDEX statements_search_idx;
ALTER TABLE statements DROP COLUMN search_vector;
ALTER TABLE statements DROP COLUMN search_text;
DROP INDEX events_search_idx;
ALTER TABLE events DROP COLUMN search_vector;
ALTER TABLE events DROP COLUMN search_text;
