-- +goose Up
-- GDELT import (issue 14, part 6): what a source's date is (date_basis: '' or
-- 'published', 'gdelt_dateadded', 'retrieved'), and the numbers GDELT gives each event
-- (Goldstein scale, QuadClass, average tone, mention/source/article counts), NULL for
-- events that do not come from GDELT.
ALTER TABLE sources ADD COLUMN date_basis text NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN gdelt_goldstein double precision;
ALTER TABLE events ADD COLUMN gdelt_quad_class integer;
ALTER TABLE events ADD COLUMN gdelt_avg_tone double precision;
ALTER TABLE events ADD COLUMN gdelt_num_mentions integer;
ALTER TABLE events ADD COLUMN gdelt_num_sources integer;
ALTER TABLE events ADD COLUMN gdelt_num_articles integer;

-- +goose Down
ALTER TABLE events DROP COLUMN gdelt_num_articles;
ALTER TABLE events DROP COLUMN gdelt_num_sources;
ALTER TABLE events DROP COLUMN gdelt_num_mentions;
ALTER TABLE events DROP COLUMN gdelt_avg_tone;
ALTER TABLE events DROP COLUMN gdelt_quad_class;
ALTER TABLE events DROP COLUMN gdelt_goldstein;
ALTER TABLE sources DROP COLUMN date_basis;
