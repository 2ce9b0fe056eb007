"""`./yuban run --profile prod`: the production profile on this machine (docs/deployment.md).

Configuration comes from the environment only (deploy/prod.env.example). Everything is
checked before a process starts: the variables, every PostgreSQL database (a missing one
is created) and Redis. The catalog is not filled with demonstration data: production
imports the official export first (`./yuban catalog import …`).
"""
from __future__ import annotations

import os
from pathlib import Path

from knowledge.service import DEMO_CATALOG
from tooling import services
from tooling.cli.common import fail, open_store
from tooling.cli.nlu_cmd import DICT_DIR, write_dict
from tooling.prod.settings import ProdConfigError, ProdSettings
from tooling.prod.stack import ProdStack


def load_settings(args) -> ProdSettings:
    for flag, value in (("--rasa-processes", args.rasa_processes), ("--action-processes", args.action_processes)):
        if value is not None and not 1 <= value <= 16:
            raise ProdConfigError(f"{flag} 应为 1 到 16 之间的整数，实际为 {value}")
    settings = ProdSettings.from_env(rasa_processes=args.rasa_processes, action_processes=args.action_processes)
    settings.check_services()
    return settings


def run_prod(args) -> int:
    try:
        settings = load_settings(args)
    except ProdConfigError as error:
        fail(str(error))
    os.environ.update(settings.process_env())
    try:
        services.ensure_env("rasa")
        items = open_store(load_demo=False).count()
        if not items:
            fail("事项目录为空：生产环境不会自动导入演示数据。请先导入目录，例如 "
                 "./yuban catalog import 官方导出.xlsx（或演示目录 data/catalog/）")
        print(f"事项目录: {items} 个事项")
        write_dict(DEMO_CATALOG, DICT_DIR)
        services.train_if_changed()
        stack = ProdStack(settings, **({"log_dir": Path(settings.log_dir)} if settings.log_dir else {}))
        stack.start()
    except services.ServiceError as error:
        fail(str(error))
    chat = "".join(f" --url {url}" for url in stack.rasa_urls())
    rasa = "\n".join(f"  Rasa {i + 1}     POST {url}/webhooks/rest/webhook" for i, url in enumerate(stack.rasa_urls()))
    print(f"""
渝办助手（生产配置）已启动：
{rasa}
{stack.channels.banner(stack.rasa_urls()[0])}
  动作服务器 http://127.0.0.1:{settings.actions_port}（{settings.action_processes} 个进程共用此端口）
  办件进度   {settings.progress_url or f"http://127.0.0.1:{settings.progress_port}（本地服务）"}
  控制台     http://127.0.0.1:{settings.console_port}/
  运行状态   每个 Rasa 端口的 /webhooks/ops/ready 与 /webhooks/ops/metrics
  日志       {stack.log_dir}
  终端对话   ./yuban chat{chat}
生产部署时在 Rasa 前面放负载均衡（deploy/nginx.conf）。按 Ctrl-C 停止。""", flush=True)
    # Like a process manager: a process that dies is started again (the others keep serving).
    return services.supervise(stack, restart=True, log_dir=stack.log_dir, poll_seconds=2)
