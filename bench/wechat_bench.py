"""WeChat safe-mode round trip: p50/p95 at 1 and 50 concurrent users, share answered passively.

Runs in the Rasa environment (it needs wechatpy to encrypt like WeChat):

    PYTHONPATH=. .venvs/rasa/bin/python -m bench.wechat_bench

The assistant runs with the WeChat channel in safe mode; a fake WeChat API on 127.0.0.1
receives what is delivered through the customer-service API. Loopback only, bounded.
"""
from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid

import aiohttp
from aiohttp import web

from bench.stats import percentile
from tooling import services
from tests.channels.wechat_support import AES_KEY, APPID, SECRET, TOKEN, WEBHOOK, WeChatSide, message_xml

QUESTIONS = ["开公司要什么材料", "驾驶证到期了怎么换", "公积金怎么提取", "补办身份证要带啥", "结婚登记在哪办"]


async def fake_wechat_api(port: int) -> web.AppRunner:
    async def token(_request):
        return web.json_response({"access_token": "bench-token", "expires_in": 7200})

    async def send(_request):
        return web.json_response({"errcode": 0, "errmsg": "ok"})

    app = web.Application()
    app.router.add_get("/cgi-bin/token", token)
    app.router.add_post("/cgi-bin/message/custom/send", send)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner


async def one(session: aiohttp.ClientSession, side: WeChatSide, url: str, openid: str, text: str) -> tuple[float, bool]:
    params, body = side.encrypted(message_xml("text", openid=openid, Content=text))
    start = time.perf_counter()
    async with session.post(url, params=params, data=body) as response:
        reply = await response.text()
    elapsed = (time.perf_counter() - start) * 1000
    return elapsed, bool(reply) and reply != "success" and "<xml>" in reply


async def measure(url: str, users: int, turns: int) -> tuple[list[float], int]:
    side = WeChatSide()
    results: list[tuple[float, bool]] = []
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
        async def user(index: int) -> None:
            openid = f"oBench{index}{uuid.uuid4().hex[:6]}"
            for turn in range(turns):
                results.append(await one(session, side, url, openid, QUESTIONS[(index + turn) % len(QUESTIONS)]))
        await asyncio.gather(*(user(i) for i in range(users)))
    return [r[0] for r in results], sum(r[1] for r in results)


def report(label: str, timings: list[float], passive: int) -> None:
    print(f"wechat safe mode, {label}: {len(timings)} messages, p50 {statistics.median(timings):.0f} ms, "
          f"p95 {percentile(timings, 0.95):.0f} ms, answered passively {passive / len(timings):.0%}", flush=True)


async def run(args) -> None:
    runner = await fake_wechat_api(args.api_port)
    credentials = services.ROOT / "build" / "bench" / "credentials-wechat.yml"
    credentials.parent.mkdir(parents=True, exist_ok=True)
    credentials.write_text(
        "rest:\nchannels.wechat.WeChatInput:\n"
        f"  token: {TOKEN}\n  appid: {APPID}\n  appsecret: {SECRET}\n  encoding_aes_key: {AES_KEY}\n"
        f"  mode: safe\n  reply_budget_seconds: 4\n  api_base_url: http://127.0.0.1:{args.api_port}\n", encoding="utf-8")
    stack = services.Stack(rasa_port=5505, actions_port=5555, progress_port=8500, credentials=str(credentials))
    await asyncio.to_thread(stack.start, lambda *_: None)
    try:
        url = f"http://127.0.0.1:5505{WEBHOOK}"
        await measure(url, 1, 2)  # warm up
        report("1 user", *await measure(url, 1, args.requests))
        report(f"{args.concurrency} concurrent users", *await measure(url, args.concurrency, args.turns))
    finally:
        await asyncio.to_thread(stack.stop)
        await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--turns", type=int, default=3)
    parser.add_argument("--api-port", type=int, default=8599)
    args = parser.parse_args()
    services.train_if_changed(log=lambda *_: None)
    asyncio.run(run(args))


if __name__ == "__main__":
    main()
