"""Dashboard and queue aggregation queries against synthetic Rasa events with known answers.

The scenario (tests/console/analytics_fixtures.py) has 17 turns in 7 conversations; the
expected figures below were worked out by hand from it.
"""
from __future__ import annotations

from contextlib import ExitStack
from datetime import date, datetime, timedelta

import pytest

from console.analytics import curation_queue, queries
from console.analytics.ingest import Ingestor
from console.analytics.queries import DayRange, RangeError, percentile
from knowledge.db import get_engine, session_factory
from tests.console.analytics_fixtures import D2, EventLog, Talk, at, postgres_copy, postgres_reachable, write_known_scenario
from tests.strict import unavailable

TWO_DAYS = DayRange(date(2026, 11, 20), date(2026, 11, 21))


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def known(request, tmp_path_factory):
    """(sessions, event log) with the known scenario ingested: SQLite (embedded profile) and
    PostgreSQL (production profile; skipped when no server is reachable)."""
    folder = tmp_path_factory.mktemp("analytics-known")
    log = EventLog(folder / "events.db")
    write_known_scenario(log)
    with ExitStack() as stack:
        if request.param == "sqlite":
            catalog_url, events_url = f"sqlite:///{folder / 'catalog.db'}", log.url
        else:
            if not postgres_reachable():
                unavailable("PostgreSQL not reachable (YUBAN_TEST_POSTGRES)")
            catalog_url, events_url = stack.enter_context(postgres_copy(log))
        sessions = session_factory(get_engine(catalog_url))
        ingestor = Ingestor(sessions, events_url, batch_size=1000)
        report = ingestor.run(max_batches=10)
        assert report.events == log.count()
        yield sessions, log
        ingestor.dispose()
    log.close()


def test_totals_and_rates(known):
    sessions, _log = known
    with sessions() as session:
        totals = queries.totals(session, TWO_DAYS)
    assert totals["turns"] == 16
    assert totals["conversations"] == 6  # sender-a has two sessions
    assert totals["questions"] == 8
    assert totals["answered"] == 4 and totals["answered_rate"] == 0.5
    assert totals["fallback"] == 4 and totals["fallback_rate"] == 0.5
    assert totals["handoff_conversations"] == 2 and totals["handoff_rate"] == round(2 / 6, 4)
    assert (totals["useful"], totals["useless"], totals["usefulness_rate"]) == (1, 1, 0.5)
    assert totals["progress_queries"] == 2
    assert (totals["progress_applications"], totals["progress_overdue"], totals["overdue_share"]) == (4, 2, 0.5)


def test_volume_by_channel_district_hour_and_day(known):
    sessions, _log = known
    with sessions() as session:
        assert queries.by_channel(session, TWO_DAYS) == [
            {"channel": "app", "turns": 6, "conversations": 2},
            {"channel": "rest", "turns": 6, "conversations": 2},
            {"channel": "wechat", "turns": 4, "conversations": 2}]
        # The district slot set during a turn counts for that turn; a new session forgets it.
        assert queries.by_district(session, TWO_DAYS) == [{"district": "未指明", "turns": 13},
                                                          {"district": "渝北区", "turns": 3}]
        hours = {h["hour"]: h["turns"] for h in queries.by_hour(session, TWO_DAYS) if h["turns"]}
        assert hours == {8: 1, 9: 4, 10: 5, 12: 1, 21: 3, 23: 2}
        assert [(d["day"], d["turns"], d["conversations"]) for d in queries.by_day(session, TWO_DAYS)] == [
            ("2026-11-20", 7, 2), ("2026-11-21", 9, 4)]


def test_local_days_follow_chongqing_time(known):
    """00:30 on the 22nd in Chongqing is the 21st in UTC; it belongs to the 22nd."""
    sessions, _log = known
    with sessions() as session:
        third = queries.totals(session, DayRange(date(2026, 11, 22), date(2026, 11, 22)))
        hours = {h["hour"]: h["turns"] for h in queries.by_hour(session, DayRange(date(2026, 11, 22), date(2026, 11, 22)))}
    assert third["turns"] == 1 and third["conversations"] == 1
    assert hours[0] == 1 and sum(hours.values()) == 1


def test_top_items_and_handoff_reasons(known):
    sessions, _log = known
    with sessions() as session:
        assert queries.top_items(session, TWO_DAYS) == [
            {"item_code": "500A4100020000", "item_name": "有限责任公司设立登记", "answers": 3},
            {"item_code": "500F1100010000", "item_name": "出生登记", "answers": 1}]
        assert queries.handoff_reasons(session, TWO_DAYS) == [{"reason": "repeated_failure", "turns": 1},
                                                              {"reason": "user_request", "turns": 1}]


def test_response_time_percentiles(known):
    sessions, _log = known
    with sessions() as session:
        times = queries.response_times(session, TWO_DAYS)
    # 50,50,80,100,100,100,150,200,250,300,300,400,400,500,600,800 (ms)
    assert times == {"p50": 200, "p90": 600, "p95": 800, "p99": 800, "count": 16, "mean": 274}


def test_percentile_is_nearest_rank():
    assert percentile([], 50) is None
    assert percentile([7], 99) == 7
    assert [percentile(list(range(1, 11)), p) for p in (10, 50, 90, 91, 100)] == [1, 5, 9, 10, 10]


def test_empty_range_has_no_rates(known):
    sessions, _log = known
    with sessions() as session:
        data = queries.dashboard(session, DayRange(date(2025, 1, 1), date(2025, 1, 3)))
    assert data["totals"]["turns"] == 0
    assert data["totals"]["answered_rate"] is None and data["totals"]["usefulness_rate"] is None
    assert data["response_ms"]["p50"] is None
    assert [d["turns"] for d in data["by_day"]] == [0, 0, 0]
    assert len(data["by_hour"]) == 24


def test_day_range_parsing():
    today = date(2026, 11, 28)
    assert DayRange.parse(None, None, today) == DayRange(date(2026, 11, 22), today)
    assert DayRange.parse("2026-11-01", "2026-11-03", today).days()[-1] == date(2026, 11, 3)
    for start, end in (("2026-11-05", "2026-11-01"), ("11/01/2026", None), ("2024-01-01", "2026-01-01")):
        with pytest.raises(RangeError):
            DayRange.parse(start, end, today)


def test_queue_groups_reasons_examples_and_order(known):
    sessions, _log = known
    with sessions() as session:
        groups = curation_queue.groups(session, TWO_DAYS, threshold=0.6)
    assert [g.key for g in groups] == ["螺蛳粉摊摊怎么开", "上户口", "哈哈哈", "asdkjh", "在哪办"]
    snail = groups[0]
    # Traditional characters and the full-width question mark normalize to the same key.
    assert snail.count == 2 and snail.channels == ["wechat"]
    assert snail.examples == ["螺螄粉攤攤怎麼開？", "螺蛳粉摊摊怎么开"]  # most recent first
    assert snail.reasons == {"not_found": 2} and snail.reason == "not_found"
    assert snail.first_seen == datetime(2026, 11, 20, 13, 30) and snail.last_seen == datetime(2026, 11, 21, 0, 0)
    reasons = {g.key: g.reason for g in groups}
    assert reasons == {"螺蛳粉摊摊怎么开": "not_found", "上户口": "low_confidence", "哈哈哈": "fallback",
                       "asdkjh": "not_found", "在哪办": "useless"}


def test_queue_threshold_and_privacy(known):
    sessions, _log = known
    with sessions() as session:
        strict = {g.key for g in curation_queue.groups(session, TWO_DAYS, threshold=0.5)}
        keys = {g.key for g in curation_queue.groups(session, TWO_DAYS, threshold=0.99)}
    assert "上户口" not in strict
    # Form answers (application number, phone digits) never enter the queue or the tables' text.
    assert not any("3659" in k or "cq2026" in k for k in keys)
    assert "渝北区开公司要什么材料" in keys  # 0.97 < 0.99


def test_resolved_group_hides_until_the_question_returns(tmp_path):
    log = EventLog(tmp_path / "events.db")
    write_known_scenario(log)
    sessions = session_factory(get_engine(f"sqlite:///{tmp_path / 'catalog.db'}"))
    ingestor = Ingestor(sessions, log.url)
    ingestor.run(max_batches=10)
    with sessions.begin() as session:
        curation_queue.mark(session, "螺蛳粉摊摊怎么开", "alias", "editor", datetime(2026, 11, 21, 1, 0),
                            item_code="500A1100030000", alias="螺蛳粉摊摊")
    with sessions() as session:
        assert "螺蛳粉摊摊怎么开" not in {g.key for g in curation_queue.groups(session, TWO_DAYS)}
    Talk(log, "sender-h", "rest", at(D2, 20)).session().user("螺蛳粉摊摊怎么开", "ask_flow", 0.9).bot(
        100, {"type": "not_found"})
    ingestor.run()
    with sessions() as session:
        back = {g.key: g for g in curation_queue.groups(session, TWO_DAYS)}["螺蛳粉摊摊怎么开"]
    assert back.count == 3 and back.channels == ["rest", "wechat"]
    assert back.previous["status"] == "alias" and back.previous["alias"] == "螺蛳粉摊摊"
    log.close()


def test_day_range_default_ends_today():
    today = date.today()
    assert DayRange.parse(None, None, today).start == today - timedelta(days=6)
