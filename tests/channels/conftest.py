"""Channel tests run in the Rasa environment (.venvs/rasa); elsewhere (e.g. a pytest run
of the whole tree with the actions environment) they are not collected."""
from __future__ import annotations

import importlib.util

_NEEDED = ("rasa", "sanic", "wechatpy", "defusedxml", "hypothesis", "redis")

if all(importlib.util.find_spec(name) is not None for name in _NEEDED):
    from tests.channels.wechat_fixtures import *  # noqa: F401,F403 - the fixtures
else:
    collect_ignore_glob = ["test_*.py"]
