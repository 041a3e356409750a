-- +goose Up
-- API keys: only a SHA-256 of each key is kept; prefix finds the record.
CREATE TABLE api_keys (
    id         uuid PRIMARY KEY,
    name       text NOT NULL,
    prefix     text NOT NULL,
    hash       bytea NOT NULL,
    scope      text NOT NULL,
    created_at timestamptz NOT NULL,
    revoked_at timestamptz,
    CONSTRAINT uni_api_keys_prefix UNIQUE (prefix)
);

-- +goose Down
DROP TABLE api_keys;
