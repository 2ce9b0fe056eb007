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
.venvs/actions/bin/python -m pytest tests/knowledge tests/actions tests/progress tests/integration
.venvs/rasa/bin/python -m pytest tests/channels -p no:cacheprovider
