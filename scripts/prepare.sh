#!/usr/bin/env bash
# Shared start of `make test` and `make bench`: both environments and the jieba dictionary.
# Source it from a script in scripts/; it leaves the shell in the repository root.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/ensure_browser.sh
scripts/ensure_env.sh actions
scripts/ensure_env.sh rasa
export PYTHONPATH="$root" RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2
./yuban nlu dict
