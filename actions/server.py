"""The action server: rasa_sdk's app plus readiness, metrics and JSON logs.

    python -m actions.server --port 5055 [--host 127.0.0.1] [--reuse-port]

Built on rasa_sdk.endpoint.create_app (the same /webhook, /health and /actions), it adds
/ready (the catalog database answers and the search index is loaded), /metrics
(monitoring.metrics and actions.metrics), request counting and timing, JSON logs with
personal data masked (monitoring.logs), and an error answer that never echoes the request
(rasa_sdk's own returns the whole tracker in its 500 body).

--reuse-port lets several of these processes bind one port (SO_REUSEPORT, Linux): the
kernel spreads connections between them, so Rasa's single action URL reaches them all.
Set PROMETHEUS_MULTIPROC_DIR to one empty directory for all of them and /metrics on any
of them reports the sum.
"""
from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import os
import socket
import sys

from answers.templates import say
from monitoring import logs
from monitoring.sanic_ops import install_middleware, ops_blueprint

logger = logging.getLogger("actions.server")  # also when run as __main__
SERVICE = "actions"


def _on_request(request) -> None:
    if request.path == "/webhook" and request.method == "POST":
        call = _action_call(request)
        request.ctx.yuban_action = call.get("next_action") if isinstance(call, dict) else None
        logs.set_conversation(call.get("sender_id") if isinstance(call, dict) else None)


def _action_call(request) -> object:
    """The webhook's body as rasa_sdk reads it, parsed once: Sanic keeps `request.json`, which
    rasa_sdk's webhook reads again. A deflated body (Rasa's COMPRESS_ACTION_SERVER_REQUEST)
    is left to rasa_sdk, which inflates it itself: {} here (the action and sender unknown)."""
    if request.headers.get("Content-Encoding") == "deflate" or not request.body:
        return {}
    try:
        return request.json
    except Exception:  # noqa: BLE001 — Sanic's BadRequest; rasa_sdk's own read answers it
        return {}


def _on_response(request, result) -> None:
    if request.path == "/webhook" and request.method == "POST":
        from actions.metrics import record_action

        record_action(getattr(request.ctx, "yuban_action", None), getattr(result, "status", 500),
                      getattr(result, "body", None))


async def _catalog_reachable() -> None:
    from actions.deps import default_catalog

    catalog = default_catalog()
    await asyncio.to_thread(catalog.store.version)


async def _search_index_loaded() -> None:
    from actions.deps import default_catalog

    await asyncio.to_thread(default_catalog().engine)


def freeze_long_lived() -> None:
    """Leave what is loaded now (the search index, the modules: about 350,000 objects) out of
    every later garbage collection. Each full collection otherwise walks all of them (about
    0.3 s on this machine, once in a hundred-turn conversation: a stall of the message that
    triggers it; docs/performance.md). Frozen objects are still freed by reference counting,
    but a cycle among them would stay, so when a catalog change rebuilds the index the heap
    is unfrozen, collected (the replaced index goes) and frozen again: `refreeze`."""
    gc.collect()
    gc.freeze()


def refreeze() -> None:
    """After the index was rebuilt: free what the old one held, then freeze the new one."""
    gc.unfreeze()
    freeze_long_lived()


async def load_search_index() -> None:
    """The server's warm-up: the search index, then everything loaded so far frozen, and
    frozen again whenever the catalog's index is rebuilt."""
    from actions.deps import default_catalog

    try:
        await _search_index_loaded()
    except Exception:  # noqa: BLE001 — /ready reports it; the server stays up
        logger.exception("action server: the search index could not be loaded yet")
        return
    listeners = getattr(default_catalog(), "on_rebuild", None)
    if listeners is not None and refreeze not in listeners:
        listeners.append(refreeze)
    freeze_long_lived()


READINESS = {"catalog": _catalog_reachable, "search_index": _search_index_loaded}


def create_app(action_package: str = "actions"):
    from rasa_sdk.endpoint import create_app as create_sdk_app
    from sanic import response

    app = create_sdk_app(action_package)
    install_middleware(app, SERVICE, on_request=_on_request, on_response=_on_response)
    app.blueprint(ops_blueprint("yuban_ops", SERVICE, READINESS, with_health=False))

    async def failed(request, exception: Exception):
        logger.error("action server: %s on %s %s", type(exception).__name__, request.method, request.path,
                     exc_info=exception)
        return response.json({"error": say("action_server.internal_error"), "code": "internal"}, status=500)

    app.error_handler.add(Exception, failed)

    async def warm_up(_app, _loop) -> None:
        # Load the search index in the background so the first question is not the slow one;
        # /ready says "not ready" until it is loaded.
        _app.ctx.yuban_warm_up = asyncio.ensure_future(load_search_index())

    app.register_listener(warm_up, "after_server_start")
    return app


def reuse_port_socket(host: str, port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="actions.server", description=say("action_server.description"))
    parser.add_argument("--host", default=os.environ.get("SANIC_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=5055)
    parser.add_argument("--actions", default="actions", help=say("action_server.actions_help"))
    parser.add_argument("--reuse-port", action="store_true",
                        help=say("action_server.reuse_port_help"))
    args = parser.parse_args(argv)
    logs.configure(SERVICE)
    try:
        app = create_app(args.actions)
    except Exception as error:  # noqa: BLE001 — an action module that does not import
        print(say("action_server.cannot_load", kind=type(error).__name__, error=error), file=sys.stderr)
        return 1
    try:
        if args.reuse_port:
            sock = reuse_port_socket(args.host, args.port)
            app.run(sock=sock, access_log=False, workers=1)
        else:
            app.run(args.host, args.port, access_log=False, workers=1)
    except OSError as error:
        print(say("action_server.cannot_listen", host=args.host, port=args.port, error=error), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
