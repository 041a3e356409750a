-- +goose Up
-- Offices over time and typed actor relations: the SQLite twin of
-- migrations/postgres/00015_positions.sql.
CREATE TABLE actor_positions (
    actor_id          text NOT NULL,
    position          integer NOT NULL,
    title             text NOT NULL,
    organization_id   text,
    start_edtf        text NOT NULL,
    start_start       datetime NOT NULL,
    start_end         datetime NOT NULL,
    start_precision   text NOT NULL,
    start_approximate numeric NOT NULL,
    start_uncertain   numeric NOT NULL,
    end_edtf          text NOT NULL,
    end_start         datetime NOT NULL,
    end_end           datetime NOT NULL,
    end_precision     text NOT NULL,
    end_approximate   numeric NOT NULL,
    end_uncertain     numeric NOT NULL,
    note              text NOT NULL,
    PRIMARY KEY (actor_id, position),
    CONSTRAINT fk_actor_positions_actor FOREIGN KEY (actor_id) REFERENCES actors (id) ON DELETE CASCADE,
    CONSTRAINT fk_actor_positions_organization FOREIGN KEY (organization_id) REFERENCES actors (id)
);
CREATE INDEX actor_positions_organization_idx ON actor_positions (organization_id);

CREATE TABLE actor_relations (
    actor_id          text NOT NULL,
    position          integer NOT NULL,
    type              text NOT NULL,
    related_id        text NOT NULL,
    start_edtf        text NOT NULL,
    start_start       datetime NOT NULL,
    start_end         datetime NOT NULL,
    start_precision   text NOT NULL,
    start_approximate numeric NOT NULL,
    start_uncertain   numeric NOT NULL,
    end_edtf          text NOT NULL,
    end_start         datetime NOT NULL,
    end_end           datetime NOT NULL,
    end_precision     text NOT NULL,
    end_approximate   numeric NOT NULL,
    end_uncertain     numeric NOT NULL,
    PRIMARY KEY (actor_id, position),
    CONSTRAINT fk_actor_relations_actor FOREIGN KEY (actor_id) REFERENCES actors (id) ON DELETE CASCADE,
    CONSTRAINT fk_actor_relations_related FOREIGN KEY (related_id) REFERENCES actors (id)
);
CREATE INDEX actor_relations_related_idx ON actor_relations (related_id);

-- +goose Down
DROP TABLE actor_relations;
DROP TABLE actor_positions;
