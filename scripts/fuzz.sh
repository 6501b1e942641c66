#!/usr/bin/env bash
# Builds the libFuzzer targets (Fuzz/, declared only when PARTNERING_FUZZ=1) in their own
# scratch folder and runs each for SECONDS seconds (default 20); prints the executions and
# the crashes of each, and fails on a crash. Longer runs: scripts/fuzz.sh 3600 (docs/fuzzing.md).
# `scripts/fuzz.sh build` only builds them (scripts/test.sh does it while the tests run).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"
targets=(FuzzScannedTicket FuzzProblemJSON FuzzEventYAML)

build_log="$(mktemp)"
for target in "${targets[@]}"; do
    if ! PARTNERING_FUZZ=1 swift build -Xswiftc -sanitize=fuzzer --scratch-path .build-fuzz --product "$target" \
        >"$build_log" 2>&1; then
        cat "$build_log" >&2
        exit 1
    fi
done
rm -f "$build_log"
if [ "$seconds" = build ]; then
    exit 0
fi
bin="$(PARTNERING_FUZZ=1 swift build --scratch-path .build-fuzz --show-bin-path 2>/dev/null)"
status=0
for target in "${targets[@]}"; do
    corpus=".build-fuzz/corpus/$target"
    mkdir -p "$corpus" ".build-fuzz/crashes"
    log="$(mktemp)"
    if "$bin/$target" -max_total_time="$seconds" -print_final_stats=1 \
        -artifact_prefix=".build-fuzz/crashes/$target-" "$corpus" >"$log" 2>&1; then
        crashes=0
    else
        crashes=1
        status=1
        tail -40 "$log" >&2
    fi
    executions="$(grep -o 'number_of_executed_units: [0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')"
    echo "libFuzzer $target: seconds=$seconds executions=$executions crashes=$crashes"
    rm -f "$log"
done
exit $status
