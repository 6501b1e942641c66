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
# The libFuzzer targets build in their own scratch folder (a few CPU-minutes) while the
# Swift tests run, which leave a core idle much of the time; `scripts/fuzz.sh 15` below
# waits for that build (SwiftPM's lock), finds it done, and prints its errors if it failed.
nice -n 5 scripts/fuzz.sh build >/dev/null 2>&1 &
fuzz_build=$!
# Both suites run even when the first fails, so that one run shows every failure.
status=0
# At most 8 test cases at once: each opens stores and connections, and on a loaded 2-core
# machine hundreds at once starve one another (a store's 60 s wait for a PostgreSQL
# connection ran out once); at idle the suite takes the same time either way (65 s, 68 s).
scripts/with-postgres.sh bash -c '
    status=0
    SWT_EXPERIMENTAL_MAXIMUM_PARALLELIZATION_WIDTH=8 swift test --skip-build || status=$?
    # Three workers, each test file on one: most of these tests wait on servers, browsers
    # and kill -9 recoveries, so three share two cores well (half the time of one worker).
    python3 -m pytest -q -n 3 --dist loadfile Tests/EndToEnd || status=$?
    scripts/fuzz.sh 15 || status=$?
    exit $status
' || status=$?
wait "$fuzz_build" || true
exit $status
