#!/usr/bin/env bash
# The whole test suite, as README.md documents it and .ci/run calls it:
# installs what is missing, checks formatting, builds, starts a throw-away
# PostgreSQL server, runs every Swift test (SQLite and PostgreSQL) and the
# end-to-end tests (command line, checker, real browser), then stops the server.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-dependencies.sh test

echo "== Formatting (swift format lint)"
lint_output=$(swift format lint --recursive Package.swift Sources Tests 2>&1 || true)
if [ -n "$lint_output" ]; then
    printf '%s\n' "$lint_output" | head -40
    echo "swift format lint found issues: run 'swift format -i -r Sources Tests'" >&2
    exit 1
fi

echo "== Build"
swift build --build-tests

echo "== Tests (Swift, with a throw-away PostgreSQL server), then end-to-end tests"
# Both suites run even when the first fails, so that one run shows every failure.
scripts/with-postgres.sh bash -c '
    status=0
    swift test --skip-build || status=$?
    python3 -m pytest -q Tests/EndToEnd || status=$?
    scripts/fuzz.sh 15 || status=$?
    exit $status
'
