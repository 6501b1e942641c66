#!/usr/bin/env bash
# Runs a command beside a throw-away PostgreSQL server.
#
#   scripts/with-postgres.sh swift test --filter StorageTests
#
# Starts a fresh PostgreSQL cluster in a temporary folder on a free local port,
# exports PARTNERING_TEST_POSTGRES_URL=postgres://partnering@127.0.0.1:PORT/partnering_test
# for the command, then stops the server and removes the folder, whatever the
# command's outcome. Exits with the command's status.
#
# Needs PostgreSQL's server binaries (Debian: postgresql); when run as root the
# server runs as the `postgres` user, since PostgreSQL refuses to run as root.
# PARTNERING_POSTGRES_PORT chooses the port instead of the first free one from 54329.
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 COMMAND [ARGUMENT...]" >&2
    exit 2
fi

bindir="${PARTNERING_POSTGRES_BINDIR:-}"
if [ -z "$bindir" ] && command -v pg_config >/dev/null 2>&1; then
    bindir="$(pg_config --bindir)"
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    # pg_config may come from libpq-dev alone; look for an installed server.
    bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    echo "with-postgres: PostgreSQL server binaries not found (install the Debian package postgresql)" >&2
    exit 1
fi

port_is_free() {
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

workdir="$(mktemp -d "${TMPDIR:-/tmp}/partnering-pg.XXXXXX")"
as_server_user=()
if [ "$(id -u)" -eq 0 ]; then
    chown postgres:postgres "$workdir"
    as_server_user=(runuser -u postgres --)
fi

stop_server() {
    if [ -f "$workdir/data/postmaster.pid" ]; then
        "${as_server_user[@]}" "$bindir/pg_ctl" -D "$workdir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$workdir"
}
trap stop_server EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"${as_server_user[@]}" "$bindir/initdb" -D "$workdir/data" -A trust -U partnering \
    --encoding=UTF8 --locale=C.UTF-8 >"$workdir/initdb.log" 2>&1 || {
    cat "$workdir/initdb.log" >&2
    exit 1
}
# fsync off: a throw-away server for tests needs no durability, only speed. Many
# connections: the Swift tests open a store per test case, all at once, and on a loaded
# machine they overlap longer (200 ran out: "sorry, too many clients already").
start_server() {
    "${as_server_user[@]}" "$bindir/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" \
        -o "-p $1 -k $workdir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=600" \
        -w start >/dev/null 2>"$workdir/pg_ctl.log"
}
port="${PARTNERING_POSTGRES_PORT:-}"
if [ -n "$port" ]; then
    start_server "$port" || {
        cat "$workdir/pg_ctl.log" "$workdir/server.log" >&2
        exit 1
    }
else
    # The first free port from 54329. Another run on this machine may take the same
    # port between the check and the server's bind: then the next free one.
    for candidate in $(seq 54329 54429); do
        port_is_free "$candidate" || continue
        if start_server "$candidate"; then
            port="$candidate"
            break
        fi
        if ! grep -q "Address already in use" "$workdir/server.log"; then
            cat "$workdir/pg_ctl.log" "$workdir/server.log" >&2
            exit 1
        fi
        echo "with-postgres: port $candidate was taken meanwhile, trying the next" >&2
        : >"$workdir/server.log"
    done
    if [ -z "$port" ]; then
        echo "with-postgres: no free port between 54329 and 54429" >&2
        exit 1
    fi
fi
"$bindir/createdb" -h 127.0.0.1 -p "$port" -U partnering partnering_test

export PARTNERING_TEST_POSTGRES_URL="postgres://partnering@127.0.0.1:$port/partnering_test"
echo "with-postgres: PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port" >&2

status=0
"$@" || status=$?
if [ "$status" -ne 0 ] && grep -qE "FATAL|PANIC" "$workdir/server.log" 2>/dev/null; then
    # What the server refused (too many clients, timeouts...), for the failed run's log.
    echo "with-postgres: the server's FATAL lines, by count:" >&2
    grep -E "FATAL|PANIC" "$workdir/server.log" | sed -E 's/^[0-9-]+ [0-9:.]+ [A-Z]+ \[[0-9]+\] //' |
        sort | uniq -c | sort -rn | head -20 >&2
fi
exit "$status"
