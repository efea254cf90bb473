#!/usr/bin/env bash
# CI only (.ci/run): Debian's PostgreSQL server for the Postgres source's tests, so that what PGlite
# cannot show (statement_timeout, READ ONLY, SQLSTATE codes as the real server raises them) is
# tested as it behaves behind Hyperdrive. Installs it when missing (Debian, as root), starts a
# throwaway cluster as the postgres user on a free port under a temporary directory, and prints the
# connection string. `scripts/ci-postgres.sh stop <dir>` stops it.
set -euo pipefail
if [ "${1:-}" = "stop" ]; then
  su postgres -s /bin/sh -c "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/pg_ctl -D '$2/data' -m immediate stop" >/dev/null
  exit 0
fi
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq postgresql >&2
fi
BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
DIR="$(mktemp -d /tmp/ci-postgres.XXXXXX)"
chown postgres "$DIR"
# A free port: ask the kernel for one.
PORT="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
PASSWORD="ci-$(node -e 'console.log(require("crypto").randomBytes(12).toString("hex"))')"
echo "$PASSWORD" >"$DIR/pw" && chown postgres "$DIR/pw"
su postgres -s /bin/sh -c "'$BIN/initdb' -D '$DIR/data' -U postgres --pwfile='$DIR/pw' -A scram-sha-256 >'$DIR/initdb.log'"
su postgres -s /bin/sh -c "'$BIN/pg_ctl' -D '$DIR/data' -l '$DIR/server.log' -w -o \"-p $PORT -k '$DIR' -c listen_addresses=127.0.0.1\" start >/dev/null"
echo "DIR='$DIR'"
echo "URL='postgresql://postgres:$PASSWORD@127.0.0.1:$PORT/postgres?sslmode=disable'"
