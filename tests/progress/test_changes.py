"""The change feed: `./yuban progress advance`, `GET /v1/changes` (cursor, limit, bad
input), the documented shape, and the client's parser of a page."""
from __future__ import annotations

import argparse

import aiohttp
import pytest
import yaml

from progress_api.changes import FeedFormatError, parse_page
from progress_service import changes as feed
from progress_service.app import create_app
from progress_service.repository import ROOT, ProgressRepository, make_engine
from progress_service.seed import seed_url
from progress_service.settings import Settings
from tests.progress.conftest import REFERENCE, start
from tooling.cli import progress_cmd

SPEC = yaml.safe_load((ROOT / "docs" / "progress-api.yaml").read_text(encoding="utf-8"))


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    progress_cmd.register(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(["progress", *argv])


@pytest.fixture
def movable(tmp_path, monkeypatch) -> tuple[str, list[tuple[str, str]]]:
    """A database of its own (the feed is written to) and (number, stage) of every application."""
    url = f"sqlite:///{tmp_path / 'progress.db'}"
    seed_url(url, reference=REFERENCE)
    monkeypatch.setenv("YUBAN_PROGRESS_DATABASE_URL", url)
    monkeypatch.delenv("YUBAN_PROGRESS_URL", raising=False)
    engine = make_engine(url)
    from progress_service.views import STAGES, current_stage

    apps = [(app.number, STAGES[current_stage(app)][0]) for app, _ in ProgressRepository.for_engine(engine).listing()]
    engine.dispose()
    return url, apps


async def changes(server, **params) -> tuple[int, dict]:
    async with aiohttp.ClientSession() as session:
        async with session.get(server.make_url("/v1/changes"), params=params) as response:
            return response.status, await response.json()


def test_cursor_round_trip_and_refusals() -> None:
    assert feed.decode_cursor(feed.encode_cursor(42)) == 42 and feed.decode_cursor(None) == 0
    for bad in ("abc", "!!", feed.encode_cursor(1) + "x", "a" * 65):
        with pytest.raises(feed.CursorError):
            feed.decode_cursor(bad)


def test_advance_moves_one_stage_and_refuses_a_completed_one(movable, capsys) -> None:
    url, apps = movable
    number = next(n for n, stage in apps if stage == "submitted")
    for expected in ("受理", "审查", "决定", "制证/送达"):
        args = parse("advance", number.lower())
        assert args.handler(args) == 0
        assert f"已进入“{expected}”环节" in capsys.readouterr().out
    args = parse("advance", number)
    with pytest.raises(SystemExit):
        args.handler(args)
    assert "已办结" in capsys.readouterr().err
    engine = make_engine(url)
    found, position, more = feed.read(engine, 0, 10)
    engine.dispose()
    assert [c["stage"] for c in found] == ["accepted", "review", "decision", "delivery"] and not more
    assert found[-1]["status"] == "completed" and position == 4


def test_advance_is_refused_for_a_real_platform_and_bad_numbers(movable, monkeypatch, capsys) -> None:
    _, apps = movable
    monkeypatch.setenv("YUBAN_PROGRESS_URL", "https://approval.platform.example/progress")
    with pytest.raises(SystemExit):
        parse("advance", apps[0][0]).handler(parse("advance", apps[0][0]))
    assert "真实的审批平台" in capsys.readouterr().err
    monkeypatch.delenv("YUBAN_PROGRESS_URL")
    for bad in ("CQ2026", apps[0][0][:-1] + str((int(apps[0][0][-1]) + 1) % 10)):
        with pytest.raises(SystemExit):
            parse("advance", bad).handler(parse("advance", bad))
        assert "格式不正确" in capsys.readouterr().err


async def test_the_feed_pages_by_cursor_and_never_repeats(movable) -> None:
    url, apps = movable
    engine = make_engine(url)
    open_numbers = [n for n, stage in apps if stage != "delivery"][:5]
    for number in open_numbers:
        feed.advance(engine, number, REFERENCE)
    server = await start(create_app(Settings(database_url=url, seed_if_empty=False, now=lambda: REFERENCE)))
    try:
        status, empty_start = await changes(server, limit="2")
        assert status == 200 and len(empty_start["changes"]) == 2 and empty_start["has_more"] is True
        seen = [c["number"] for c in empty_start["changes"]]
        cursor = empty_start["next_cursor"]
        while True:
            status, page = await changes(server, since=cursor, limit="2")
            seen += [c["number"] for c in page["changes"]]
            cursor = page["next_cursor"]
            if not page["has_more"]:
                break
        assert seen == open_numbers
        status, idle = await changes(server, since=cursor)
        assert idle == {"changes": [], "next_cursor": cursor, "has_more": False}
        feed.advance(engine, open_numbers[0], REFERENCE)  # a later change comes after the cursor
        status, later = await changes(server, since=cursor)
        assert [c["number"] for c in later["changes"]] == open_numbers[:1]
        change = later["changes"][0]
        required = SPEC["components"]["schemas"]["StageChange"]["required"]
        assert set(change) == set(required) and change["at"].endswith("+08:00")
        assert "applicant" not in str(later)  # never the applicant's data
        page = parse_page(later)
        assert page.changes[0].number == open_numbers[0] and page.next_cursor == later["next_cursor"]
        for params in ({"since": "not-ours!"}, {"since": "Zm9vOjE"}, {"limit": "0"}, {"limit": "501"},
                       {"limit": "x"}):
            status, body = await changes(server, **params)
            assert status == 400 and body["error"]["code"] == "bad_request"
    finally:
        await server.close()
        engine.dispose()


async def test_the_feed_needs_the_token_when_one_is_set(movable) -> None:
    url, _ = movable
    server = await start(create_app(Settings(database_url=url, seed_if_empty=False, token="t" * 32)))
    try:
        status, body = await changes(server)
        assert status == 401
    finally:
        await server.close()


def test_a_malformed_page_is_refused() -> None:
    for data in ({}, {"changes": [], "next_cursor": "", "has_more": False},
                 {"changes": [{"number": "CQ1"}], "next_cursor": "x", "has_more": False}, []):
        with pytest.raises(FeedFormatError):
            parse_page(data)
