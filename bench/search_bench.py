"""Search latency (demo catalog, the real Guang'an list by name, a synthetic 5,000 × 42 catalog) and import time.

    .venvs/actions/bin/python -m bench.search_bench [--items 5000]
"""
from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from bench.stats import percentile
from tooling.cli.eval_cmd import EVAL_DIR, load_jsonl
from knowledge.db import make_engine, session_factory, upgrade_schema
from knowledge.importer import import_catalog
from knowledge.records import FlowStep, Implementation, Item, Material, Window
from knowledge.regions import load_regions
from knowledge.service import DEMO_CATALOG, CatalogService
from knowledge.store import CatalogStore

SUBJECTS = ["机动车", "驾驶证", "营业执照", "食品经营", "建设工程", "不动产", "社会保险", "住房公积金", "户口", "护照",
            "医疗机构", "药品", "旅行社", "特种设备", "排水", "林木", "渔业", "危险化学品", "校车", "文物", "广告",
            "出租汽车", "养老机构", "民办学校", "殡葬", "气象", "测绘", "地震", "电力设施", "燃气"]
ACTIONS = ["许可", "登记", "备案", "变更登记", "注销登记", "延续", "补发", "核发", "认定", "审批", "年检", "查询"]
OBJECTS = ["（新办）", "（变更）", "（延续）", "（注销）", "（补证）", "", "（个人）", "（企业）", "（一般项目）"]


def synthetic_items(count: int, seed: int = 7) -> list[Item]:
    rng = random.Random(seed)
    regions = [load_regions().city()] + load_regions().local()
    items = []
    for index in range(count):
        name = f"{rng.choice(SUBJECTS)}{rng.choice(SUBJECTS)}{rng.choice(ACTIONS)}{rng.choice(OBJECTS)}{index}"
        code = f"500Z{index // 10000:02d}{index % 10000:04d}0000"
        impls = tuple(Implementation(region_code=r.code, body=f"{r.name}某局", promised_limit="5个工作日", fee="不收费",
                                     windows=(Window(address=f"{r.name}政务服务中心", phone="023-60000000"),),
                                     consult_phone="023-60000000", trips=1)
                      for r in regions)
        items.append(Item(code=code, name=name, power_type="行政许可", department="合成测试局",
                          aliases=(name[:4] + rng.choice(ACTIONS), name[2:6]),
                          materials=(Material("申请表"), Material("身份证明")), flow=(FlowStep("申请"), FlowStep("审查")),
                          implementations=impls))
    return items


def measure(service: CatalogService, questions: list[str], rounds: int = 3) -> tuple[float, float]:
    service.search(questions[0])  # build the index outside the measurement
    timings = []
    for _ in range(rounds):
        for question in questions:
            start = time.perf_counter()
            service.search(question)
            timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings), percentile(timings, 0.95)


def load_and_measure(store: CatalogStore, load, questions: list[str]) -> str:
    """Load a catalog, build its search index, time the questions; the figures as text."""
    start = time.perf_counter()
    load()
    loaded = time.perf_counter() - start
    service = CatalogService(store, reload_interval=3600)
    start = time.perf_counter()
    service.engine()
    built = time.perf_counter() - start
    p50, p95 = measure(service, questions)
    return f"import {loaded:.1f} s, index build {built:.2f} s, p50 {p50:.2f} ms, p95 {p95:.2f} ms per query"


def fresh_store(folder: Path, name: str) -> CatalogStore:
    engine = make_engine(f"sqlite:///{folder / name}")
    upgrade_schema(engine)
    return CatalogStore(session_factory(engine))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=5000)
    args = parser.parse_args()
    questions = [q["question"] for q in load_jsonl(EVAL_DIR / "dev_questions.jsonl")] if (EVAL_DIR / "dev_questions.jsonl").exists() \
        else ["开公司要什么材料", "驾驶证到期换证", "渝北区公积金提取", "上户口在哪办", "结婚登记要带什么"]
    with tempfile.TemporaryDirectory() as folder:
        demo = fresh_store(Path(folder), "demo.db")
        figures = load_and_measure(demo, lambda: import_catalog([DEMO_CATALOG], demo), questions)
        print(f"search demo catalog: {demo.count()} items, {figures} ({len(questions)} questions × 3)")
        from knowledge.evaluation import guangan_entries
        from knowledge.search import SearchEngine

        guangan = guangan_entries(EVAL_DIR.parent / "reference")
        if guangan is not None:
            engine = SearchEngine(guangan)
            timings = []
            for _ in range(3):
                for question in questions:
                    start = time.perf_counter()
                    engine.search(question)
                    timings.append((time.perf_counter() - start) * 1000)
            print(f"search Guang'an names only: {len(guangan)} items, p50 {statistics.median(timings):.2f} ms, "
                  f"p95 {percentile(timings, 0.95):.2f} ms per query")
        synthetic = fresh_store(Path(folder), "synthetic.db")
        items = synthetic_items(args.items)
        figures = load_and_measure(synthetic, lambda: synthetic.replace_items(items), questions)
        print(f"search synthetic catalog: {args.items} items × {len(items[0].implementations)} regions "
              f"({args.items * len(items[0].implementations)} implementations), {figures}")


if __name__ == "__main__":
    main()
