#!/usr/bin/env bash
# A throw-away PostgreSQL on 127.0.0.1:${PGPORT:-55432} without systemd, with role and database
# dsm/dsm (recipe from shared/tooling.md, appendix A5). About a second.
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PGPORT=${PGPORT:-55432}
PGDATA=${PGDATA:-/tmp/dsm-pg-$PGPORT}
if [ -f "$PGDATA/postmaster.pid" ]; then
  runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null || true
fi
rm -rf "$PGDATA"; mkdir -p "$PGDATA"; chown postgres:postgres "$PGDATA"
runuser -u postgres -- "$PGBIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >/dev/null
runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -t 30 \
  -o "-p $PGPORT -k $PGDATA -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
psql -v ON_ERROR_STOP=1 -q -h 127.0.0.1 -p "$PGPORT" -U postgres \
  -c "CREATE ROLE dsm LOGIN PASSWORD 'dsm'" -c "CREATE DATABASE dsm OWNER dsm"
echo "jdbc:postgresql://127.0.0.1:$PGPORT/dsm"
