"""Demonstration applications for items of the demonstration catalog.

The seed is deterministic for a given reference date and catalog: the same items,
people, phones and serials every time, with dates placed relative to the reference
date so that every stage is represented and some applications are overdue whatever
day the demo runs. Names and phones are invented; so is everything else.
Working days skip weekends only (the demo has no holiday calendar).
"""
from __future__ import annotations

import random
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import yaml
from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session

from progress_service.models import ApplicationRow, MetaRow
from progress_api.numbers import make_number
from progress_service.repository import ROOT, ProgressRepository, create_schema, make_engine

CATALOG_DIR = ROOT / "data" / "catalog"
CHINA = timezone(timedelta(hours=8))
RNG_SEED = 20260514
STAGE_KEYS = ("submitted", "accepted", "review", "decision", "delivery")
DISTRICTS = ("渝中区", "江北区", "沙坪坝区", "九龙坡区", "南岸区", "北碚区", "渝北区", "巴南区", "万州区", "涪陵区",
             "永川区", "合川区")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何罗高林谭冉向"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰川渝"
MOBILE_PREFIXES = ("133", "135", "136", "138", "139", "150", "152", "158", "177", "180", "186", "189", "199")
# Identities a channel is assumed to have verified, owning some demo applications.
DEMO_IDENTITIES: tuple[tuple[str, str], ...] = (
    ("app", "demo-app-user-001"), ("app", "demo-app-user-002"), ("wechat", "demo-wechat-openid-001"),
)
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 20x faster on the catalog
_LIMIT = re.compile(r"^(\d+)个工作日")


@dataclass(frozen=True)
class CatalogItem:
    code: str
    name: str
    department: str
    district_body: str
    levels: tuple[str, ...]
    promised_limit: str
    limit_days: int
    consult_phone: str
    supervision_phone: str


@dataclass
class SeedReport:
    reference: datetime
    count: int = 0
    stages: Counter = field(default_factory=Counter)
    overdue: int = 0
    examples: list[tuple[str, str, str, bool]] = field(default_factory=list)  # number, last four, stage, overdue


def now_local() -> datetime:
    """The current Chongqing wall-clock time, naive (how the database stores times)."""
    return datetime.now(CHINA).replace(tzinfo=None, microsecond=0)


def load_catalog(folder: Path = CATALOG_DIR) -> list[CatalogItem]:
    """Items whose promised limit is a number of working days (others cannot be overdue)."""
    items: list[CatalogItem] = []
    for path in sorted(Path(folder).glob("*.yml")):
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER) or {}
        department = doc.get("department") or {}
        for raw in doc.get("items") or []:
            impl = raw.get("implementation") or (raw.get("implementations") or [{}])[0] or {}
            limit = str(impl.get("promised_limit") or "")
            match = _LIMIT.match(limit)
            if not match or not raw.get("code") or not 1 <= int(match.group(1)) <= 30:
                continue
            items.append(CatalogItem(
                code=str(raw["code"]), name=str(raw["name"]), department=str(department.get("name", "")),
                district_body=str(department.get("district_body") or department.get("name", "")),
                levels=tuple(impl.get("levels") or ("city",)), promised_limit=limit,
                limit_days=int(match.group(1)), consult_phone=str(department.get("consult_phone") or "023-12345"),
                supervision_phone=str(department.get("supervision_phone") or "023-12345"),
            ))
    return items


def add_working_days(day: date, n: int) -> date:
    step = 1 if n >= 0 else -1
    for _ in range(abs(n)):
        day += timedelta(days=step)
        while day.weekday() >= 5:
            day += timedelta(days=step)
    return day


def _demo_phone(body: str) -> str:
    digest = sum(ord(ch) * (i + 7) for i, ch in enumerate(body))
    return f"023-6{digest % 10_000_000:07d}"


def _person(rng: random.Random) -> tuple[str, str]:
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
    return name, rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def _plan(i: int) -> tuple[int, bool]:
    """Stage index and overdue flag of the i-th application: all stages, some late."""
    stage, round_ = i % 5, i // 5
    overdue = round_ % 3 == 0 if stage in (1, 2, 3) else (round_ % 3 == 2 if stage == 4 else False)
    return stage, overdue


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(9)) + timedelta(minutes=rng.randrange(0, 420))


def _between(start: datetime, end: datetime, k: int, rng: random.Random) -> list[datetime]:
    span = (end - start).total_seconds()
    return [start + timedelta(seconds=int(span * f)) for f in sorted(rng.uniform(0.1, 0.9) for _ in range(k))]


def demo_rows(items: list[CatalogItem], reference: datetime, count: int = 40) -> list[ApplicationRow]:
    """The demonstration applications for ``reference`` (the moment the demo treats as now)."""
    if len(items) < 1:
        raise ValueError("演示目录中没有可用于办件的事项（需要以“N个工作日”表示承诺时限的事项）")
    rng = random.Random(RNG_SEED)
    chosen = rng.sample(items, count) if len(items) >= count else [rng.choice(items) for _ in range(count)]
    people = {identity: _person(rng) for identity in DEMO_IDENTITIES}
    today, serials, rows = reference.date(), set(), []
    for i, item in enumerate(chosen):
        stage, overdue = _plan(i)
        identity = DEMO_IDENTITIES[(i // 3) % 3] if i % 8 in (0, 3, 6) else None
        name, phone = people[identity] if identity else _person(rng)
        region = "重庆市" if "district" not in item.levels else rng.choice(DISTRICTS)
        body = item.department if region == "重庆市" else item.district_body.format(region=region)
        body_phone = item.consult_phone if region == "重庆市" else _demo_phone(body)
        n = item.limit_days
        times: list[datetime | None] = [None] * 5
        promised: date | None = None
        if stage == 0:
            times[0] = reference - timedelta(hours=rng.randint(2, 40), minutes=rng.randrange(60))
        else:
            if stage == 4:
                accepted = add_working_days(today, -(n + rng.randint(1, 8) + (3 if overdue else 0)))
            elif overdue:
                accepted = add_working_days(today, -(n + rng.randint(1, 6)))
            else:
                accepted = add_working_days(today, -rng.randint(1, n))
            promised = add_working_days(accepted, n)
            times[1] = _at(accepted, rng)
            times[0] = times[1] - timedelta(hours=rng.randint(1, 60), minutes=rng.randrange(60))
            if stage == 4:
                done = add_working_days(promised, rng.randint(1, 3)) if overdue else \
                    add_working_days(accepted, rng.randint(1, n))
                times[4] = max(_at(done, rng), times[1] + timedelta(hours=2))
                times[2], times[3] = _between(times[1], times[4], 2, rng)
            else:
                end = reference - timedelta(minutes=30)
                times[2:stage + 1] = _between(times[1], end, stage - 1, rng)
        submitted = times[0]
        assert submitted is not None
        while (serial := rng.randint(1, 999_999)) in serials:
            pass
        serials.add(serial)
        rows.append(ApplicationRow(
            number=make_number(submitted.date(), serial), item_code=item.code, item_name=item.name,
            body_name=body, body_phone=body_phone, supervision_phone=item.supervision_phone, region=region,
            promised_limit=item.promised_limit, applicant_name=name, applicant_phone=phone,
            identity_channel=identity[0] if identity else None, identity_subject=identity[1] if identity else None,
            submitted_at=submitted, accepted_at=times[1], review_at=times[2], decided_at=times[3],
            delivered_at=times[4], promised_date=promised,
        ))
    return rows


def seed(engine: Engine, catalog_dir: Path = CATALOG_DIR, reference: datetime | None = None,
         count: int = 40) -> SeedReport:
    """Replace all applications with the demonstration set, in one transaction."""
    reference = reference or now_local()
    rows = demo_rows(load_catalog(catalog_dir), reference, count)
    create_schema(engine)
    report = SeedReport(reference=reference, count=len(rows))
    with Session(engine) as session, session.begin():
        session.execute(delete(ApplicationRow))
        session.add_all(rows)
        session.merge(MetaRow(key="reference", value=reference.isoformat()))
        for row in rows:
            stage = max(i for i, t in enumerate((row.submitted_at, row.accepted_at, row.review_at,
                                                 row.decided_at, row.delivered_at)) if t is not None)
            report.stages[STAGE_KEYS[stage]] += 1
            late = row.promised_date is not None and \
                (row.delivered_at.date() if row.delivered_at else reference.date()) > row.promised_date
            report.overdue += late
            report.examples.append((row.number, row.applicant_phone[-4:], STAGE_KEYS[stage], late))
    return report


def seed_url(url: str, reference: datetime | None = None) -> SeedReport:
    """Seed the database at `url` (created if needed); for tests and benchmarks."""
    engine = make_engine(url)
    try:
        return seed(engine, reference=reference)
    finally:
        engine.dispose()


def ensure_seeded(engine: Engine, catalog_dir: Path = CATALOG_DIR) -> SeedReport | None:
    """Seed an empty database (first `serve`); leave existing data alone."""
    create_schema(engine)
    if ProgressRepository.for_engine(engine).count():
        return None
    return seed(engine, catalog_dir)
