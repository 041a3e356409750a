-- +goose Up
-- Name search (q on /actors, /locations and /sources; store/names.go). Each table holds
-- the keys an entity is found by: every name folded by parley (case, diacritics) into
-- words joined by single spaces, and its tails from a later word on. field says what the
-- key is of the entity (0 the whole name, 1 the whole slug or another name, 2 a tail),
-- for the ranking. COLLATE "C" makes a prefix one bytewise range of the index whatever
-- the database's collation, so that PostgreSQL and SQLite agree. Migration 10 fills them
-- for the rows written before.
CREATE TABLE actor_names (
    actor_id uuid NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    term     text COLLATE "C" NOT NULL,
    field    smallint NOT NULL,
    PRIMARY KEY (actor_id, term)
);
CREATE INDEX actor_names_term_idx ON actor_names (term) INCLUDE (field, actor_id);

CREATE TABLE location_names (
    location_id uuid NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    term        text COLLATE "C" NOT NULL,
    field       smallint NOT NULL,
    PRIMARY KEY (location_id, term)
);
CREATE INDEX location_names_term_idx ON location_names (term) INCLUDE (field, location_id);

CREATE TABLE source_names (
    source_id uuid NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    term      text COLLATE "C" NOT NULL,
    field     smallint NOT NULL,
    PRIMARY KEY (source_id, term)
);
CREATE INDEX source_names_term_idx ON source_names (term) INCLUDE (field, source_id);

-- +goose Down
DROP TABLE source_names;
DROP TABLE location_names;
DROP TABLE actor_names;
