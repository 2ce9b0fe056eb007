"""`./yuban chat`: talk to the running assistant in the terminal."""
from __future__ import annotations

import itertools
import uuid

from tooling.cli.common import fail
from tooling.cli.rest_client import RestClient


def register(commands) -> None:
    p = commands.add_parser("chat", help="在终端里和助手对话（需先 make run）")
    p.add_argument("--url", action="append", default=None,
                   help="助手地址（默认 http://127.0.0.1:5005）；可重复给出，消息轮流发往各个 Rasa 进程（生产配置）")
    p.add_argument("--sender", default=None)
    p.set_defaults(handler=run)


def run(args) -> int:
    clients = [RestClient(url) for url in (args.url or ["http://127.0.0.1:5005"])]
    for client in clients:
        if not client.is_up():
            fail(f"助手未运行（{client.base_url}）：请先在另一个终端执行 make run")
    turns = itertools.cycle(clients)  # several Rasa servers share the conversation (production profile)
    sender = args.sender or f"cli-{uuid.uuid4().hex[:8]}"
    print("渝办助手（输入问题，Ctrl-D 退出）")
    while True:
        try:
            text = input("你> ").strip()
        except EOFError:
            print()
            return 0
        if not text:
            continue
        for message in next(turns).send(sender, text):
            if message.get("text"):
                print(f"助手> {message['text']}")
