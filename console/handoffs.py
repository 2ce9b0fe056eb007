"""Handed-off conversations for agents: the list, a transcript, and taking one."""
from __future__ import annotations

import asyncio
from typing import AsyncIterator
from urllib.parse import quote

from aiohttp import web

from console.appkeys import CATALOG_SESSIONS, SETTINGS
from console.auth import current_user, require_role
from console.conversations import ClaimConflict, Handoff, HandoffReader
from console.errors import ConsoleError, json_response, wants_json
from console.templating import render
from console.messages import message

ROLES = ("agent", "editor", "admin")
READER = web.AppKey("handoff_reader", HandoffReader)


def _json(handoff: Handoff, transcript: bool = False) -> dict:
    data = {"sender_id": handoff.sender_id, "channel": handoff.channel, "reason": handoff.reason,
            "handed_off_at": handoff.handed_off_at.isoformat(timespec="seconds"),
            "last_user_text": handoff.last_user_text, "messages": handoff.messages, "taken_by": handoff.taken_by,
            "taken_at": handoff.taken_at.isoformat(timespec="seconds") if handoff.taken_at else None}
    if transcript:
        data["transcript"] = [{"sender": m.sender, "text": m.text, "at": m.at.isoformat(timespec="seconds"),
                               "intent": m.intent, "handoff": m.handoff} for m in handoff.transcript]
    return data


async def _conversation(request: web.Request) -> Handoff:
    sender_id = request.match_info["sender_id"]
    handoff = await asyncio.to_thread(request.app[READER].conversation, sender_id)
    if handoff is None:
        raise ConsoleError(404, "not_handed_off", message("api.no_handoff"))
    return handoff


@require_role(*ROLES)
async def list_page(request: web.Request) -> web.Response:
    handoffs = await asyncio.to_thread(request.app[READER].list)
    return render(request, "handoffs.html", handoffs=handoffs, quote=quote)


@require_role(*ROLES)
async def api_list(request: web.Request) -> web.Response:
    handoffs = await asyncio.to_thread(request.app[READER].list)
    return json_response({"handoffs": [_json(h) for h in handoffs]})


@require_role(*ROLES)
async def transcript_page(request: web.Request) -> web.Response:
    return render(request, "handoff.html", handoff=await _conversation(request), quote=quote)


@require_role(*ROLES)
async def api_conversation(request: web.Request) -> web.Response:
    return json_response(_json(await _conversation(request), transcript=True))


@require_role(*ROLES)
async def take(request: web.Request) -> web.StreamResponse:
    handoff = await _conversation(request)
    user = current_user(request)
    try:
        await asyncio.to_thread(request.app[READER].take, handoff.sender_id, user.username, request.app[SETTINGS].now())
    except ClaimConflict as conflict:
        raise ConsoleError(409, "already_taken", message("api.already_taken", agent=conflict.taken_by)) from None
    if wants_json(request):
        return json_response({"sender_id": handoff.sender_id, "taken_by": user.username})
    raise web.HTTPFound(f"/handoffs/{quote(handoff.sender_id, safe='')}")


async def _reader(app: web.Application) -> AsyncIterator[None]:
    app[READER] = HandoffReader(app[SETTINGS].tracker_url, app[CATALOG_SESSIONS])
    yield
    app[READER].close()


def setup(app: web.Application) -> None:
    app.cleanup_ctx.append(_reader)
    app.router.add_get("/handoffs", list_page)
    app.router.add_get("/api/handoffs", api_list)
    app.router.add_post("/api/handoffs/{sender_id:.+}/take", take)
    app.router.add_get("/api/handoffs/{sender_id:.+}", api_conversation)
    app.router.add_post("/handoffs/{sender_id:.+}/take", take)
    app.router.add_get("/handoffs/{sender_id:.+}", transcript_page)
