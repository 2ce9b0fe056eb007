"""Ingestion from the event broker's table: idempotent, resumable, private, robust to bad rows."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, update

from console.analytics import events as ev
from console.analytics import queries
from console.analytics.ingest import Ingestor, source_name
from console.analytics.queries import DayRange
from console.analytics.tables import ConversationStateRow, CursorRow, TurnRow
from knowledge.db import get_engine, session_factory
from tests.console.analytics_fixtures import D1, EventLog, Talk, at, write_known_scenario
from tests.strict import unavailable

ALL_DAYS = DayRange(date(2026, 11, 19), date(2026, 11, 23))


def fresh_catalog(path):
    return session_factory(get_engine(f"sqlite:///{path}"))


def snapshot(sessions) -> dict:
    """Everything the dashboard would show, plus the raw turns (for exact comparison)."""
    with sessions() as session:
        data = queries.dashboard(session, ALL_DAYS)
        turns = [(t.event_id, t.conversation, t.kind, t.text, t.district, t.answered, t.not_found, t.feedback,
                  t.response_ms, t.handoff_reason, t.progress_answers, t.progress_overdue)
                 for t in session.scalars(select(TurnRow).order_by(TurnRow.event_id))]
    return {"dashboard": data, "turns": turns}


@pytest.fixture
def log(tmp_path):
    events = EventLog(tmp_path / "events.db")
    write_known_scenario(events)
    yield events
    events.close()


@pytest.fixture
def reference(log, tmp_path):
    sessions = fresh_catalog(tmp_path / "reference.db")
    Ingestor(sessions, log.url, batch_size=100_000).run()
    return snapshot(sessions)


def test_running_again_changes_nothing(log, tmp_path, reference):
    sessions = fresh_catalog(tmp_path / "catalog.db")
    ingestor = Ingestor(sessions, log.url)
    first = ingestor.run(max_batches=5)
    assert first.events == log.count() and first.turns == 17
    assert ingestor.run(max_batches=5).events == 0
    assert snapshot(sessions) == reference


def test_rereading_from_the_start_changes_nothing(log, tmp_path, reference):
    """Even with the cursor lost, events already applied are skipped (per-sender high-water mark)."""
    sessions = fresh_catalog(tmp_path / "catalog.db")
    ingestor = Ingestor(sessions, log.url)
    ingestor.run(max_batches=5)
    with sessions.begin() as session:
        session.execute(update(CursorRow).values(last_event_id=0))
    again = ingestor.run(max_batches=5)
    assert again.events == log.count() and again.turns == 0
    assert snapshot(sessions) == reference


@pytest.mark.parametrize("batch_size", [1, 3, 7, 40])
def test_any_batch_size_gives_the_same_result(log, tmp_path, reference, batch_size):
    """Turns split across batches (user event in one, replies in the next) come out whole."""
    sessions = fresh_catalog(tmp_path / "catalog.db")
    ingestor = Ingestor(sessions, log.url, batch_size=batch_size)
    batches = 0
    while ingestor.run_batch().events:
        batches += 1
    assert batches == -(-log.count() // batch_size)
    assert snapshot(sessions) == reference


def test_a_failed_batch_leaves_nothing_behind_and_resumes(log, tmp_path, reference, monkeypatch):
    sessions = fresh_catalog(tmp_path / "catalog.db")
    ingestor = Ingestor(sessions, log.url, batch_size=25)
    ingestor.run_batch()
    from console.analytics import ingest

    calls = {"n": 0}
    original = ingest._Batch.apply

    def failing(self, event_id, sender, event):
        calls["n"] += 1
        if calls["n"] == 10:
            raise RuntimeError("database went away")
        return original(self, event_id, sender, event)

    monkeypatch.setattr(ingest._Batch, "apply", failing)
    with pytest.raises(RuntimeError):
        ingestor.run_batch()
    with sessions() as session:
        assert session.get(CursorRow, ingestor.source).last_event_id == 25
    monkeypatch.setattr(ingest._Batch, "apply", original)
    while ingestor.run_batch().events:
        pass
    assert snapshot(sessions) == reference


def test_events_arriving_later_extend_the_open_turn(tmp_path):
    log = EventLog(tmp_path / "events.db")
    sessions = fresh_catalog(tmp_path / "catalog.db")
    ingestor = Ingestor(sessions, log.url)
    talk = Talk(log, "late", "rest", at(D1, 14)).session()
    talk.user("开公司要什么材料", "ask_materials", 0.9)
    ingestor.run()
    talk.slot("district", "江北区").bot(700, {"type": "guide", "item_code": "A1", "item_name": "甲"})
    ingestor.run()
    with sessions() as session:
        turn = session.scalars(select(TurnRow)).one()
    assert (turn.district, turn.answered, turn.item_code, turn.response_ms) == ("江北区", True, "A1", 700)
    log.close()


def test_no_event_file_or_table_yet_is_not_an_error(tmp_path):
    sessions = fresh_catalog(tmp_path / "catalog.db")
    missing = tmp_path / "not-yet.db"
    assert Ingestor(sessions, f"sqlite:///{missing}").run().events == 0
    assert not missing.exists()  # Rasa creates it, not us
    import sqlite3

    sqlite3.connect(tmp_path / "empty.db").close()
    assert Ingestor(sessions, f"sqlite:///{tmp_path / 'empty.db'}").run().events == 0


def test_bad_rows_are_skipped_and_passed(tmp_path):
    log = EventLog(tmp_path / "events.db")
    sessions = fresh_catalog(tmp_path / "catalog.db")
    log.add_raw("x", "not json")
    log.add_raw("x", "[1, 2]")
    log.add("x", {"event": "user", "text": "没有时间戳", "parse_data": {}})
    Talk(log, "x", "rest", at(D1, 8)).user("你好", "greet", 0.99).bot(10)
    report = Ingestor(sessions, log.url).run()
    assert report.events == log.count() and report.turns == 1
    log.close()


def test_recent_events_wait_for_the_settle_time(tmp_path):
    """With a settle time (PostgreSQL), events younger than it are left for the next run."""
    log = EventLog(tmp_path / "events.db")
    sessions = fresh_catalog(tmp_path / "catalog.db")
    talk = Talk(log, "s", "rest", at(D1, 8)).session()
    talk.user("你好", "greet", 0.99, at_local=at(D1, 8)).bot(10)
    cut = talk.now + 60
    talk.user("开公司", "ask_overview", 0.9, at_local=at(D1, 8, 5)).bot(10)
    clock = {"now": cut}
    ingestor = Ingestor(sessions, log.url, settle_seconds=30, clock=lambda: clock["now"])
    assert ingestor.run().turns == 1
    clock["now"] = cut + 10_000
    assert ingestor.run().turns == 1
    log.close()


def test_privacy_form_answers_numbers_and_senders(log, tmp_path):
    sessions = fresh_catalog(tmp_path / "catalog.db")
    Talk(log, "13800001111", "rest", at(D1, 11)).session().user("我身份证号500101199001011234办不了", "ask_overview", 0.9) \
        .bot(100, {"type": "not_found"})
    Ingestor(sessions, log.url).run(max_batches=5)
    with sessions() as session:
        texts = [t for t in session.scalars(select(TurnRow.text)) if t]
        senders = list(session.scalars(select(ConversationStateRow.sender_hash)))
        form_texts = list(session.scalars(select(TurnRow.text).where(TurnRow.kind == "form")))
    assert "我身份证号[数字]办不了" in texts
    assert not any("3659" in t or "CQ2026" in t or "500101" in t for t in texts)
    assert form_texts == [None, None]
    assert ev.sender_hash("13800001111") in senders and not any("13800001111" in s for s in senders)


def test_cursor_is_per_event_source(tmp_path):
    assert source_name("sqlite:////a/events.db") != source_name("sqlite:////b/events.db")
    assert "secret" not in source_name("postgresql://u:secret@h/db")
    assert source_name("postgresql://u:secret@h/db") == source_name("postgresql://u:other@h/db")


def test_a_second_event_source_is_refused(log, tmp_path):
    """Turns are keyed by broker event ids, so one catalog database follows one event table."""
    from console.analytics.ingest import IngestionError

    sessions = fresh_catalog(tmp_path / "catalog.db")
    Ingestor(sessions, log.url).run()
    other = EventLog(tmp_path / "other.db")
    Talk(other, "z", "rest", at(D1, 8)).user("你好", "greet").bot(10)
    with pytest.raises(IngestionError, match="另一个事件源"):
        Ingestor(sessions, other.url).run()
    other.close()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_concurrent_ingestors_agree(log, tmp_path, reference, backend):
    """Two console processes ingesting the same broker table at once: no loss, no double count."""
    import threading
    from contextlib import ExitStack

    from tests.console.analytics_fixtures import postgres_copy, postgres_reachable

    with ExitStack() as stack:
        if backend == "sqlite":
            catalog_url, events_url = f"sqlite:///{tmp_path / 'catalog.db'}", log.url
        else:
            if not postgres_reachable():
                unavailable("PostgreSQL not reachable (YUBAN_TEST_POSTGRES)")
            catalog_url, events_url = stack.enter_context(postgres_copy(log))
        engine = get_engine(catalog_url)
        errors: list[BaseException] = []

        def work() -> None:
            ingestor = Ingestor(session_factory(engine), events_url, batch_size=2)
            try:
                for _ in range(150):
                    ingestor.run_batch()
            except BaseException as error:  # noqa: BLE001 - reported by the test
                errors.append(error)
            finally:
                ingestor.dispose()

        threads = [threading.Thread(target=work) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors
        assert snapshot(session_factory(engine)) == reference
