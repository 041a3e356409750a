-- +goose Up
-- SQLite twin of migrations/postgres/00014_outlets_evidence.sql: outlets, a source's
-- outlet_id and via_id, and the evidence of events and statements.
CREATE TABLE outlets (
    id           text PRIMARY KEY,
    version      integer NOT NULL,
    created_at   datetime NOT NULL,
    updated_at   datetime NOT NULL,
    slug         text NOT NULL,
    name         text NOT NULL,
    country      text NOT NULL,
    language     text NOT NULL,
    state_owned  numeric,
    url          text NOT NULL,
    aliases      text NOT NULL,
    external_ids text NOT NULL,
    CONSTRAINT uni_outlets_slug UNIQUE (slug)
);
CREATE INDEX outlets_name_idx ON outlets (name, id);
CREATE INDEX outlets_updated_idx ON outlets (updated_at, id);

CREATE TABLE outlet_names (
    outlet_id text NOT NULL REFERENCES outlets (id) ON DELETE CASCADE,
    term      text NOT NULL,
    field     integer NOT NULL,
    PRIMARY KEY (outlet_id, term)
);
CREATE INDEX outlet_names_term_idx ON outlet_names (term, field, outlet_id);

ALTER TABLE sources ADD COLUMN outlet_id text CONSTRAINT fk_sources_outlet REFERENCES outlets (id);
ALTER TABLE sources ADD COLUMN via_id text CONSTRAINT fk_sources_via REFERENCES sources (id);
CREATE INDEX sources_outlet_id_idx ON sources (outlet_id);
CREATE INDEX sources_via_idx ON sources (via_id);

CREATE TABLE event_evidence (
    event_id  text NOT NULL,
    position  integer NOT NULL,
    claim     text NOT NULL,
    source_id text NOT NULL,
    quote     text NOT NULL,
    PRIMARY KEY (event_id, position, claim),
    CONSTRAINT fk_event_evidence_event FOREIGN KEY (event_id) REFERENCES events (id) ON DELETE CASCADE,
    CONSTRAINT fk_event_evidence_source FOREIGN KEY (source_id) REFERENCES sources (id)
);
CREATE INDEX event_evidence_source_idx ON event_evidence (source_id, claim, event_id);
CREATE INDEX event_evidence_claim_idx ON event_evidence (claim, event_id);

CREATE TABLE statement_evidence (
    statement_id text NOT NULL,
    position     integer NOT NULL,
    claim        text NOT NULL,
    source_id    text NOT NULL,
    quote        text NOT NULL,
    PRIMARY KEY (statement_id, position, claim),
    CONSTRAINT fk_statement_evidence_statement FOREIGN KEY (statement_id) REFERENCES statements (id) ON DELETE CASCADE,
    CONSTRAINT fk_statement_evidence_source FOREIGN KEY (source_id) REFERENCES sources (id)
);
CREATE INDEX statement_evidence_source_idx ON statement_evidence (source_id, claim, statement_id);
CREATE INDEX statement_evidence_claim_idx ON statement_evidence (claim, statement_id);

-- +goose Down
DROP TABLE statement_evidence;
DROP TABLE event_evidence;
DROP INDEX sources_via_idx;
DROP INDEX sources_outlet_id_idx;
ALTER TABLE sources DROP COLUMN via_id;
ALTER TABLE sources DROP COLUMN outlet_id;
DROP TABLE outlet_names;
DROP TABLE outlets;
