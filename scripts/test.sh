#!/usr/bin/env bash
# `make test`: build both environments, the jieba dictionary and the model when they
# changed, then run every test with pytest: unit tests of knowledge, actions and the
# progress service, then the integration tests that start the progress service, the
# action server and Rasa (REST channel), run the end-to-end conversation stories, the
# NLU report and the evaluations. Channel tests run in the Rasa environment, where the
# channels live. Arguments are passed to the first pytest run.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/prepare.sh"
./yuban train
if [ $# -gt 0 ]; then
  exec .venvs/actions/bin/python -m pytest "$@"
fi
# Fast unit tests first, then the suites that start processes (integration: one stack on the
# embedded profile; console: the web console in headless Chromium; production: several Rasa
# and action-server processes on PostgreSQL and Redis, and the fault tests).
suites=()
for suite in knowledge answers actions progress ops console integration production; do
  [ -d "tests/$suite" ] && suites+=("tests/$suite")
done
.venvs/actions/bin/python -m pytest "${suites[@]}"
.venvs/rasa/bin/python -m pytest tests/channels -p no:cacheprovider
