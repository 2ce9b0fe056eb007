"""Starting and stopping the assistant's processes: training, action server, Rasa.

Used by `./yuban run` (and so `make run`) and by the end-to-end tests, so both start
exactly the same thing. Each process gets its own process group and is stopped with it.
"""
from __future__ import annotations

import hashlib
import os
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENVS = ROOT / ".venvs"
MODELS = ROOT / "models"
MODEL = MODELS / "yuban.tar.gz"
FINGERPRINT = MODELS / "yuban.fingerprint"
TRAINING_INPUTS = ["config.yml", "bot/domain", "data/nlu", "data/rules", "data/stories", "build/jieba", "bot/nlu",
                   "requirements/rasa.lock.txt"]


class ServiceError(RuntimeError):
    """A process could not be prepared or started; the message says what to do."""


def base_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["RASA_TELEMETRY_ENABLED"] = "false"
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    # Conversations (Rasa's tracker store) and the event broker's copy of every event;
    # see endpoints.yml. Tests point both at their own files.
    env.setdefault("YUBAN_TRACKER_DB", str(ROOT / "var" / "conversations.db"))
    env.setdefault("YUBAN_EVENTS_DB", str(ROOT / "var" / "events.db"))
    return env


def ensure_env(name: str) -> None:
    result = subprocess.run([str(ROOT / "scripts" / "ensure_env.sh"), name], cwd=ROOT)
    if result.returncode != 0:
        raise ServiceError(f"无法建立 {name} 环境（见上方信息）")


def training_fingerprint() -> str:
    digest = hashlib.sha256()
    for entry in TRAINING_INPUTS:
        path = ROOT / entry
        files = sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts) if path.is_dir() else [path]
        for file in files:
            if file.exists():
                digest.update(str(file.relative_to(ROOT)).encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()


def train_if_changed(force: bool = False, log=print) -> bool:
    """Train the Rasa model when its inputs changed since the last training; True if trained."""
    fingerprint = training_fingerprint()
    if not force and MODEL.exists() and FINGERPRINT.exists() and FINGERPRINT.read_text().strip() == fingerprint:
        log(f"模型未变化，跳过训练（{MODEL.relative_to(ROOT)}）")
        return False
    log("训练 Rasa 模型（约 1-2 分钟）…")
    MODELS.mkdir(exist_ok=True)
    started = time.monotonic()
    command = [str(VENVS / "rasa" / "bin" / "rasa"), "train", "--config", "config.yml", "--domain", "bot/domain",
               "--data", "data/nlu", "data/rules", "data/stories", "--out", str(MODELS), "--fixed-model-name", "yuban",
               "--force"]
    result = subprocess.run(command, cwd=ROOT, env=base_env())
    if result.returncode != 0 or not MODEL.exists():
        raise ServiceError("模型训练失败：请查看上方 Rasa 的输出（常见原因：训练数据或 config.yml 有错误）")
    FINGERPRINT.write_text(fingerprint)
    log(f"训练完成，用时 {time.monotonic() - started:.0f} 秒")
    return True


def port_is_free(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
            return True
        except OSError:
            return False


def wait_http(url: str, timeout: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise ServiceError(f"进程已退出（代码 {process.returncode}），未能提供 {url}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.5)
    raise ServiceError(f"等待 {url} 超时（{timeout:.0f} 秒）")


def stop_processes(processes: dict[str, subprocess.Popen], timeout: float = 20) -> None:
    """SIGTERM each process group, then SIGKILL what has not ended after `timeout` seconds."""
    for process in processes.values():
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes.values():
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)
    processes.clear()


@dataclass
class Stack:
    """The running processes of one assistant: action server and Rasa server."""

    rasa_port: int = 5005
    actions_port: int = 5055
    progress_port: int | None = 8100  # the local progress service; None when a platform URL is configured
    console_port: int | None = None  # the web console (`./yuban run` passes 8000); None: not started
    log_dir: Path = ROOT / "var" / "log"
    credentials: str = "credentials.yml"
    extra_env: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    def start(self, log=print) -> None:
        ports = [("Rasa", self.rasa_port), ("动作服务器", self.actions_port)]
        if self.progress_port:
            ports.append(("办件进度服务", self.progress_port))
        if self.console_port:
            ports.append(("控制台", self.console_port))
        for name, port in ports:
            if not port_is_free(port):
                raise ServiceError(f"端口 {port} 已被占用（{name}）：请先停止占用它的程序，或换一个端口")
        self.log_dir.mkdir(parents=True, exist_ok=True)
        env = {**base_env(), **self.extra_env, "YUBAN_ACTIONS_URL": f"http://127.0.0.1:{self.actions_port}/webhook"}
        started = time.monotonic()
        if self.progress_port:
            env["YUBAN_PROGRESS_URL"] = f"http://127.0.0.1:{self.progress_port}"
            self._spawn("progress", [str(VENVS / "actions" / "bin" / "python"), "-m", "progress_service", "--host",
                                     "127.0.0.1", "--port", str(self.progress_port)], env)
        self._spawn("actions", self._actions_command(), env)
        if self.console_port:
            self._spawn("console", [str(VENVS / "actions" / "bin" / "python"), "-m", "console", "--host", "127.0.0.1",
                                    "--port", str(self.console_port)], env)
        self._spawn("rasa", [str(VENVS / "rasa" / "bin" / "rasa"), "run", "--model", str(MODEL), "--endpoints",
                             "endpoints.yml", "--credentials", self.credentials, "--interface", "127.0.0.1",
                             "--port", str(self.rasa_port), "--logging-config-file", "deploy/logging/rasa.yml"], env)
        try:
            if self.progress_port:
                wait_http(f"http://127.0.0.1:{self.progress_port}/health", 60, self.processes["progress"])
            wait_http(f"http://127.0.0.1:{self.actions_port}/health", 60, self.processes["actions"])
            if self.console_port:
                wait_http(f"http://127.0.0.1:{self.console_port}/health", 60, self.processes["console"])
            wait_http(f"http://127.0.0.1:{self.rasa_port}/webhooks/rest/", 180, self.processes["rasa"])
        except ServiceError as error:
            self.stop()
            raise ServiceError(f"{error}；日志在 {self.log_dir}") from None
        log(f"服务已启动，用时 {time.monotonic() - started:.0f} 秒")

    def start_action_server(self) -> None:
        """Only an action server, for tests that run several of them against one assistant."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self._spawn("actions", self._actions_command(), {**base_env(), **self.extra_env})
        try:
            wait_http(f"http://127.0.0.1:{self.actions_port}/health", 60, self.processes["actions"])
        except ServiceError:
            self.stop()
            raise

    def _actions_command(self) -> list[str]:
        # actions/server.py: rasa_sdk's app plus /ready, /metrics and JSON logs (docs/operations.md)
        return [str(VENVS / "actions" / "bin" / "python"), "-m", "actions.server", "--actions", "actions",
                "--port", str(self.actions_port)]

    def _spawn(self, name: str, command: list[str], env: dict[str, str]) -> None:
        with open(self.log_dir / f"{name}-{self.rasa_port}.log", "ab") as log:  # the child keeps its own copy
            self.processes[name] = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                                    start_new_session=True)

    def stop(self) -> None:
        stop_processes(self.processes)

    def __enter__(self) -> Stack:
        self.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()
