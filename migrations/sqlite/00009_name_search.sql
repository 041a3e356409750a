-- +goose Up
-- Name search: the SQLite twin of migrations/postgres/00009_name_search.sql. SQLite
-- compares text bytewise (BINARY) by default, so a prefix is one range of the index.
CREATE TABLE actor_names (
    actor_id text NOT NULL REFERENCES actors (id) ON DELETE CASCADE,
    term     text NOT NULL,
    field    integer NOT NULL,
    PRIMARY KEY (actor_id, term)
);
CREATE INDEX actor_names_term_idx ON actor_names (term, field, actor_id);

CREATE TABLE location_names (
    location_id text NOT NULL REFERENCES locations (id) ON DELETE CASCADE,
    term        text NOT NULL,
    field       integer NOT NULL,
    PRIMARY KEY (location_id, term)
);
CREATE INDEX location_names_term_idx ON location_names (term, field, location_id);

CREATE TABLE source_names (
    source_id text NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    term      text NOT NULL,
    field     integer NOT NULL,
    PRIMARY KEY (source_id, term)
);
CREATE INDEX source_names_term_idx ON source_names (term, field, source_id);

-- +goose Down
DROP TABLE source_names;
DROP TABLE location_names;
DROP TABLE actor_names;
