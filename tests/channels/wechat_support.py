"""Test doubles for the WeChat channel: WeChat's side of the webhook (requests signed and
encrypted with wechatpy), a fake bot, a fake WeChat API server, and a background event
loop that serves the real Sanic app on 127.0.0.1 while the tests act as WeChat."""
from __future__ import annotations

import asyncio
import itertools
import json
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Iterator

from aiohttp import web
from sanic import Sanic

TOKEN = "yubantoken"
APPID = "wx0123456789abcdef"
SECRET = "secret0123456789"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
ACCOUNT = "gh_0123456789ab"
OPENID = "oUser_0001"
WEBHOOK = "/webhooks/wechat/webhook"
_ids = itertools.count(1)


def unique(prefix: str = "id") -> str:
    return f"{prefix}{next(_ids)}{uuid.uuid4().hex[:8]}"


def listening_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    return sock


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class BackgroundLoop:
    """An event loop in a thread: the server side of the tests lives here."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="wechat-test-server", daemon=True)
        self.thread.start()

    def run(self, coroutine: Awaitable[Any], timeout: float = 30) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


class FakeBot:
    """Behaves like Rasa's agent.handle_message: records the message, waits, answers."""

    def __init__(self) -> None:
        self.calls: list[Any] = []
        self.delay = 0.0
        self.replies: list[dict[str, Any]] | None = None  # None: echo the text
        self.error: Exception | None = None

    async def __call__(self, message: Any) -> None:
        self.calls.append(message)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.error is not None:
            raise self.error
        replies = self.replies if self.replies is not None else [{"text": f"收到：{message.text}"}]
        for reply in replies:
            await message.output_channel.send_response(message.sender_id, dict(reply))

    @property
    def texts(self) -> list[str]:
        return [message.text for message in self.calls]


class FakeAgent:
    """What rasa.core.channels.channel.register expects at app.ctx.agent."""

    def __init__(self, bot: Callable[[Any], Awaitable[None]]) -> None:
        self.bot = bot

    async def handle_message(self, message: Any) -> None:
        await self.bot(message)


@dataclass
class FakeWeChatAPI:
    """WeChat's API server, as far as the channel uses it; records every call."""

    appid: str = APPID
    expires_in: int = 7200
    token_requests: list[dict[str, str]] = field(default_factory=list)
    sends: list[dict[str, Any]] = field(default_factory=list)
    valid_tokens: set[str] = field(default_factory=set)
    token_error: dict[str, Any] | None = None
    url: str = ""
    _runner: web.AppRunner | None = None

    @property
    def delivered(self) -> list[dict[str, Any]]:
        """Messages WeChat accepted (sent with a valid token)."""
        return [send for send in self.sends if send["accepted"]]

    def expire_tokens(self) -> None:
        self.valid_tokens.clear()

    async def _token(self, request: web.Request) -> web.Response:
        self.token_requests.append(dict(request.query))
        if self.token_error:
            return web.json_response(self.token_error)
        if request.query.get("appid") != self.appid or request.query.get("secret") != SECRET:
            return web.json_response({"errcode": 40125, "errmsg": "invalid appsecret"})
        token = f"TOKEN{len(self.token_requests)}"
        self.valid_tokens.add(token)
        return web.json_response({"access_token": token, "expires_in": self.expires_in})

    async def _send(self, request: web.Request) -> web.Response:
        token = request.query.get("access_token", "")
        payload = json.loads(await request.read())
        accepted = token in self.valid_tokens
        self.sends.append({"token": token, "payload": payload, "accepted": accepted, "at": time.monotonic()})
        if not accepted:
            return web.json_response({"errcode": 42001, "errmsg": "access_token expired"})
        return web.json_response({"errcode": 0, "errmsg": "ok"})

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/cgi-bin/token", self._token)
        app.router.add_post("/cgi-bin/message/custom/send", self._send)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        sock = listening_socket()
        await web.SockSite(self._runner, sock).start()
        self.url = "http://127.0.0.1:%d" % sock.getsockname()[1]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


class ServedApp:
    """The real Sanic app (Rasa's channel registration) served from the background loop."""

    def __init__(self, channel: Any, bot: Callable[[Any], Awaitable[None]]) -> None:
        from rasa.core.channels.channel import register

        self.app = Sanic(unique("wechat_test_"), configure_logging=False)
        self.app.ctx.agent = FakeAgent(bot)
        register([channel], self.app, route="/webhooks/")
        self._server: Any = None
        self.url = ""

    @classmethod
    def around(cls, app: Sanic) -> ServedApp:
        """Serve an app built elsewhere (e.g. by rasa.core.run.configure_app)."""
        served = cls.__new__(cls)
        served.app, served._server, served.url = app, None, ""
        return served

    async def start(self) -> None:
        sock = listening_socket()
        self._server = await self.app.create_server(sock=sock, return_asyncio_server=True, access_log=False)
        await self._server.startup()
        await self._server.before_start()
        await self._server.after_start()
        self.url = "http://127.0.0.1:%d" % sock.getsockname()[1]

    async def stop(self) -> None:
        await self._server.before_stop()
        self._server.close()
        await self._server.wait_closed()
        await self._server.after_stop()  # runs the channel's release listener


def served_channel(channel: Any, name_prefix: str) -> Iterator[tuple[Sanic, str]]:
    """A Rasa input channel registered on its own Sanic app and served from a background loop:
    yields the app (its ctx takes the test's agent) and its URL; stops and closes afterwards."""
    from rasa.core.channels.channel import register

    loop = BackgroundLoop()
    app = Sanic(unique(name_prefix), configure_logging=False)
    register([channel], app, route="/webhooks/")
    served_app = ServedApp.around(app)
    loop.run(served_app.start())
    yield app, served_app.url
    loop.run(served_app.stop())
    loop.close()


class WeChatSide:
    """Builds webhook requests as WeChat's servers do (signed, and encrypted with wechatpy)."""

    def __init__(self, token: str = TOKEN, appid: str = APPID, aes_key: str = AES_KEY,
                 clock: Callable[[], float] = time.time) -> None:
        from wechatpy.crypto import WeChatCrypto

        self.token = token
        self.crypto = WeChatCrypto(token, aes_key, appid)
        self.clock = clock

    def sign(self, *parts: str) -> str:
        from wechatpy.utils import WeChatSigner

        signer = WeChatSigner()
        signer.add_data(*parts)
        return signer.signature

    def query(self, timestamp: str | None = None, nonce: str | None = None) -> dict[str, str]:
        timestamp = timestamp or str(int(self.clock()))
        nonce = nonce or unique("n")
        return {"signature": self.sign(self.token, timestamp, nonce), "timestamp": timestamp, "nonce": nonce,
                "openid": OPENID}

    def plaintext(self, xml: str) -> tuple[dict[str, str], bytes]:
        return self.query(), xml.encode("utf-8")

    def encrypted(self, xml: str, compatible: bool = False) -> tuple[dict[str, str], bytes]:
        import xmltodict

        params = self.query()
        sealed = xmltodict.parse(self.crypto.encrypt_message(xml, params["nonce"], params["timestamp"]))["xml"]
        params.update(encrypt_type="aes", msg_signature=sealed["MsgSignature"])
        element = f"<Encrypt><![CDATA[{sealed['Encrypt']}]]></Encrypt>"
        if compatible:
            body = xml.replace("</xml>", element + "</xml>")
        else:
            body = f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName>{element}</xml>"
        return params, body.encode("utf-8")

    def open_reply(self, body: str) -> dict[str, Any]:
        """A passive reply as a dict; an encrypted one is verified and decrypted first."""
        import xmltodict

        outer = xmltodict.parse(body)["xml"]
        if "Encrypt" not in outer:
            return dict(outer)
        inner = self.crypto.decrypt_message(body, outer["MsgSignature"], outer["TimeStamp"], outer["Nonce"])
        return dict(xmltodict.parse(inner)["xml"], _encrypted=True)


def message_xml(msg_type: str = "text", openid: str = OPENID, msg_id: str | None = None,
                create_time: int | None = None, **fields: str) -> str:
    """A message or event as WeChat sends it; MsgId is added for messages (not events)."""
    created = create_time if create_time is not None else int(time.time())
    parts = [f"<ToUserName><![CDATA[{ACCOUNT}]]></ToUserName>",
             f"<FromUserName><![CDATA[{openid}]]></FromUserName>",
             f"<CreateTime>{created}</CreateTime>",
             f"<MsgType><![CDATA[{msg_type}]]></MsgType>"]
    parts += [f"<{name}><![CDATA[{value}]]></{name}>" for name, value in fields.items()]
    if msg_type != "event":
        parts.append(f"<MsgId>{msg_id or next(_ids) + 10**15}</MsgId>")
    return "<xml>" + "".join(parts) + "</xml>"
