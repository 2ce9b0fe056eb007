"""Channel tests run in the Rasa environment (.venvs/rasa), where the channels live:

    .venvs/rasa/bin/python -m pytest tests/channels -p no:cacheprovider

Elsewhere (e.g. the actions environment) collecting them is an error, not zero tests:
a missing package must not turn the suite green by collecting nothing. The fixtures are
registered in tests/conftest.py.
"""
from __future__ import annotations

import importlib.util

import pytest

from tests.conftest import RASA_ENVIRONMENT

_MISSING = [name for name in RASA_ENVIRONMENT if importlib.util.find_spec(name) is None]
if _MISSING:
    raise pytest.UsageError(f"tests/channels needs the Rasa environment; missing here: {', '.join(_MISSING)}. "
                            "Run: .venvs/rasa/bin/python -m pytest tests/channels -p no:cacheprovider")
