-- +goose Up
-- SQLite has one writer at a time and revisions are never deleted, so the rowid already
-- gives revisions in commit order; the changes feed reads by it. This migration keeps
-- the two schemas' version numbers in step.
SELECT 1;

-- +goose Down
SELECT 1;
