-- +goose Up
-- API keys: only a SHA-256 of each key is kept; prefix finds the record.
CREATE TABLE api_keys (
    id         text PRIMARY KEY,
    name       text NOT NULL,
    prefix     text NOT NULL,
    hash       blob NOT NULL,
    scope      text NOT NULL,
    created_at datetime NOT NULL,
    revoked_at datetime,
    CONSTRAINT uni_api_keys_prefix UNIQUE (prefix)
);

-- +goose Down
DROP TABLE api_keys;
