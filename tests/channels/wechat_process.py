"""A Rasa-like server process for the multi-process test: the WeChat channel on Redis,
with a fake bot that appends every message it handles to a shared file.

    python -m tests.channels.wechat_process PORT REDIS_URL APPID API_URL LOG_PATH

A text "slow:<seconds>:<question>" makes the bot think that long (default 0.3 s).
"""
from __future__ import annotations

import asyncio
import os
import sys
from typing import Any


def main(argv: list[str]) -> None:
    from rasa.core.channels.channel import register
    from sanic import Sanic

    from channels.wechat import WeChatConfig, WeChatInput
    from tests.channels.wechat_support import SECRET, TOKEN, FakeAgent

    port, redis_url, appid, api_url, log_path = argv
    config = WeChatConfig.from_credentials({
        "token": TOKEN, "appid": appid, "appsecret": SECRET, "mode": "plaintext", "redis_url": redis_url,
        "reply_budget_seconds": 1.5, "api_base_url": api_url})

    async def bot(message: Any) -> None:
        delay = 0.3
        if message.text.startswith("slow:"):
            delay = float(message.text.split(":")[1])
        with open(log_path, "a", encoding="utf-8") as log:
            log.write(f"{os.getpid()}\t{message.message_id}\t{message.text}\n")
        await asyncio.sleep(delay)
        await message.output_channel.send_response(message.sender_id, {"text": f"收到：{message.text}"})

    app = Sanic(f"wechat_process_{os.getpid()}", configure_logging=False)
    app.ctx.agent = FakeAgent(bot)
    register([WeChatInput(config)], app, route="/webhooks/")
    app.run(host="127.0.0.1", port=int(port), access_log=False, motd=False, workers=1)


if __name__ == "__main__":
    main(sys.argv[1:])
