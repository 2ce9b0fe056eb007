"""The action server's CPU for a guide question, in one process, stage by stage (issue #13:
single-user latency).

No Rasa and no HTTP: the real catalog service over a fresh copy of the demonstration catalog,
the guide action run on a tracker as rasa_sdk builds it, then its response encoded as the
action server sends it. Two turns per question, each in a new conversation:

- "first": the question opens the conversation (no slots);
- "second": the same question asked again after the first answer (its alternatives are in the
  slots, so `state_of` names them: the menu's words).

For each turn: CPU (`time.process_time`) of the whole action, of `state_of`, of the catalog's
searches (and how many searches, how many of them repeat a text already searched in the same
turn), of item loading, and of encoding the response. "cold" is the first pass (empty item
cache and search caches, as after a start or a catalog change), "warm" the later passes; each
figure is the mean over the questions (and passes). The questions are our own, written for
this bench (not evaluation data).

    .venvs/actions/bin/python -m bench.first_turn_bench [--rounds 5]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

QUESTIONS = [
    ("注册个体工商户需要带哪些证件", "ask_materials"),
    ("驾照快到期了怎么换", "ask_flow"),
    ("公积金怎么提出来买房", "ask_flow"),
    ("新生儿落户去哪里办", "ask_department"),
    ("办结婚证要准备什么", "ask_materials"),
    ("出国护照怎么申请", "ask_flow"),
    ("开饭馆要办哪些许可", "ask_conditions"),
    ("退休了养老金怎么领", "ask_flow"),
    ("残疾证补办需要多久", "ask_time_limit"),
    ("二手房过户交多少钱", "ask_fee"),
]


class MeasuredCatalog:
    """The catalog service, with the CPU and count of each call kept per turn."""

    def __init__(self, service):
        self.service = service
        self.cpu: dict[str, float] = defaultdict(float)
        self.calls: Counter = Counter()
        self.texts: Counter = Counter()

    def reset(self) -> None:
        self.cpu.clear()
        self.calls.clear()
        self.texts.clear()

    def _timed(self, kind: str, call, *args, **kwargs):
        start = time.process_time()
        try:
            return call(*args, **kwargs)
        finally:
            self.cpu[kind] += time.process_time() - start
            self.calls[kind] += 1

    def search(self, text: str, top: int = 5):
        self.texts[(text, top)] += 1
        return self._timed("search", self.service.search, text, top=top)

    def item(self, code: str):
        return self._timed("item", self.service.item, code)

    def item_name(self, code: str) -> str:
        return self._timed("item_name", self.service.item_name, code)

    def bundle(self, code: str):
        return self._timed("bundle", self.service.bundle, code)

    def __getattr__(self, name):
        return getattr(self.service, name)


def tracker_for(text: str, intent: str, slots: dict | None = None):
    from rasa_sdk import Tracker

    return Tracker.from_dict({
        "sender_id": "bench", "slots": slots or {}, "events": [], "paused": False, "followup_action": None,
        "latest_message": {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []},
        "active_loop": {}, "latest_action_name": "action_listen"})


def one_turn(catalog: MeasuredCatalog, text: str, intent: str, slots: dict | None) -> tuple[dict, list[dict]]:
    """CPU of one action run by stage (ms), and the action's events."""
    from rasa_sdk.executor import CollectingDispatcher

    import actions.turn as turn
    from actions.guide import ActionAnswerGuide

    catalog.reset()
    state_cpu = [0.0]
    original = turn.state_of

    def measured_state_of(*args, **kwargs):
        start = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            state_cpu[0] += time.process_time() - start

    turn.state_of = measured_state_of
    try:
        dispatcher = CollectingDispatcher()
        start = time.process_time()
        events = asyncio.run(ActionAnswerGuide(catalog).run(dispatcher, tracker_for(text, intent, slots), {}))
        action = time.process_time() - start
    finally:
        turn.state_of = original
    start = time.process_time()
    json.dumps({"events": events, "responses": dispatcher.messages}, ensure_ascii=False)
    encode = time.process_time() - start
    repeats = sum(n - 1 for n in catalog.texts.values())
    figures = {"action": action, "state_of": state_cpu[0], "search": catalog.cpu["search"],
               "items": catalog.cpu["item"] + catalog.cpu["item_name"], "encode": encode,
               "searches": catalog.calls["search"], "repeated": repeats}
    return {k: (v * 1000 if isinstance(v, float) else v) for k, v in figures.items()}, events


def slots_after(events: list[dict]) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    from bench.search_bench import fresh_store
    from knowledge.importer import import_catalog
    from knowledge.service import DEMO_CATALOG, CatalogService

    with tempfile.TemporaryDirectory() as folder:
        store = fresh_store(Path(folder), "demo.db")
        import_catalog([DEMO_CATALOG], store)
        service = CatalogService(store, reload_interval=3600)
        service.engine()
        catalog = MeasuredCatalog(service)
        rows: dict[tuple[str, str], list[dict]] = defaultdict(list)
        for _ in range(args.rounds):
            for text, intent in QUESTIONS:
                first, events = one_turn(catalog, text, intent, None)
                rows[("first", text)].append(first)
                second, _ = one_turn(catalog, text, intent, slots_after(events))
                rows[("second", text)].append(second)
        load = " ".join(open("/proc/loadavg").read().split()[:3])
        print(f"action server CPU per guide turn, ms (load average {load}, {time.strftime('%H:%M:%S')} UTC, "
              f"{len(QUESTIONS)} questions, {args.rounds} rounds)")
        keys = ("action", "state_of", "search", "items", "encode", "searches", "repeated")
        print(f"{'turn':8} {'pass':5} " + " ".join(f"{k:>9}" for k in keys))
        for turn in ("first", "second"):
            runs = [v for (t, _), v in rows.items() if t == turn]
            for label, pick in (("cold", lambda r: [r[0]]), ("warm", lambda r: r[1:])):
                figures = [f for run in runs for f in pick(run)]
                if not figures:
                    continue
                means = {k: statistics.fmean(f[k] for f in figures) for k in keys}
                print(f"{turn:8} {label:5} " + " ".join(f"{means[k]:9.2f}" for k in keys))


if __name__ == "__main__":
    main()
