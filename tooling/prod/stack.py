"""The production profile's processes on one machine: `./yuban run --profile prod`.

Rasa's scale-out design (docs/deployment.md): N Rasa servers (ports rasa_port, rasa_port+1, …)
share conversations through the PostgreSQL tracker store and the Redis lock store; N
stateless action servers share ONE address — each binds the action port with SO_REUSEPORT
and the kernel spreads Rasa's connections (Rasa opens one per action call) between them;
the event broker writes every event to PostgreSQL for the console's dashboard. The local
progress service and the console run once each. In a cluster a load balancer sits in front
of the Rasa servers (deploy/nginx.conf); here each port is reachable directly.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from tooling.channels_env import ChannelEnvError, ChannelPlan, plan_channels
from tooling.prod import launch
from tooling.prod.settings import ProdSettings
from tooling.services import (
    MODEL,
    ROOT,
    START_TIMEOUT,
    ServiceError,
    base_env,
    check_channels,
    port_is_free,
    stop_processes,
    wait_http,
)


@dataclass
class ProdStack:
    settings: ProdSettings
    log_dir: Path = ROOT / "var" / "log" / "prod"
    with_console: bool = True
    with_reminders: bool = True
    credentials: str = launch.CREDENTIALS  # the base; channels from the environment are added
    extra_env: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    channels: ChannelPlan | None = None  # what the Rasa servers serve, known once start() has checked it
    _credentials_file: str | None = None

    # ----- what runs -------------------------------------------------------------------------

    @property
    def local_progress(self) -> bool:
        return not self.settings.progress_url

    def commands(self) -> dict[str, list[str]]:
        """Every process of the profile by name, in start order (the table of tooling/processes.py, through tooling/prod/launch.py)."""
        s = self.settings
        commands: dict[str, list[str]] = {}
        if self.local_progress:
            commands["progress"] = launch.command("progress", s)
        for index in range(1, s.action_processes + 1):
            commands[f"actions-{index}"] = launch.command("actions", s)
        for index, port in enumerate(s.rasa_ports):
            commands[f"rasa-{port}"] = launch.command("rasa", s, index=index,
                                                      credentials=self._credentials_file or self.credentials)
        if self.with_console:
            commands["console"] = launch.command("console", s)
        if self.with_reminders:
            commands["reminders"] = launch.command("reminders", s)
        return commands

    def environment(self) -> dict[str, str]:
        env = {**base_env(), **self.settings.process_env(), **self.extra_env}
        # One directory for the action servers' Prometheus files: /metrics on any of them sums all.
        env["PROMETHEUS_MULTIPROC_DIR"] = str(self.log_dir / "metrics-actions")
        return env

    def health_url(self, name: str) -> str:
        s = self.settings
        if name == "progress":
            return f"http://127.0.0.1:{s.progress_port}/health"
        if name == "console":
            return f"http://127.0.0.1:{s.console_port}/health"
        if name == "reminders":
            return f"http://127.0.0.1:{s.reminders_port}/health"
        if name.startswith("actions"):
            return f"http://127.0.0.1:{s.actions_port}/health"
        return f"http://127.0.0.1:{name.split('-')[1]}/webhooks/rest/"

    def rasa_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.settings.rasa_ports]

    # ----- starting and stopping -------------------------------------------------------------

    def start(self, log=print) -> None:
        if not MODEL.exists():
            raise ServiceError("没有训练好的模型：请先运行 ./yuban train")
        self._check_ports()
        self.log_dir.mkdir(parents=True, exist_ok=True)
        self.prepare_channels()  # a bad channel value is named before anything starts
        metrics_dir = self.log_dir / "metrics-actions"
        shutil.rmtree(metrics_dir, ignore_errors=True)
        metrics_dir.mkdir(parents=True)
        started = time.monotonic()
        commands = self.commands()
        for name, command in commands.items():
            self.start_process(name, command, wait=False)
        try:
            for name in commands:
                self.wait_ready(name)
        except ServiceError as error:
            self.stop()
            raise ServiceError(f"{error}；日志在 {self.log_dir}") from None
        log(f"生产配置已启动（{len(commands)} 个进程），用时 {time.monotonic() - started:.0f} 秒")

    def prepare_channels(self) -> None:
        """The credentials file the Rasa servers read: the base plus the channels switched on in the environment."""
        env = self.environment()
        try:
            self.channels = plan_channels(ROOT / self.credentials, env, shared_redis=len(self.settings.rasa_ports) > 1)
        except ChannelEnvError as error:
            raise ServiceError(str(error)) from None
        path = self.channels.write(self.log_dir / "credentials.yml")
        if self.channels.from_env:
            check_channels(path, env)
        self._credentials_file = str(path)

    def _check_ports(self) -> None:
        s = self.settings
        ports = [("动作服务器", s.actions_port)] + [("Rasa", port) for port in s.rasa_ports]
        if self.local_progress:
            ports.append(("办件进度服务", s.progress_port))
        if self.with_console:
            ports.append(("控制台", s.console_port))
        if self.with_reminders:
            ports.append(("进度提醒服务", s.reminders_port))
        for what, port in ports:
            if not port_is_free(port):
                raise ServiceError(f"端口 {port} 已被占用（{what}）：请先停止占用它的程序，或换一个端口")

    def start_process(self, name: str, command: list[str] | None = None, wait: bool = True) -> None:
        """Start one process of the profile (again), e.g. an action server after a fault test."""
        command = command or self.commands()[name]
        log = open(self.log_dir / f"{name}.log", "ab")
        self.processes[name] = subprocess.Popen(command, cwd=ROOT, env=self.environment(), stdout=log,
                                                stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        if wait:
            self.wait_ready(name)

    def wait_ready(self, name: str) -> None:
        kind = name.split("-")[0]
        wait_http(self.health_url(name), START_TIMEOUT[kind], self.processes[name])

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Stop one process abruptly (SIGKILL: no goodbye), as a crash would."""
        process = self.processes.pop(name)
        if process.poll() is None:
            os.killpg(process.pid, sig)
        process.wait(timeout=30)

    def alive(self) -> dict[str, bool]:
        return {name: process.poll() is None for name, process in self.processes.items()}

    def stop(self) -> None:
        stop_processes(self.processes)

    def __enter__(self) -> ProdStack:
        self.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()
