"""The Rasa server freezes its heap once the model is loaded (bot/ops/heap_freeze.py)."""
from __future__ import annotations

import asyncio
import gc

import pytest

from bot.ops import heap_freeze


@pytest.fixture
def installed():
    heap_freeze.install()
    yield
    heap_freeze.uninstall()
    gc.unfreeze()


def test_the_agent_is_loaded_by_rasa_s_listener_then_the_heap_is_frozen(installed, monkeypatch):
    import rasa.core.run as run

    calls = []

    async def rasa_load(model_path, endpoints, remote_storage, app, loop):
        calls.append((model_path, app))
        assert gc.get_freeze_count() == 0  # the freeze comes after the load, not before
        return "agent"

    monkeypatch.setattr(heap_freeze._patch, "original", rasa_load)
    gc.unfreeze()
    agent = asyncio.run(run.load_agent_on_start("models/yuban.tar.gz", None, None, "app", None))
    assert agent == "agent"
    assert calls == [("models/yuban.tar.gz", "app")]
    assert gc.get_freeze_count() > 0


def test_install_is_idempotent_and_uninstall_gives_rasa_s_own_back():
    import rasa.core.run as run

    own = run.load_agent_on_start
    heap_freeze.install()
    heap_freeze.install()
    assert run.load_agent_on_start is heap_freeze.load_agent_then_freeze
    assert heap_freeze._patch.original is own
    heap_freeze.uninstall()
    heap_freeze.uninstall()
    assert run.load_agent_on_start is own
