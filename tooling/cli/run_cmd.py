"""`./yuban run` and `./yuban train`: prepare everything and start the assistant."""
from __future__ import annotations

import os

from knowledge.service import DEMO_CATALOG
from tooling import services
from tooling.cli.common import fail, open_store
from tooling.cli.nlu_cmd import DICT_DIR, write_dict


def register(commands) -> None:
    p = commands.add_parser("run", help="启动助手（Rasa、动作服务器、办件进度服务、控制台）")
    p.add_argument("--port", type=int, default=5005)
    p.add_argument("--actions-port", type=int, default=5055)
    p.add_argument("--progress-port", type=int, default=8100, help="本地办件进度服务端口；设置了 YUBAN_PROGRESS_URL 时不启动")
    p.add_argument("--console-port", type=int, default=int(os.environ.get("YUBAN_CONSOLE_PORT") or 8000),
                   help="控制台端口（默认 YUBAN_CONSOLE_PORT 或 8000）")
    p.add_argument("--reminders-port", type=int, default=int(os.environ.get("YUBAN_REMINDERS_PORT") or 8200),
                   help="进度提醒服务端口（默认 YUBAN_REMINDERS_PORT 或 8200）")
    p.add_argument("--profile", choices=["embedded", "prod"], default="embedded",
                   help="prod: PostgreSQL + Redis、多个 Rasa 与动作服务器进程（端口等见 deploy/prod.env.example）")
    p.add_argument("--rasa-processes", type=int, default=None, help="prod: Rasa 服务器进程数（默认 YUBAN_RASA_PROCESSES 或 2）")
    p.add_argument("--action-processes", type=int, default=None, help="prod: 动作服务器进程数（默认 YUBAN_ACTION_PROCESSES 或 2）")
    p.set_defaults(handler=run)
    t = commands.add_parser("train", help="需要时训练 Rasa 模型")
    t.add_argument("--force", action="store_true")
    t.set_defaults(handler=train)


def prepare(force_train: bool = False) -> None:
    """Environments, catalog, jieba dictionary and model, each only when needed."""
    services.ensure_env("rasa")
    store = open_store()
    print(f"事项目录: {store.count()} 个事项")
    write_dict(DEMO_CATALOG, DICT_DIR)
    services.train_if_changed(force=force_train)


def train(args) -> int:
    try:
        prepare(force_train=args.force)
    except services.ServiceError as error:
        fail(str(error))
    return 0


def _first_admin() -> tuple[str, str] | None:
    """Create the console's first admin when there is none: (name, one-time password)."""
    from console.accounts import AccountStore
    from console.bootstrap import ensure_first_admin
    from knowledge.db import database_url, get_engine, session_factory

    return ensure_first_admin(AccountStore(session_factory(get_engine(database_url()))))


def _first_admin_notice(created: tuple[str, str] | None) -> str:
    if created is None:
        return ""
    return (f"\n             首个管理员账号 {created[0]}，一次性密码 {created[1]}"
            "\n             （只显示这一次；首次登录后必须修改。其他账号：./yuban user add 用户名 --role agent）")


def run(args) -> int:
    if args.profile == "prod":
        from tooling.cli.prod_run import run_prod

        return run_prod(args)
    try:
        prepare()
        local_progress = not os.environ.get("YUBAN_PROGRESS_URL")
        stack = services.Stack(rasa_port=args.port, actions_port=args.actions_port,
                               progress_port=args.progress_port if local_progress else None,
                               console_port=args.console_port, reminders_port=args.reminders_port)
        stack.start()
        first_admin = _first_admin()  # after a successful start, so the password shown is usable
    except services.ServiceError as error:
        fail(str(error))
    print(f"""
渝办助手已启动：
  REST 通道   POST http://127.0.0.1:{args.port}/webhooks/rest/webhook  {{"sender": "u1", "message": "开公司要什么材料"}}
{stack.channels.banner(f"http://127.0.0.1:{args.port}")}
  终端对话   ./yuban chat
  动作服务器 http://127.0.0.1:{args.actions_port}/health
  办件进度   {os.environ.get("YUBAN_PROGRESS_URL") or f"http://127.0.0.1:{args.progress_port}（本地演示服务，./yuban progress seed 可查看示例编号）"}
  控制台     http://127.0.0.1:{args.console_port}/{_first_admin_notice(first_admin)}
  进度提醒   http://127.0.0.1:{args.reminders_port}/health （./yuban progress advance 编号 可推进演示办件）
  日志       {stack.log_dir}
按 Ctrl-C 停止。""", flush=True)
    # Ctrl-C and a plain kill both stop everything; a process that dies stops the rest.
    return services.supervise(stack, restart=False, log_dir=stack.log_dir)
