#!/usr/bin/env bash
# `make bench`: benchmarks that print figures (search, import, REST channel vs a plain bot).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/prepare.sh"
.venvs/actions/bin/python -m bench.search_bench
# REST: ours against a plain `rasa init` bot in one run (single user, long conversation, saturation,
# think time, CPU per message, memory, start and training times; docs/performance.md)
.venvs/actions/bin/python -m bench.rest_bench --train
# Rasa-side costs per turn at 5/50/500 turns (conversation store, broker) and of response validation
.venvs/rasa/bin/python -m bench.tracker_bench
.venvs/actions/bin/python -m bench.progress_bench
# progress reminders: advance → WeChat message / app callback with real progress and notifier processes
.venvs/actions/bin/python -m bench.reminders_bench
# cost of masking, JSON logs, the tracker store's protect/reveal and request metrics (docs/operations.md)
.venvs/actions/bin/python -m bench.ops_bench
.venvs/actions/bin/python -m bench.geo_bench
.venvs/rasa/bin/python -m bench.wechat_bench
# rendering cost of a guide reply with its card and of the console's full guide (answers/)
.venvs/actions/bin/python -m bench.answers_bench
# console agent assist: GET /api/assist/search p50/p95 at 1 and 20 concurrent agents
.venvs/actions/bin/python -m bench.assist_bench
# console analytics: ingestion from the event broker table and the dashboard/queue queries
.venvs/actions/bin/python -m bench.analytics_bench
# production profile (2 Rasa + 2 action servers, PostgreSQL, Redis) vs the embedded profile; ~12 minutes
.venvs/actions/bin/python -m bench.load_bench
