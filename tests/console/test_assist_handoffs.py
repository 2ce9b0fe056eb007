"""Handed-off conversations from Rasa's tracker store: list, transcript, taking one."""
from __future__ import annotations

from urllib.parse import quote

import pytest

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def test_only_handed_off_conversations_are_listed_with_channel_and_reason(console, sessions):
    http, _csrf = sessions["agent"]
    data = await (await http.get(console.url("/api/handoffs"))).json()
    by_sender = {h["sender_id"]: h for h in data["handoffs"]}
    assert set(by_sender) >= {"wx-openid-handoff-1", "app-user-complaint-2"}
    assert "rest-ordinary-3" not in by_sender
    wechat = by_sender["wx-openid-handoff-1"]
    assert (wechat["channel"], wechat["reason"], wechat["messages"]) == ("wechat", "user_request", 2)
    assert wechat["last_user_text"] == "我要找人工"
    assert by_sender["app-user-complaint-2"]["channel"] == "app"


async def test_transcript_shows_both_sides_in_order(console, sessions):
    http, _csrf = sessions["agent"]
    data = await (await http.get(console.url("/api/handoffs/wx-openid-handoff-1"))).json()
    assert [(m["sender"], m["text"][:4]) for m in data["transcript"]] == [
        ("user", "开饭店要"), ("bot", "【食品经"), ("user", "我要找人"), ("bot", "好的，正")]
    assert data["transcript"][-1]["handoff"] == "user_request"
    page = await (await http.get(console.url("/handoffs/wx-openid-handoff-1"))).text()
    assert "我要找人工" in page and "接手此会话" in page
    assert (await http.get(console.url("/api/handoffs/rest-ordinary-3"))).status == 404


async def test_taking_a_conversation_records_who_and_blocks_others(private_console):
    agent, agent_csrf = await private_console.login("agent")
    editor, editor_csrf = await private_console.login("editor")
    async with agent, editor:
        url = private_console.url(f"/api/handoffs/{quote('app-user-complaint-2')}/take")
        assert (await agent.post(url)).status == 403  # no CSRF token
        response = await agent.post(url, headers={"X-CSRF-Token": agent_csrf})
        assert response.status == 200 and (await response.json())["taken_by"] == "agent"
        assert (await agent.post(url, headers={"X-CSRF-Token": agent_csrf})).status == 200  # idempotent
        response = await editor.post(url, headers={"X-CSRF-Token": editor_csrf})
        assert response.status == 409 and "agent" in (await response.json())["error"]["message"]
        listed = await (await editor.get(private_console.url("/api/handoffs"))).json()
        taken = {h["sender_id"]: h["taken_by"] for h in listed["handoffs"]}
        assert taken["app-user-complaint-2"] == "agent" and taken["wx-openid-handoff-1"] is None
        # Open conversations are listed before taken ones.
        assert listed["handoffs"][-1]["sender_id"] == "app-user-complaint-2"


async def test_a_missing_tracker_store_is_an_empty_list(private_console, tmp_path):
    from console.conversations import HandoffReader
    from console.appkeys import CATALOG_SESSIONS

    reader = HandoffReader(f"sqlite:///{tmp_path / 'not-yet.db'}", private_console.app[CATALOG_SESSIONS])
    assert reader.list() == [] and reader.conversation("x") is None
    assert not (tmp_path / "not-yet.db").exists()  # reading never creates Rasa's file
