#!/usr/bin/env bash
# Stops or starts the throw-away PostgreSQL of .ci/pg-start.sh (same PGPORT/PGDATA), for the
# tests that take the database away under load: .ci/pg-ctl.sh stop|start
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PGPORT=${PGPORT:-55432}
PGDATA=${PGDATA:-/tmp/dsm-pg-$PGPORT}
case "${1:-}" in
  stop) runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w -t 30 stop >/dev/null ;;
  start) runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -t 30 \
    -o "-p $PGPORT -k $PGDATA -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null ;;
  *) echo "usage: $0 stop|start" >&2; exit 2 ;;
esac
