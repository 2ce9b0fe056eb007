#!/usr/bin/env bash
# `make test`: build both environments, the jieba dictionary and the model when they
# changed, lint (ruff, zero findings), then run every suite pytest.ini names: unit tests
# of core, tooling, knowledge, actions and the progress service, then the suites that
# start processes (the end-to-end conversation stories, the NLU report and the
# evaluations among them). Channel tests run in the Rasa environment, where the channels
# live. Arguments are passed to the first pytest run. Under CI=true a service or browser
# that cannot be started fails the tests instead of skipping them (tests/strict.py).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/prepare.sh"
.venvs/actions/bin/ruff check .
./yuban train
if [ $# -gt 0 ]; then
  exec .venvs/actions/bin/python -m pytest "$@"
fi
# Fast unit tests first, then the suites that start processes (integration: one stack on the
# embedded profile; console: the web console in headless Chromium; production: several Rasa
# and action-server processes on PostgreSQL and Redis, and the fault tests).
# Every suite of pytest.ini's testpaths, in that order; a missing folder is an error.
read -r -a suites <<<"$(sed -n 's/^testpaths *= *//p' pytest.ini)"
actions_suites=()
for suite in "${suites[@]}"; do
  [ -d "$suite" ] || { echo "test.sh: pytest.ini names $suite, which does not exist" >&2; exit 2; }
  [ "$suite" = tests/channels ] || actions_suites+=("$suite")
done
.venvs/actions/bin/python -m pytest "${actions_suites[@]}"
.venvs/rasa/bin/python -m pytest tests/channels -p no:cacheprovider
