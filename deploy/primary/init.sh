#!/bin/bash
# Runs once, when the primary's data directory is first made (docker-entrypoint-initdb.d).
set -euo pipefail

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
	--set=repl_password="$PARLEY_REPLICATION_PASSWORD" <<'SQL'
-- The replica clones and streams from the primary as this role.
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'repl_password';
-- Through PgBouncer in transaction mode parley cannot SET these per session: every
-- server connection starts with them instead. They must match parley serve's
-- --statement-timeout (parley warns at start when they differ). ALTER ROLE settings are
-- catalogue rows: the replica has them too. Migrations, on their direct connection,
-- lift the timeout for themselves.
ALTER ROLE parley IN DATABASE parley SET statement_timeout = '30s';
ALTER ROLE parley IN DATABASE parley SET jit = off;
ALTER ROLE parley IN DATABASE parley SET max_parallel_workers_per_gather = 0;
SQL

echo "host replication replicator all scram-sha-256" >>"$PGDATA/pg_hba.conf"
