-- +goose Up
CREATE TABLE actors (
    id             uuid PRIMARY KEY,
    version        bigint NOT NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    slug           text NOT NULL,
    name           text NOT NULL,
    kind           text NOT NULL,
    aliases        jsonb NOT NULL,
    country        text NOT NULL,
    title          text NOT NULL,
    affiliation_id uuid,
    external_ids   jsonb NOT NULL,
    CONSTRAINT uni_actors_slug UNIQUE (slug),
    CONSTRAINT fk_actors_affiliation FOREIGN KEY (affiliation_id) REFERENCES actors (id)
);
CREATE INDEX actors_name_idx ON actors (name, id);
CREATE INDEX actors_kind_idx ON actors (kind);
CREATE INDEX actors_country_idx ON actors (country);
CREATE INDEX actors_affiliation_idx ON actors (affiliation_id);
CREATE INDEX actors_updated_idx ON actors (updated_at, id);

CREATE TABLE locations (
    id           uuid PRIMARY KEY,
    version      bigint NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    slug         text NOT NULL,
    name         text NOT NULL,
    country      text NOT NULL,
    admin_area   text NOT NULL,
    latitude     double precision,
    longitude    double precision,
    external_ids jsonb NOT NULL,
    CONSTRAINT uni_locations_slug UNIQUE (slug)
);
CREATE INDEX locations_name_idx ON locations (name, id);
CREATE INDEX locations_country_idx ON locations (country);
CREATE INDEX locations_updated_idx ON locations (updated_at, id);

CREATE TABLE sources (
    id                    uuid PRIMARY KEY,
    version               bigint NOT NULL,
    created_at            timestamptz NOT NULL,
    updated_at            timestamptz NOT NULL,
    slug                  text NOT NULL,
    outlet                text NOT NULL,
    title                 text NOT NULL,
    url                   text NOT NULL,
    published_edtf        text NOT NULL,
    published_start       timestamptz NOT NULL,
    published_end         timestamptz NOT NULL,
    published_precision   text NOT NULL,
    published_approximate boolean NOT NULL,
    published_uncertain   boolean NOT NULL,
    language              text NOT NULL,
    CONSTRAINT uni_sources_slug UNIQUE (slug)
);
CREATE INDEX sources_outlet_idx ON sources (outlet, id);
CREATE INDEX sources_url_idx ON sources (url);
CREATE INDEX sources_published_idx ON sources (published_start, id);
CREATE INDEX sources_updated_idx ON sources (updated_at, id);

CREATE TABLE events (
    id               uuid PRIMARY KEY,
    version          bigint NOT NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    slug             text NOT NULL,
    title            text NOT NULL,
    type             text NOT NULL,
    cameo_code       text NOT NULL,
    status           text NOT NULL,
    date_edtf        text NOT NULL,
    date_start       timestamptz NOT NULL,
    date_end         timestamptz NOT NULL,
    date_precision   text NOT NULL,
    date_approximate boolean NOT NULL,
    date_uncertain   boolean NOT NULL,
    location_id      uuid,
    summary          text NOT NULL,
    parent_id        uuid,
    CONSTRAINT uni_events_slug UNIQUE (slug),
    CONSTRAINT events_date_check CHECK (date_end > date_start),
    CONSTRAINT fk_events_location FOREIGN KEY (location_id) REFERENCES locations (id),
    CONSTRAINT fk_events_parent FOREIGN KEY (parent_id) REFERENCES events (id)
);
-- Sorting by date and the overlap filter (date_start < :to AND date_end > :from).
CREATE INDEX events_date_idx ON events (date_start, id);
CREATE INDEX events_date_end_idx ON events (date_end);
CREATE INDEX events_updated_idx ON events (updated_at, id);
CREATE INDEX events_type_idx ON events (type, date_start);
CREATE INDEX events_status_idx ON events (status, date_start);
CREATE INDEX events_location_idx ON events (location_id, date_start);
CREATE INDEX events_parent_idx ON events (parent_id, date_start);

-- Participation carries its event's interval, so an actor's events in date order are one
-- range scan on (actor_id, event_start, event_id) without touching events.
CREATE TABLE event_participants (
    event_id      uuid NOT NULL,
    actor_id      uuid NOT NULL,
    role          text NOT NULL,
    represents_id uuid,
    position      bigint NOT NULL,
    event_start   timestamptz NOT NULL,
    event_end     timestamptz NOT NULL,
    PRIMARY KEY (event_id, actor_id, role),
    CONSTRAINT fk_event_participants_event FOREIGN KEY (event_id) REFERENCES events (id) ON DELETE CASCADE,
    CONSTRAINT fk_event_participants_actor FOREIGN KEY (actor_id) REFERENCES actors (id),
    CONSTRAINT fk_event_participants_represents FOREIGN KEY (represents_id) REFERENCES actors (id)
);
CREATE INDEX event_participants_actor_idx ON event_participants (actor_id, event_start, event_id);
CREATE INDEX event_participants_represents_idx ON event_participants (represents_id);
CREATE INDEX event_participants_role_idx ON event_participants (role, event_id);

CREATE TABLE event_relations (
    event_id   uuid NOT NULL,
    type       text NOT NULL,
    related_id uuid NOT NULL,
    PRIMARY KEY (event_id, type, related_id),
    CONSTRAINT fk_event_relations_event FOREIGN KEY (event_id) REFERENCES events (id) ON DELETE CASCADE,
    CONSTRAINT fk_event_relations_related FOREIGN KEY (related_id) REFERENCES events (id)
);
CREATE INDEX event_relations_related_idx ON event_relations (related_id);

CREATE TABLE event_tags (
    event_id uuid NOT NULL,
    tag      text NOT NULL,
    PRIMARY KEY (event_id, tag),
    CONSTRAINT fk_event_tags_event FOREIGN KEY (event_id) REFERENCES events (id) ON DELETE CASCADE
);
CREATE INDEX event_tags_tag_idx ON event_tags (tag, event_id);

CREATE TABLE event_sources (
    event_id  uuid NOT NULL,
    source_id uuid NOT NULL,
    position  bigint NOT NULL,
    PRIMARY KEY (event_id, source_id),
    CONSTRAINT fk_event_sources_event FOREIGN KEY (event_id) REFERENCES events (id) ON DELETE CASCADE,
    CONSTRAINT fk_event_sources_source FOREIGN KEY (source_id) REFERENCES sources (id)
);
CREATE INDEX event_sources_source_idx ON event_sources (source_id, event_id);

CREATE TABLE statements (
    id               uuid PRIMARY KEY,
    version          bigint NOT NULL,
    created_at       timestamptz NOT NULL,
    updated_at       timestamptz NOT NULL,
    text             text NOT NULL,
    quote            boolean NOT NULL,
    speaker_id       uuid NOT NULL,
    attribution      text NOT NULL,
    date_edtf        text NOT NULL,
    date_start       timestamptz NOT NULL,
    date_end         timestamptz NOT NULL,
    date_precision   text NOT NULL,
    date_approximate boolean NOT NULL,
    date_uncertain   boolean NOT NULL,
    medium           text NOT NULL,
    language         text NOT NULL,
    event_id         uuid,
    CONSTRAINT fk_statements_speaker FOREIGN KEY (speaker_id) REFERENCES actors (id),
    CONSTRAINT fk_statements_event FOREIGN KEY (event_id) REFERENCES events (id)
);
CREATE INDEX statements_speaker_idx ON statements (speaker_id, date_start, id);
CREATE INDEX statements_event_idx ON statements (event_id);
CREATE INDEX statements_date_idx ON statements (date_start, id);
CREATE INDEX statements_updated_idx ON statements (updated_at, id);

CREATE TABLE statement_tags (
    statement_id uuid NOT NULL,
    tag          text NOT NULL,
    PRIMARY KEY (statement_id, tag),
    CONSTRAINT fk_statement_tags_statement FOREIGN KEY (statement_id) REFERENCES statements (id) ON DELETE CASCADE
);
CREATE INDEX statement_tags_tag_idx ON statement_tags (tag, statement_id);

CREATE TABLE statement_sources (
    statement_id uuid NOT NULL,
    source_id    uuid NOT NULL,
    position     bigint NOT NULL,
    PRIMARY KEY (statement_id, source_id),
    CONSTRAINT fk_statement_sources_statement FOREIGN KEY (statement_id) REFERENCES statements (id) ON DELETE CASCADE,
    CONSTRAINT fk_statement_sources_source FOREIGN KEY (source_id) REFERENCES sources (id)
);
CREATE INDEX statement_sources_source_idx ON statement_sources (source_id, statement_id);

-- Revisions outlive their entity, so they have no foreign key to it.
CREATE TABLE revisions (
    id          uuid PRIMARY KEY,
    entity_type text NOT NULL,
    entity_id   uuid NOT NULL,
    version     bigint NOT NULL,
    action      text NOT NULL,
    author      text NOT NULL,
    created_at  timestamptz NOT NULL,
    data        json NOT NULL
);
CREATE INDEX revisions_entity_idx ON revisions (entity_id, version);

-- +goose Down
DROP TABLE revisions;
DROP TABLE statement_sources;
DROP TABLE statement_tags;
DROP TABLE statements;
DROP TABLE event_sources;
DROP TABLE event_tags;
DROP TABLE event_relations;
DROP TABLE event_participants;
DROP TABLE events;
DROP TABLE sources;
DROP TABLE locations;
DROP TABLE actors;
