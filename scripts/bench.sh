#!/usr/bin/env bash
# `make bench`: benchmarks that print figures (search, import, REST channel vs a plain bot).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/ensure_env.sh actions
scripts/ensure_env.sh rasa
export PYTHONPATH="$root" RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2
./yuban nlu dict
.venvs/actions/bin/python -m bench.search_bench
.venvs/actions/bin/python -m bench.rest_bench
