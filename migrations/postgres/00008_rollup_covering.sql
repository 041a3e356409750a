-- +goose Up
-- A range of months' graph reads every pair and every actor of those months: covering
-- indexes let it read them from the index alone (a year of pairs at a million events
-- went from 550 ms to 250 ms, its nodes from 96 ms to 44 ms).
CREATE INDEX rollup_pairs_month_cover ON rollup_pairs (start_month) INCLUDE (end_month, actor_id, other_id, events);
DROP INDEX rollup_pairs_month_idx;
CREATE INDEX rollup_events_month_cover ON rollup_events (start_month, actor_id) INCLUDE (end_month, events);
DROP INDEX rollup_events_month_idx;

-- +goose Down
CREATE INDEX rollup_events_month_idx ON rollup_events (start_month, actor_id);
DROP INDEX rollup_events_month_cover;
CREATE INDEX rollup_pairs_month_idx ON rollup_pairs (start_month);
DROP INDEX rollup_pairs_month_cover;
