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
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from tooling import processes as process_table
from core.private_files import private_directory
from tooling.channels_env import ChannelEnvError, ChannelPlan, plan_channels

ROOT = process_table.ROOT
VENVS = ROOT / ".venvs"
MODEL = ROOT / process_table.MODEL
MODELS = MODEL.parent
START_TIMEOUT = {"progress": 60, "console": 60, "actions": 90, "rasa": 240, "reminders": 60}
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
    log("训练 Rasa 模型（约半分钟）…")
    MODELS.mkdir(exist_ok=True)
    started = time.monotonic()
    # bot/ops/rasa_train.py: `rasa train` without TensorFlow, skops' slow start or Rasa's own cache
    command = [process_table.executable("rasa", "python"), "-m", "bot.ops.rasa_train", "--config", "config.yml",
               "--domain", "bot/domain",
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
        time.sleep(0.1)  # a poll is one local request; 0.5 s added up to half a second to every start
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
    """The running processes of one assistant (embedded profile): progress service, action server,
    console, Rasa server and reminder notifier, started from the table in tooling/processes.py."""

    rasa_port: int = 5005
    actions_port: int = 5055
    progress_port: int | None = 8100  # the local progress service; None when a platform URL is configured
    console_port: int | None = None  # the web console (`./yuban run` passes 8000); None: not started
    reminders_port: int | None = None  # the reminder notifier (`./yuban run` passes 8200); None: not started
    log_dir: Path = ROOT / "var" / "log"
    credentials: str = process_table.CREDENTIALS["embedded"]  # the base; channels from the environment are added
    extra_env: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    channels: ChannelPlan | None = None  # what Rasa serves, known once start() has checked the environment

    def environment(self) -> dict[str, str]:
        env = {**base_env(), **self.extra_env, "YUBAN_ACTIONS_URL": f"http://127.0.0.1:{self.actions_port}/webhook"}
        if self.progress_port:
            env["YUBAN_PROGRESS_URL"] = f"http://127.0.0.1:{self.progress_port}"
        return env

    def ports(self) -> dict[str, int]:
        """Every process of the stack and its port, in start order."""
        ports = {"progress": self.progress_port, "actions": self.actions_port, "console": self.console_port,
                 "rasa": self.rasa_port, "reminders": self.reminders_port}
        return {name: port for name, port in ports.items() if port}

    def commands(self, credentials: str | None = None) -> dict[str, list[str]]:
        return {name: process_table.command(name, port, credentials=credentials or self.credentials)
                for name, port in self.ports().items()}

    def prepare_channels(self, env: dict[str, str]) -> str:
        """The credentials file Rasa reads: the base plus the channels switched on in `env`, checked."""
        try:
            self.channels = plan_channels(ROOT / self.credentials, env)
        except ChannelEnvError as error:
            raise ServiceError(str(error)) from None
        path = self.channels.write(self.log_dir / f"credentials-{self.rasa_port}.yml")
        if self.channels.from_env:
            check_channels(path, env)
        return str(path)

    def start(self, log=print) -> None:
        names = {"rasa": "Rasa", "actions": "动作服务器", "progress": "办件进度服务", "console": "控制台",
                 "reminders": "进度提醒服务"}
        for name, port in self.ports().items():
            if not port_is_free(port):
                raise ServiceError(f"端口 {port} 已被占用（{names[name]}）：请先停止占用它的程序，或换一个端口")
        private_directory(self.log_dir)  # var/ 0700: the conversation databases live there too
        env = self.environment()
        credentials = self.prepare_channels(env)  # a bad channel value is named before anything starts
        started = time.monotonic()
        commands = self.commands(credentials)
        for name, command in commands.items():
            self._spawn(name, command, env)
        try:
            for name, port in self.ports().items():
                wait_http(f"http://127.0.0.1:{port}{process_table.health_path(name)}", START_TIMEOUT[name],
                          self.processes[name])
        except ServiceError as error:
            self.stop()
            raise ServiceError(f"{error}；日志在 {self.log_dir}") from None
        log(f"服务已启动，用时 {time.monotonic() - started:.0f} 秒")

    def start_action_server(self) -> None:
        """Only an action server, for tests that run several of them against one assistant."""
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self._spawn("actions", process_table.command("actions", self.actions_port), {**base_env(), **self.extra_env})
        try:
            wait_http(f"http://127.0.0.1:{self.actions_port}/health", START_TIMEOUT["actions"], self.processes["actions"])
        except ServiceError:
            self.stop()
            raise

    def _spawn(self, name: str, command: list[str], env: dict[str, str]) -> None:
        with open(self.log_dir / f"{name}-{self.rasa_port}.log", "ab") as log:  # the child keeps its own copy
            self.processes[name] = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                                    start_new_session=True)

    def alive(self) -> dict[str, bool]:
        return {name: process.poll() is None for name, process in self.processes.items()}

    def stop(self) -> None:
        stop_processes(self.processes)

    def __enter__(self) -> Stack:
        self.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()


def check_channels(path: Path, env: dict[str, str]) -> None:
    """The channels' own validation of a credentials file, in Rasa's interpreter (channels/check.py)."""
    result = subprocess.run([process_table.executable("rasa", "python"), "-m", "channels.check", str(path)], cwd=ROOT,
                            env=env, capture_output=True, text=True, timeout=300, check=False)
    if result.returncode != 0:
        raise ServiceError((result.stderr or result.stdout).strip() or f"channels.check exited {result.returncode}")


def supervise(stack, restart: bool, log_dir: Path, poll_seconds: float = 1.0) -> int:
    """The one supervising loop of `./yuban run` (both profiles) until Ctrl-C or SIGTERM.

    A process that dies is started again when `restart` (production: the others keep
    serving, like a process manager); otherwise everything stops and the exit code is 1.
    """
    signal.signal(signal.SIGINT, _interrupt)  # SIGINT may arrive ignored when started in the background
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        while True:
            dead = [name for name, up in stack.alive().items() if not up]
            if dead and not restart:
                print(f"yuban: 进程意外退出: {', '.join(dead)}，日志在 {log_dir}", file=sys.stderr, flush=True)
                return 1
            for name in dead:
                print(f"yuban: 进程 {name} 意外退出，正在重新启动（日志 {log_dir / (name + '.log')}）",
                      file=sys.stderr, flush=True)
                stack.start_process(name, wait=False)
            time.sleep(poll_seconds)
    except KeyboardInterrupt:
        print("\n正在停止…")
        return 0
    finally:
        stack.stop()


def _interrupt(_signum, _frame) -> None:
    raise KeyboardInterrupt
