#!/usr/bin/env bash
# `make test`: build both environments, the jieba dictionary and the model when they
# changed, then run every test with pytest: unit tests of knowledge and actions, then the
# integration tests that start the action server and Rasa (REST channel), run the
# end-to-end conversation stories, the NLU report and the evaluations.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/prepare.sh"
./yuban train
exec .venvs/actions/bin/python -m pytest "${@:-tests}"
