-- +goose Up
-- Statement context (issue 14): the sentence around a quoted fragment ("sincerely
-- interested") that says who or what it is about, verbatim from the source; '' if none.
ALTER TABLE statements ADD COLUMN context text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE statements DROP COLUMN context;
