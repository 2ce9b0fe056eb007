"""End to end: a conversation through Rasa's REST channel hands off, and the console lists it.

`make run`'s Stack starts the progress service, the action server, the console and Rasa
(ports: YUBAN_TEST_PORT_OFFSET, default 300: Rasa 5405, actions 5455, progress 8500, console
8312) on a private catalog and private conversation files. Nothing is imitated: the
assistant decides to hand off, Rasa's tracker store keeps the conversation, the console
reads it.
"""
from __future__ import annotations

import asyncio
import os
import re
import shutil
import uuid
from pathlib import Path

import aiohttp
import pytest

from tooling import services
from tooling.cli.rest_client import RestClient
from tests.console.conftest import PASSWORD

pytestmark = pytest.mark.integration

OFFSET = int(os.environ.get("YUBAN_TEST_PORT_OFFSET", "300"))
RASA_PORT, ACTIONS_PORT, PROGRESS_PORT = 5105 + OFFSET, 5155 + OFFSET, 8200 + OFFSET
CONSOLE_PORT = 8012 + OFFSET


@pytest.fixture(scope="module")
def live_stack(pristine_catalog, tmp_path_factory):
    if not services.MODEL.exists():
        pytest.fail("no trained model: run `make test` (it trains) or `./yuban train`")
    folder = tmp_path_factory.mktemp("live-handoff")
    for suffix in ("", "-wal", "-shm"):
        source = Path(str(pristine_catalog) + suffix)
        if source.exists():
            shutil.copy(source, str(folder / "catalog.db") + suffix)
    from progress_service.seed import seed_url

    progress_url = f"sqlite:///{folder / 'progress.db'}"
    seed_url(progress_url)
    stack = services.Stack(rasa_port=RASA_PORT, actions_port=ACTIONS_PORT, progress_port=PROGRESS_PORT,
                           console_port=CONSOLE_PORT, log_dir=folder / "log",
                           extra_env={"YUBAN_DATABASE_URL": f"sqlite:///{folder / 'catalog.db'}",
                                      "YUBAN_PROGRESS_DATABASE_URL": progress_url,
                                      "YUBAN_TRACKER_DB": str(folder / "conversations.db"),
                                      "YUBAN_EVENTS_DB": str(folder / "events.db")})
    stack.start(log=lambda *_: None)
    yield stack
    stack.stop()


def test_a_rest_conversation_that_asks_for_a_person_is_listed_with_its_transcript(live_stack):
    sender = f"live-{uuid.uuid4().hex[:8]}"
    rest = RestClient(f"http://127.0.0.1:{RASA_PORT}")
    rest.send(sender, "开公司要什么材料")
    replies = rest.send(sender, "转人工")
    stored = f"rest:{sender}"  # the guarded REST input keeps a caller's sender under rest:
    assert any((m.get("custom") or {}).get("type") == "handoff" for m in replies), replies

    async def read() -> tuple[dict, dict]:
        base = f"http://127.0.0.1:{CONSOLE_PORT}"
        async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
            page = await (await http.get(f"{base}/login")).text()
            token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
            await http.post(f"{base}/login", data={"csrf_token": token, "username": "agent", "password": PASSWORD})
            listed = await (await http.get(f"{base}/api/handoffs")).json()
            conversation = await (await http.get(f"{base}/api/handoffs/{stored}")).json()
            return listed, conversation

    listed, conversation = asyncio.run(read())
    entry = next(h for h in listed["handoffs"] if h["sender_id"] == stored)
    assert (entry["channel"], entry["reason"], entry["messages"]) == ("rest", "user_request", 2)
    texts = [(m["sender"], m["text"]) for m in conversation["transcript"]]
    assert texts[0] == ("user", "开公司要什么材料") and ("user", "转人工") in texts
    assert any(sender_ == "bot" and "有限责任公司" in text for sender_, text in texts)
    assert conversation["transcript"][-1]["handoff"] == "user_request"
