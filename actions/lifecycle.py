"""Closing what the actions opened (the progress client's session) when the server stops.

rasa_sdk 3.6 has no shutdown hook for action packages; its Sanic app exists before the
package is imported, so a `before_server_stop` listener is attached to it here. Outside
the action server (tests, scripts) there is no such app and nothing is attached.
"""
from __future__ import annotations


def attach_to_action_server() -> bool:
    try:
        from sanic import Sanic

        app = Sanic.get_app("rasa_sdk")
    except Exception:  # noqa: BLE001 — no running action server in this process
        return False

    async def close_clients(_app, _loop) -> None:
        from actions.progress_client import close_default_client

        await close_default_client()

    app.register_listener(close_clients, "before_server_stop")
    return True
