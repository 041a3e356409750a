-- +goose Up
-- The changes feed reads revisions in transaction order: txid is the writing
-- transaction, seq the order within it. A reader only takes revisions of transactions
-- older than every one still running, so none can appear later behind its cursor.
ALTER TABLE revisions ADD COLUMN seq bigserial;
ALTER TABLE revisions ADD COLUMN txid xid8 NOT NULL DEFAULT pg_current_xact_id();
CREATE INDEX revisions_change_idx ON revisions (txid, seq);

-- +goose Down
DROP INDEX revisions_change_idx;
ALTER TABLE revisions DROP COLUMN txid;
ALTER TABLE revisions DROP COLUMN seq;
