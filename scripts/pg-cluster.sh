#!/usr/bin/env bash
# Starts a PostgreSQL cluster for the tests on a local port and prints its URL (the last line of output).
# Safe to repeat; works as root (the cluster runs as the postgres user) or with sudo. Installs Debian's
# postgresql package when it is missing. PG_TEST_PORT (default 5433) and PG_TEST_CLUSTER (default hvs) choose
# the port and the cluster name, so the machine's own cluster on 5432 is never touched.
set -euo pipefail
PORT="${PG_TEST_PORT:-5433}"
NAME="${PG_TEST_CLUSTER:-hvs}"
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "Installing Debian postgresql for the tests on PostgreSQL…" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi
VERSION="$(ls /usr/lib/postgresql | sort -V | tail -1)"

if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$VERSION $NAME"; then
  # Trust on the loopback only: a throwaway cluster for tests, reachable from this machine alone.
  $SUDO pg_createcluster "$VERSION" "$NAME" -p "$PORT" -- --auth-local=trust --auth-host=trust >/dev/null
  # Tests create and drop many small databases; durability does not matter for a test cluster.
  cat <<CONF | $SUDO tee "/etc/postgresql/$VERSION/$NAME/conf.d/tests.conf" >/dev/null
listen_addresses = '127.0.0.1'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 300
shared_buffers = 256MB
CONF
fi
PORT="$(pg_lsclusters -h | awk -v v="$VERSION" -v n="$NAME" '$1==v && $2==n {print $3}')"
if ! pg_lsclusters -h | awk -v v="$VERSION" -v n="$NAME" '$1==v && $2==n {print $4}' | grep -q online; then
  $SUDO pg_ctlcluster "$VERSION" "$NAME" start
fi
ROLE_SQL="do \$\$ begin if not exists (select from pg_roles where rolname = 'hvs') then create role hvs login superuser password 'hvs'; end if; end \$\$;"
if [ "$(id -u)" -eq 0 ]; then
  runuser -u postgres -- psql -q -h 127.0.0.1 -p "$PORT" -d postgres -c "$ROLE_SQL" >/dev/null
else
  sudo -u postgres psql -q -h 127.0.0.1 -p "$PORT" -d postgres -c "$ROLE_SQL" >/dev/null
fi
echo "postgres://hvs:hvs@127.0.0.1:$PORT/postgres"
