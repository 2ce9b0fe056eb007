"""The ops suite's stack: every channel (REST, WeChat, app, ops) on this suite's own ports.

DEBUG logs (Rasa then logs user texts), its own SQLite catalog, progress database,
tracker store, event broker and seal key, all in a temporary folder.
"""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

from tooling import services

OFFSET = int(os.environ.get("YUBAN_TEST_PORT_OFFSET", "0"))
RASA_PORT, ACTIONS_PORT, PROGRESS_PORT = 5125 + OFFSET, 5175 + OFFSET, 8225 + OFFSET
SPARE_PORT = 5190 + OFFSET  # for a lone action server started by a test
SHARED_PORT = 5191 + OFFSET  # for action servers sharing one port (--reuse-port)
REFERENCE = datetime(2026, 11, 2, 9, 0)
WECHAT_TOKEN, WECHAT_APPID = "leaktesttoken", "wxleaktest0001"
APP_SECRET = "leak-test-app-secret-0123456789abcdef"


def start_stack(folder: Path) -> dict:
    from cryptography.fernet import Fernet

    from progress_service.seed import seed_url

    catalog = f"sqlite:///{folder / 'catalog.db'}"
    subprocess.run([sys.executable, "-m", "tooling.cli", "catalog", "import", str(services.ROOT / "data" / "catalog")],
                   cwd=services.ROOT, env={**services.base_env(), "YUBAN_DATABASE_URL": catalog}, check=True,
                   stdout=subprocess.DEVNULL)
    progress = f"sqlite:///{folder / 'progress.db'}"
    report = seed_url(progress, reference=REFERENCE)
    credentials = folder / "credentials.yml"
    credentials.write_text(f"""
rest:
channels.ops.OpsInput:
channels.wechat.WeChatInput:
  token: {WECHAT_TOKEN}
  appid: {WECHAT_APPID}
  appsecret: leaktestsecret
  mode: plaintext
  reply_budget_seconds: 4.5
  api_base_url: http://127.0.0.1:9
channels.app.AppInput:
  hmac_secret: {APP_SECRET}
""", encoding="utf-8")
    env = {"YUBAN_DATABASE_URL": catalog, "YUBAN_PROGRESS_DATABASE_URL": progress,
           "YUBAN_TRACKER_DB": str(folder / "conversations.db"), "YUBAN_EVENTS_DB": str(folder / "events.db"),
           "YUBAN_SEAL_KEY": Fernet.generate_key().decode(), "LOG_LEVEL": "DEBUG"}
    running = services.Stack(rasa_port=RASA_PORT, actions_port=ACTIONS_PORT, progress_port=PROGRESS_PORT,
                             log_dir=folder / "log", credentials=str(credentials), extra_env=env)
    running.start(log=lambda *_: None)
    return {"stack": running, "folder": folder, "examples": report.examples, "env": env}
