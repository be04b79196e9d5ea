#!/usr/bin/env bash
# Throwaway PostgreSQL + Redis for tests and benchmarks.
#   scripts/services.sh start|stop|status|env
# Everything lives in $QJ_SERVICES_DIR (default /tmp/qianjiang-services); `stop` deletes it.
set -euo pipefail

BASE=${QJ_SERVICES_DIR:-/tmp/qianjiang-services}
PG_PORT=${QJ_PG_PORT:-55432}
REDIS_PORT=${QJ_REDIS_PORT:-56379}
TIMEOUT=${QJ_SERVICES_TIMEOUT:-60}   # seconds to wait for each server
PG_DIR=$BASE/pg                      # owned by the postgres user when we run as root
PGDATA=$PG_DIR/data
DATABASE_URL="postgres://qianjiang:qianjiang@127.0.0.1:$PG_PORT/qianjiang"
REDIS_URL="redis://127.0.0.1:$REDIS_PORT/0"

# Prefer PostgreSQL 15 (what production runs); fall back to whatever major version is installed.
if [[ -z ${QJ_PG_BIN:-} ]]; then
  if [[ -x /usr/lib/postgresql/15/bin/initdb ]]; then QJ_PG_BIN=/usr/lib/postgresql/15/bin
  else QJ_PG_BIN=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n1); fi
fi

# initdb and pg_ctl refuse to run as root, so as root they run as the postgres OS user.
as_pg() {
  if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Running = our cluster's postmaster is alive AND it answers (a killed one can linger as a zombie).
pg_running() {
  [[ -f $PGDATA/postmaster.pid ]] && as_pg "$QJ_PG_BIN/pg_ctl" status -D "$PGDATA" >/dev/null 2>&1 \
    && pg_isready -q -h 127.0.0.1 -p "$PG_PORT"
}
redis_running() { [[ "$(redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]; }

wait_for() {  # wait_for NAME CMD... : poll CMD until it succeeds or TIMEOUT runs out
  local name=$1; shift
  for ((i = 0; i < TIMEOUT * 5; i++)); do "$@" >/dev/null 2>&1 && return 0; sleep 0.2; done
  echo "services.sh: $name did not come up within ${TIMEOUT}s" >&2
  return 1
}

start_pg() {
  if pg_running; then echo "postgres: already running on 127.0.0.1:$PG_PORT"; return; fi
  [[ -x $QJ_PG_BIN/initdb ]] || { echo "services.sh: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; }
  rm -rf "$PG_DIR"   # left over from a crash: throwaway data, start clean
  mkdir -p "$PG_DIR"
  if [[ $EUID -eq 0 ]]; then chown postgres: "$PG_DIR"; fi
  as_pg "$QJ_PG_BIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$BASE/initdb.log" 2>&1 \
    || { cat "$BASE/initdb.log" >&2; exit 1; }
  # Speed over durability: the data is thrown away anyway. Socket in the data dir so we need no /var/run.
  cat >>"$PGDATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PGDATA'
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
  as_pg "$QJ_PG_BIN/pg_ctl" start -D "$PGDATA" -l "$PG_DIR/postgres.log" -w -t "$TIMEOUT" >/dev/null \
    || { tail -n 20 "$PG_DIR/postgres.log" >&2; exit 1; }
  wait_for postgres pg_isready -q -h 127.0.0.1 -p "$PG_PORT"
  psql -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres >/dev/null <<'SQL'
CREATE ROLE qianjiang LOGIN SUPERUSER PASSWORD 'qianjiang';  -- superuser: pytest-django creates test_qianjiang
CREATE DATABASE qianjiang OWNER qianjiang;
SQL
  echo "postgres: started on 127.0.0.1:$PG_PORT (log $PG_DIR/postgres.log)"
}

start_redis() {
  if redis_running; then echo "redis: already running on 127.0.0.1:$REDIS_PORT"; return; fi
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes \
    --pidfile "$BASE/redis.pid" --logfile "$BASE/redis.log" --dir "$BASE" \
    --save '' --appendonly no
  wait_for redis redis_running || { tail -n 20 "$BASE/redis.log" >&2; exit 1; }
  echo "redis: started on 127.0.0.1:$REDIS_PORT (log $BASE/redis.log)"
}

stop_all() {
  # Best effort: whatever happens, the directory goes, so the next `start` begins clean.
  if [[ -f $PGDATA/postmaster.pid ]]; then
    if as_pg "$QJ_PG_BIN/pg_ctl" stop -D "$PGDATA" -m fast -w -t "$TIMEOUT" >/dev/null 2>&1; then echo "postgres: stopped"
    else echo "services.sh: postgres did not stop cleanly" >&2; fi
  fi
  if [[ -f $BASE/redis.pid ]] && kill -0 "$(cat "$BASE/redis.pid")" 2>/dev/null; then
    local pid; pid=$(cat "$BASE/redis.pid")
    kill "$pid"
    for ((i = 0; i < TIMEOUT * 5; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    echo "redis: stopped"
  fi
  rm -rf "$BASE"
}

case ${1:-} in
  start)
    mkdir -p "$BASE" && chmod 755 "$BASE"   # postgres user must be able to reach $BASE/pg
    start_pg
    start_redis
    ;;
  stop) stop_all ;;
  status)
    pg_running && echo "postgres: running" || echo "postgres: stopped"
    redis_running && echo "redis: running" || echo "redis: stopped"
    ;;
  env)
    echo "export DATABASE_URL=$DATABASE_URL"
    echo "export REDIS_URL=$REDIS_URL"
    # The binaries of the cluster above: the backup tests run its own pg_dump/pg_restore, initdb, pg_ctl.
    echo "export QJ_PG_BIN=$QJ_PG_BIN"
    ;;
  *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
