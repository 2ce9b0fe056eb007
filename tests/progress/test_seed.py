"""The demonstration data: every stage, some overdue, real catalog items, deterministic."""
from __future__ import annotations

from collections import Counter
from datetime import datetime

import yaml

from progress_api.numbers import is_valid
from progress_service.repository import make_engine
from progress_service.seed import CATALOG_DIR, DEMO_IDENTITIES, add_working_days, demo_rows, load_catalog, seed
from tests.progress.conftest import REFERENCE


def catalog_codes() -> dict[str, str]:
    codes = {}
    for path in CATALOG_DIR.glob("*.yml"):
        for item in yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader).get("items") or []:
            codes[str(item["code"])] = item["name"]
    return codes


def test_about_forty_applications_for_catalog_items(rows) -> None:
    codes = catalog_codes()
    assert len(rows) == 40
    assert all(codes.get(r.item_code) == r.item_name for r in rows)
    assert len({r.number for r in rows}) == 40
    assert all(is_valid(r.number) and r.number[2:10] == f"{r.submitted_at:%Y%m%d}" for r in rows)


def test_every_stage_and_some_overdue(tmp_path) -> None:
    report = seed(make_engine(f"sqlite:///{tmp_path / 'p.db'}"), reference=REFERENCE)
    assert set(report.stages) == {"submitted", "accepted", "review", "decision", "delivery"}
    assert all(count >= 5 for count in report.stages.values())
    assert 5 <= report.overdue < 20
    overdue_stages = Counter(stage for _, _, stage, late in report.examples if late)
    assert {"accepted", "review", "decision", "delivery"} <= set(overdue_stages)


def test_timelines_are_in_order_and_in_the_past(rows) -> None:
    for r in rows:
        times = [t for t in (r.submitted_at, r.accepted_at, r.review_at, r.decided_at, r.delivered_at) if t]
        assert times == sorted(times) and times[-1] < REFERENCE
        reached = [t is not None for t in (r.accepted_at, r.review_at, r.decided_at, r.delivered_at)]
        assert reached == sorted(reached, reverse=True)  # no gaps in the timeline
        assert (r.promised_date is None) == (r.accepted_at is None)


def test_people_look_real_and_identities_own_several(rows) -> None:
    assert all(len(r.applicant_phone) == 11 and r.applicant_phone.startswith("1") for r in rows)
    assert all(2 <= len(r.applicant_name) <= 3 for r in rows)
    owned = Counter((r.identity_channel, r.identity_subject) for r in rows if r.identity_channel)
    assert set(owned) == set(DEMO_IDENTITIES) and min(owned.values()) >= 2


def test_same_reference_same_data() -> None:
    items = load_catalog()
    first = [(r.number, r.applicant_phone, r.item_code) for r in demo_rows(items, REFERENCE)]
    again = [(r.number, r.applicant_phone, r.item_code) for r in demo_rows(items, REFERENCE)]
    later = [(r.number, r.applicant_phone, r.item_code) for r in demo_rows(items, datetime(2026, 6, 1, 8))]
    assert first == again
    assert [x[1:] for x in first] == [x[1:] for x in later]  # only dates (and so numbers) move


def test_working_days_skip_weekends() -> None:
    friday = REFERENCE.date().replace(day=15)
    assert add_working_days(friday, 1).isoformat() == "2026-05-18"
    assert add_working_days(friday, -5).isoformat() == "2026-05-08"
