-- +goose Up
-- Merges (issue 14): a merged entity leaves a redirect from its id and slug to the
-- survivor, so that old URLs answer 308 and imports naming it land on the survivor.
-- Chains are collapsed when written (A merged into B, then B into C: A points at C).
-- No foreign key on to_id: the kinds differ, and a redirect outlives nothing it names.
CREATE TABLE redirects (
    kind       text NOT NULL,
    from_id    uuid NOT NULL,
    from_slug  text NOT NULL,
    to_id      uuid NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (kind, from_id)
);
CREATE INDEX redirects_slug_idx ON redirects (kind, from_slug);
CREATE INDEX redirects_to_idx ON redirects (kind, to_id);

-- +goose Down
DROP TABLE redirects;
