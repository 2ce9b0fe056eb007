"""Analytics inside the console: the background timer and its configuration."""
from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import create_engine, func, select

from console.analytics.service import AnalyticsSettings
from console.analytics.tables import TurnRow
from console.settings import SettingsError
from tests.console.analytics_fixtures import D1, EventLog, Talk, at
from tests.console.conftest import FakeClock, make_settings, start_console



def turn_count(catalog_url: str) -> int:
    engine = create_engine(catalog_url)
    try:
        with engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(TurnRow.__table__))
    finally:
        engine.dispose()


@pytest.mark.asyncio(loop_scope="session")
async def test_the_timer_ingests_without_any_request(catalog_copy, tracker_db, tmp_path, monkeypatch):
    monkeypatch.setenv("YUBAN_ANALYTICS_INTERVAL", "0.2")
    log = EventLog(tmp_path / "events.db")
    clock = FakeClock()
    console = await start_console(make_settings(catalog_copy, tracker_db, clock, events_url=log.url), clock)
    try:
        Talk(log, "timer", "wechat", at(D1, 10)).session().user("开公司要什么材料", "ask_materials").bot(
            90, {"type": "guide", "item_code": "500A4100020000", "item_name": "有限责任公司设立登记"})
        for _ in range(100):  # a wait for the timer, not a timing assertion
            if await asyncio.to_thread(turn_count, catalog_copy):
                break
            await asyncio.sleep(0.1)
        assert await asyncio.to_thread(turn_count, catalog_copy) == 1
    finally:
        await console.server.close()
        log.close()


def test_settings_from_the_environment(monkeypatch):
    assert AnalyticsSettings.from_env() == AnalyticsSettings()
    monkeypatch.setenv("YUBAN_ANALYTICS_INTERVAL", "30")
    monkeypatch.setenv("YUBAN_ANALYTICS_BATCH", "200")
    monkeypatch.setenv("YUBAN_LOW_CONFIDENCE", "0.5")
    assert AnalyticsSettings.from_env() == AnalyticsSettings(interval_seconds=30, batch_size=200, low_confidence=0.5)


@pytest.mark.parametrize("name, value", [("YUBAN_ANALYTICS_INTERVAL", "soon"), ("YUBAN_ANALYTICS_BATCH", "0"),
                                         ("YUBAN_LOW_CONFIDENCE", "1.5")])
def test_bad_settings_name_the_variable(monkeypatch, name, value):
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=name):
        AnalyticsSettings.from_env()
