-- +goose Up
-- Offices over time and typed actor relations (issue 14, part 4): an actor's positions
-- (title, organisation, start and end as EDTF) and its relations to other actors, child
-- rows of the actor kept in the order given. A start or end left out is stored as the
-- empty date (edtf ''). Deleting an actor that a position or relation names is refused.
CREATE TABLE actor_positions (
    actor_id          uuid NOT NULL,
    position          bigint NOT NULL,
    title             text NOT NULL,
    organization_id   uuid,
    start_edtf        text NOT NULL,
    start_start       timestamptz NOT NULL,
    start_end         timestamptz NOT NULL,
    start_precision   text NOT NULL,
    start_approximate boolean NOT NULL,
    start_uncertain   boolean NOT NULL,
    end_edtf          text NOT NULL,
    end_start         timestamptz NOT NULL,
    end_end           timestamptz NOT NULL,
    end_precision     text NOT NULL,
    end_approximate   boolean NOT NULL,
    end_uncertain     boolean NOT NULL,
    note              text NOT NULL,
    PRIMARY KEY (actor_id, position),
    CONSTRAINT fk_actor_positions_actor FOREIGN KEY (actor_id) REFERENCES actors (id) ON DELETE CASCADE,
    CONSTRAINT fk_actor_positions_organization FOREIGN KEY (organization_id) REFERENCES actors (id)
);
CREATE INDEX actor_positions_organization_idx ON actor_positions (organization_id);

CREATE TABLE actor_relations (
    actor_id          uuid NOT NULL,
    position          bigint NOT NULL,
    type              text NOT NULL,
    related_id        uuid NOT NULL,
    start_edtf        text NOT NULL,
    start_start       timestamptz NOT NULL,
    start_end         timestamptz NOT NULL,
    start_precision   text NOT NULL,
    start_approximate boolean NOT NULL,
    start_uncertain   boolean NOT NULL,
    end_edtf          text NOT NULL,
    end_start         timestamptz NOT NULL,
    end_end           timestamptz NOT NULL,
    end_precision     text NOT NULL,
    end_approximate   boolean NOT NULL,
    end_uncertain     boolean NOT NULL,
    PRIMARY KEY (actor_id, position),
    CONSTRAINT fk_actor_relations_actor FOREIGN KEY (actor_id) REFERENCES actors (id) ON DELETE CASCADE,
    CONSTRAINT fk_actor_relations_related FOREIGN KEY (related_id) REFERENCES actors (id)
);
CREATE INDEX actor_relations_related_idx ON actor_relations (related_id);

-- +goose Down
DROP TABLE actor_relations;
DROP TABLE actor_positions;
