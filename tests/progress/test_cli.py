"""`./yuban progress seed|serve` and `python -m progress_service` as a real process."""
from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tooling.cli import progress_cmd
from progress_service.repository import ProgressRepository, make_engine

ROOT = Path(__file__).resolve().parents[2]


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    progress_cmd.register(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(["progress", *argv])


def test_seed_command(tmp_path, monkeypatch, capsys) -> None:
    url = f"sqlite:///{tmp_path / 'progress.db'}"
    monkeypatch.setenv("YUBAN_PROGRESS_DATABASE_URL", url)
    args = parse("seed", "--reference-date", "2026-05-14", "--count", "20", "--show", "6")
    assert args.handler(args) == 0
    out = capsys.readouterr().out
    assert "已生成 20 个演示办件" in out and "超期" in out
    assert sum(line.strip().startswith("CQ2026") for line in out.splitlines()) == 6
    for stage in ("申请", "受理", "审查", "决定", "制证/送达"):
        assert stage in out
    engine = make_engine(url)
    assert ProgressRepository.for_engine(engine).count() == 20
    engine.dispose()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_module_serves_and_seeds_an_empty_database(tmp_path) -> None:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT),
           "YUBAN_PROGRESS_DATABASE_URL": f"sqlite:///{tmp_path / 'fresh' / 'progress.db'}"}
    process = subprocess.Popen([sys.executable, "-m", "progress_service", "--host", "127.0.0.1", "--port", str(port)],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1) as response:
                    assert json.load(response) == {"status": "ok"}
                    break
            except OSError:
                assert process.poll() is None, process.stdout.read().decode()
                assert time.monotonic() < deadline, "service did not start"
                time.sleep(0.2)
        url = f"http://127.0.0.1:{port}/v1/applications?channel=app&subject=demo-app-user-001"
        with urllib.request.urlopen(url, timeout=2) as response:
            assert len(json.load(response)["applications"]) >= 2
    finally:
        process.terminate()
        output = process.communicate(timeout=10)[0].decode()
    assert "CQ20" not in output  # the access log has no request line, so no numbers


def test_demo_lists_the_applications_and_their_digits_without_reseeding(tmp_path, monkeypatch, capsys) -> None:
    url = f"sqlite:///{tmp_path / 'progress.db'}"
    monkeypatch.setenv("YUBAN_PROGRESS_DATABASE_URL", url)
    monkeypatch.delenv("YUBAN_PROGRESS_URL", raising=False)
    seed_args = parse("seed", "--reference-date", "2026-05-14", "--count", "12", "--show", "0")
    seed_args.handler(seed_args)
    capsys.readouterr()
    engine = make_engine(url)
    repository = ProgressRepository.for_engine(engine)
    stored = {app.number: app.phone_last4 for app, _ in repository.listing()}
    args = parse("demo", "--json")
    assert args.handler(args) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {a["number"]: a["phone_last4"] for a in listed["applications"]} == stored
    assert {a["identity"]["subject"] for a in listed["applications"] if a["identity"]} >= {"demo-app-user-001"}
    assert repository.count() == 12 and repository.meta("reference").startswith("2026-05-14")  # nothing reseeded
    engine.dispose()


def test_demo_is_refused_for_a_real_platform_or_data_not_seeded(tmp_path, monkeypatch, capsys) -> None:
    import pytest

    monkeypatch.setenv("YUBAN_PROGRESS_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.db'}")
    monkeypatch.setenv("YUBAN_PROGRESS_URL", "https://approval.platform.example/progress")
    args = parse("demo", "--json")
    with pytest.raises(SystemExit):
        args.handler(args)
    assert "真实的审批平台" in capsys.readouterr().err
    monkeypatch.setenv("YUBAN_PROGRESS_URL", "http://127.0.0.1:8100")
    with pytest.raises(SystemExit):
        args.handler(args)
    assert "没有演示数据" in capsys.readouterr().err
