#!/bin/sh
# Run once by the postgres image when it creates its data directory (docker-entrypoint-initdb.d): lets
# the streaming replica (`postgres-replica`, profile "replica") connect for replication with the same
# account and password as the portal. A data directory made before this file was mounted needs the
# same line added by hand to its pg_hba.conf, then `docker compose restart postgres`.
set -e
echo "host replication ${POSTGRES_USER} all scram-sha-256" >> "$PGDATA/pg_hba.conf"
