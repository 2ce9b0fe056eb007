#!/usr/bin/env bash
# `make bench`: benchmarks that print figures (search, import, REST channel vs a plain bot).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/prepare.sh"
.venvs/actions/bin/python -m bench.search_bench
.venvs/actions/bin/python -m bench.rest_bench
.venvs/actions/bin/python -m bench.progress_bench
.venvs/rasa/bin/python -m bench.wechat_bench
