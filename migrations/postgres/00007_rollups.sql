-- +goose Up
-- Roll-ups of the events, kept exact by every write in the same transaction (store/rollups.go).
-- Each row counts distinct events by the months of their start and of their last instant
-- (date_end less a microsecond), so that any range of whole months selects exactly the
-- events the overlap filter (date_start < :to AND date_end > :from) selects. actor_id is
-- the participant; the nil uuid stands for all events. Rows that fall to zero stay, and
-- are read as absent.

-- Events per actor, month and type: histograms, by type and by actor.
CREATE TABLE rollup_events (
    actor_id    uuid NOT NULL,
    start_month date NOT NULL,
    end_month   date NOT NULL,
    type        text NOT NULL,
    events      bigint NOT NULL,
    PRIMARY KEY (actor_id, start_month, end_month, type)
);
CREATE INDEX rollup_events_month_idx ON rollup_events (start_month, actor_id);
-- The longest span (store: inMonths bounds a range's start with it).
CREATE INDEX rollup_events_span_idx ON rollup_events ((end_month - start_month));

-- Events per actor in all: the nodes of the whole graph.
CREATE TABLE rollup_actor_totals (
    actor_id    uuid PRIMARY KEY,
    events      bigint NOT NULL
);

-- Events per actor, month and participant country: histograms by country.
CREATE TABLE rollup_countries (
    actor_id    uuid NOT NULL,
    start_month date NOT NULL,
    end_month   date NOT NULL,
    country     text NOT NULL,
    events      bigint NOT NULL,
    PRIMARY KEY (actor_id, start_month, end_month, country)
);
CREATE INDEX rollup_countries_span_idx ON rollup_countries ((end_month - start_month));

-- Shared events of two actors (actor_id < other_id) per month, with the starts of the
-- first and last: the co-participation network and graph.
CREATE TABLE rollup_pairs (
    actor_id    uuid NOT NULL,
    other_id    uuid NOT NULL,
    start_month date NOT NULL,
    end_month   date NOT NULL,
    events      bigint NOT NULL,
    first_start timestamptz,
    last_start  timestamptz,
    PRIMARY KEY (actor_id, other_id, start_month, end_month)
);
CREATE INDEX rollup_pairs_other_idx ON rollup_pairs (other_id, actor_id);
CREATE INDEX rollup_pairs_month_idx ON rollup_pairs (start_month);
CREATE INDEX rollup_pairs_span_idx ON rollup_pairs ((end_month - start_month));

-- Shared events of two actors in all: the whole graph and unfiltered networks.
CREATE TABLE rollup_pair_totals (
    actor_id    uuid NOT NULL,
    other_id    uuid NOT NULL,
    events      bigint NOT NULL,
    first_start timestamptz,
    last_start  timestamptz,
    PRIMARY KEY (actor_id, other_id)
);
CREATE INDEX rollup_pair_totals_other_idx ON rollup_pair_totals (other_id, actor_id);
CREATE INDEX rollup_pair_totals_events_idx ON rollup_pair_totals (events);

-- Counted from the events already stored.
INSERT INTO rollup_events (actor_id, start_month, end_month, type, events)
SELECT actor_id, sm, em, type, COUNT(*) FROM (
  SELECT DISTINCT p.actor_id AS actor_id, date_trunc('month', e.date_start AT TIME ZONE 'UTC')::date AS sm, date_trunc('month', (e.date_end - interval '1 microsecond') AT TIME ZONE 'UTC')::date AS em, e.type AS type, e.id AS id
  FROM events e JOIN event_participants p ON p.event_id = e.id
  UNION ALL
  SELECT '00000000-0000-0000-0000-000000000000'::uuid, date_trunc('month', e.date_start AT TIME ZONE 'UTC')::date, date_trunc('month', (e.date_end - interval '1 microsecond') AT TIME ZONE 'UTC')::date, e.type, e.id FROM events e
) x GROUP BY actor_id, sm, em, type;

INSERT INTO rollup_countries (actor_id, start_month, end_month, country, events)
SELECT actor_id, sm, em, country, COUNT(*) FROM (
  SELECT DISTINCT p.actor_id AS actor_id, date_trunc('month', e.date_start AT TIME ZONE 'UTC')::date AS sm, date_trunc('month', (e.date_end - interval '1 microsecond') AT TIME ZONE 'UTC')::date AS em, ca.country AS country, e.id AS id
  FROM events e JOIN event_participants p ON p.event_id = e.id
  JOIN event_participants cp ON cp.event_id = e.id JOIN actors ca ON ca.id = cp.actor_id AND ca.country <> ''
  UNION ALL
  SELECT DISTINCT '00000000-0000-0000-0000-000000000000'::uuid, date_trunc('month', e.date_start AT TIME ZONE 'UTC')::date, date_trunc('month', (e.date_end - interval '1 microsecond') AT TIME ZONE 'UTC')::date, ca.country, e.id
  FROM events e JOIN event_participants cp ON cp.event_id = e.id JOIN actors ca ON ca.id = cp.actor_id AND ca.country <> ''
) x GROUP BY actor_id, sm, em, country;

INSERT INTO rollup_pairs (actor_id, other_id, start_month, end_month, events, first_start, last_start)
SELECT a, b, sm, em, COUNT(*), MIN(start), MAX(start) FROM (
  SELECT DISTINCT p.actor_id AS a, o.actor_id AS b, date_trunc('month', e.date_start AT TIME ZONE 'UTC')::date AS sm, date_trunc('month', (e.date_end - interval '1 microsecond') AT TIME ZONE 'UTC')::date AS em, e.id AS id, e.date_start AS start
  FROM events e JOIN event_participants p ON p.event_id = e.id
  JOIN event_participants o ON o.event_id = e.id AND p.actor_id < o.actor_id
) x GROUP BY a, b, sm, em;

INSERT INTO rollup_actor_totals (actor_id, events)
SELECT actor_id, COUNT(DISTINCT event_id) FROM event_participants GROUP BY actor_id;

INSERT INTO rollup_pair_totals (actor_id, other_id, events, first_start, last_start)
SELECT actor_id, other_id, SUM(events), MIN(first_start), MAX(last_start) FROM rollup_pairs GROUP BY actor_id, other_id;

-- +goose Down
DROP TABLE rollup_pair_totals;
DROP TABLE rollup_actor_totals;
DROP TABLE rollup_pairs;
DROP TABLE rollup_countries;
DROP TABLE rollup_events;
