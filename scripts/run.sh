#!/usr/bin/env bash
# Runs Partnering on its embedded default: SQLite in ./data, the sample event of
# config/event.yaml, demo registrations and requests. Open the printed address.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-dependencies.sh run
swift build --product partnering
binary="$(swift build --show-bin-path)/partnering"
data_dir="${PARTNERING_DATA_DIR:-data}"
if [ ! -e "$data_dir/partnering.sqlite" ]; then
    "$binary" demo
fi
exec "$binary" serve "$@"
