#!/usr/bin/env bash
# `make test`: build both environments, the jieba dictionary and the model when they
# changed, then run every test with pytest: unit tests of knowledge and actions, then the
# integration tests that start the action server and Rasa (REST channel), run the
# end-to-end conversation stories, the NLU cross-validation and the evaluations.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
scripts/ensure_env.sh actions
scripts/ensure_env.sh rasa
export PYTHONPATH="$root" RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2
./yuban nlu dict
./yuban train
exec .venvs/actions/bin/python -m pytest "${@:-tests}"
