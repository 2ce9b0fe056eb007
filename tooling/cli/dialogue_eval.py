"""`./yuban eval dialogues`: multi-turn conversations scored on the replies' payloads.

Each dialogue of ../shared/data/eval/dev_dialogues.jsonl (format in its README) is sent
turn by turn as one conversation through the REST channel; each turn is judged on the
`custom` payloads of its replies. Printed: turn accuracy and dialogue success per
category, side-intent misfires on in-scope turns, needless menus, menu rate and p50 /
p90 per turn. `--start` starts a private stack (own catalog, progress database and
ports) the way the integration tests do; otherwise it talks to `--url`.

The scoring functions are shared with the tests that run the project's own dialogues
through the actions (tests/actions/test_dialogues.py).
"""
from __future__ import annotations

import json
import re
import statistics
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

ANSWER_TYPES = ("guide", "bundle", "choices", "progress", "progress_list")
SIDE_REASONS = ("complaint", "out_of_scope", "user_request")
PROGRESS_ASK = re.compile(r"编号|尾号|后四位")
FORMAT_COMPLAINT = re.compile(r"格式不对|格式有误|格式错误")


@dataclass(frozen=True)
class Application:
    number: str
    last4: str


def load_dialogues(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def fill(text: str, app: Application | None, last_options: list[dict], expect: dict) -> str:
    """Placeholders: {APP_NO}, {PHONE4}, {WRONG4}, {PICK} / {PICK_ORD} (the option matching the turn's item)."""
    if app is not None:
        wrong = f"{(int(app.last4) + 1111) % 10000:04d}"
        text = text.replace("{APP_NO}", app.number).replace("{PHONE4}", app.last4).replace("{WRONG4}", wrong)
    if "{PICK" in text:
        index = next((i for i, o in enumerate(last_options, 1)
                      if expect.get("item") and re.search(expect["item"], o.get("item_name") or "")), 1)
        text = text.replace("{PICK_ORD}", f"第{index}个").replace("{PICK}", str(index))
    return text


def turn_passes(expect: dict, payloads: list[dict], texts: str) -> bool:
    """The README's rules: the expected payload type, item pattern, aspect (full match) and district."""
    kind = expect.get("type")
    types = [p.get("type") for p in payloads]
    if kind == "any_answer":
        return bool(payloads or texts.strip())
    if kind == "handoff":
        return "handoff" in types
    if kind == "not_found":
        return ("not_found" in types or "handoff" in types) and not any(t in ANSWER_TYPES for t in types)
    if kind == "progress_ask":
        if FORMAT_COMPLAINT.search(texts) or any(t in ANSWER_TYPES for t in types):
            return False
        asks = expect.get("asks")
        if asks == "number":
            return "编号" in texts
        if asks == "digits":
            return bool(re.search(r"尾号|后四位", texts))
        return bool(PROGRESS_ASK.search(texts))
    if kind == "progress_result":
        return any(t in ("progress", "progress_list") for t in types)
    for payload in payloads:
        if payload.get("type") != kind:
            continue
        if kind == "choices":
            if any(re.search(expect.get("item", ""), o.get("item_name") or "") for o in payload.get("options", [])):
                return True
            continue
        name = payload.get("item_name") if kind == "guide" else payload.get("bundle_name")
        if expect.get("item") and not re.search(expect["item"], name or ""):
            continue
        if kind == "guide" and expect.get("aspect") and not re.fullmatch(expect["aspect"], payload.get("aspect") or ""):
            continue
        if expect.get("district") and payload.get("district") != expect["district"]:
            continue
        return True
    return False


def side_misfire(expect: dict, payloads: list[dict]) -> bool:
    """An in-scope turn (a guide or bundle was expected) answered with a side intent's handoff."""
    if expect.get("type") not in ("guide", "bundle", "choices"):
        return False
    return any(p.get("type") == "handoff" and p.get("reason") in SIDE_REASONS for p in payloads)


def needless_menu(expect: dict, payloads: list[dict]) -> bool:
    """A menu where an answer was expected."""
    return expect.get("type") in ("guide", "bundle") and any(p.get("type") == "choices" for p in payloads)


@dataclass
class DialogueScores:
    turns: int = 0
    right: int = 0
    dialogues: int = 0
    complete: int = 0
    misfires: int = 0
    needless_menus: int = 0
    menus: int = 0
    seconds: list[float] = field(default_factory=list)
    by_category: dict = field(default_factory=lambda: defaultdict(lambda: [0, 0, 0, 0]))  # turns, right, dialogues, complete
    failures: list[str] = field(default_factory=list)

    @property
    def turn_accuracy(self) -> float:
        return self.right / max(self.turns, 1)

    @property
    def success(self) -> float:
        return self.complete / max(self.dialogues, 1)

    def table(self) -> str:
        lines = [f"{'category':<12} {'turns':>9} {'dialogues':>11}"]
        for category in sorted(self.by_category):
            turns, right, dialogues, complete = self.by_category[category]
            lines.append(f"{category:<12} {right:>3}/{turns:<3} {right / max(turns, 1):>4.0%} "
                         f"{complete:>3}/{dialogues:<3} {complete / max(dialogues, 1):>4.0%}")
        p50 = statistics.median(self.seconds) * 1000 if self.seconds else 0.0
        p90 = (sorted(self.seconds)[int(len(self.seconds) * 0.9) - 1] * 1000) if len(self.seconds) >= 10 else p50
        lines.append(f"dialogue eval: turn accuracy {self.turn_accuracy:.1%} ({self.right}/{self.turns}), "
                     f"dialogues with every turn right {self.success:.1%} ({self.complete}/{self.dialogues}), "
                     f"side-intent misfires {self.misfires}, needless menus {self.needless_menus} "
                     f"({self.needless_menus / max(self.turns, 1):.1%} of turns), menu rate "
                     f"{self.menus / max(self.turns, 1):.1%}, p50 per turn {p50:.0f} ms, p90 {p90:.0f} ms")
        return "\n".join(lines)


Send = Callable[[str, str], list[dict]]  # (sender, text) -> REST messages


def score_dialogues(send: Send, dialogues: Iterable[dict], applications: list[Application],
                    verbose: bool = False) -> DialogueScores:
    scores = DialogueScores()
    apps = list(applications)
    for index, dialogue in enumerate(dialogues):
        sender = f"eval-d-{dialogue['id']}-{uuid.uuid4().hex[:6]}"
        app = apps[index % len(apps)] if apps else None
        options: list[dict] = []
        all_right = True
        category = scores.by_category[dialogue.get("category", "other")]
        for turn in dialogue["turns"]:
            expect = turn["expect"]
            text = fill(turn["user"], app, options, expect)
            started = time.perf_counter()
            messages = send(sender, text)
            scores.seconds.append(time.perf_counter() - started)
            payloads = [m["custom"] for m in messages if isinstance(m.get("custom"), dict)]
            texts = "\n".join(m.get("text") or "" for m in messages)
            ok = turn_passes(expect, payloads, texts)
            scores.turns += 1
            scores.right += ok
            category[0] += 1
            category[1] += ok
            scores.misfires += side_misfire(expect, payloads)
            scores.needless_menus += needless_menu(expect, payloads)
            scores.menus += any(p.get("type") == "choices" for p in payloads)
            for payload in payloads:
                if payload.get("type") == "choices":
                    options = payload.get("options", [])
            if not ok:
                all_right = False
                shown = [{k: p.get(k) for k in ("type", "item_name", "bundle_name", "aspect", "district", "reason")
                          if p.get(k)} for p in payloads] or texts[:60]
                scores.failures.append(f"  ✗ {dialogue['id']} {text[:40]} → {shown} (want {expect})")
        scores.dialogues += 1
        scores.complete += all_right
        category[2] += 1
        category[3] += all_right
    if verbose:
        print("\n".join(scores.failures))
    return scores


def applications_from_url(url: str) -> list[Application]:
    """The demonstration applications of a progress database (read-only; never reseeds)."""
    from sqlalchemy import create_engine, select

    from progress_service.models import ApplicationRow

    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(select(ApplicationRow.number, ApplicationRow.applicant_phone)
                                      .order_by(ApplicationRow.id)).all()
    finally:
        engine.dispose()
    return [Application(number, phone[-4:]) for number, phone in rows if phone]
