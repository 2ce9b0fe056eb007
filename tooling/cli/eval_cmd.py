"""`./yuban eval search|conversation`: the development evaluation over ../shared/data/eval.

`search` prints one table: the search alone on the demonstration catalog, on the same
catalog without aliases and on the real Guang'an list (names only) — top-1 / top-3 and
the answer rule's precision — and, with `--rest URL`, the conversation through a running
REST stack (right item answered first, answered or offered, menu rate, handoffs).
`conversation` is the REST part alone. Other evaluations register their own subcommands
next to these (see `register`).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from knowledge import evaluation
from knowledge.db import ROOT
from knowledge.evaluation import load_jsonl, matches
from knowledge.service import CatalogService
from tooling.cli.common import fail

EVAL_DIR = ROOT.parent / "shared" / "data" / "eval"
REFERENCE_DIR = ROOT.parent / "shared" / "data" / "reference"
OWN_DIR = ROOT / "tests" / "knowledge" / "data"  # our own labelled sets: the halves `--calibrate` fits and measures on


def register(commands) -> None:
    p = commands.add_parser("eval", help="用开发评测集评估检索或对话").add_subparsers(dest="what", required=True)
    s = p.add_parser("search", help="检索评测表：演示目录、去别名目录、广安真实清单（可选 REST 对话）")
    s.add_argument("--data", type=Path, default=EVAL_DIR)
    s.add_argument("--reference", type=Path, default=REFERENCE_DIR, help="真实事项清单所在目录")
    s.add_argument("--rest", metavar="URL", help="同时通过运行中的 REST 通道评估对话，如 http://127.0.0.1:8105")
    s.add_argument("--ablation", action="store_true", help="逐一关闭各检索阶段，打印贡献")
    s.add_argument("--calibrate", action="store_true",
                   help="打印置信度校准表，并在自有题集的一半上拟合答复规则、在另一半上检验")
    s.add_argument("--own", type=Path, default=OWN_DIR, help="自有标注题集目录（--calibrate 用）")
    s.add_argument("--verbose", "-v", action="store_true", help="列出答错的问题")
    s.set_defaults(handler=eval_search)
    c = p.add_parser("conversation", help="通过 REST 通道逐条发送问题")
    c.add_argument("--data", type=Path, default=EVAL_DIR)
    c.add_argument("--url", default="http://127.0.0.1:5005")
    c.add_argument("--verbose", "-v", action="store_true")
    c.set_defaults(handler=eval_conversation)
    from tooling.cli.dialogue_cmd import register as register_dialogues

    register_dialogues(p, EVAL_DIR)


@dataclass
class SearchScores:
    total: int
    top1: int
    top3: int

    def line(self) -> str:
        return (f"search eval: {self.total} questions, top-1 {self.top1 / self.total:.1%} ({self.top1}), "
                f"top-3 {self.top3 / self.total:.1%} ({self.top3})")


def score_search(service: CatalogService, questions: list[dict], verbose: bool = False) -> SearchScores:
    top1 = top3 = 0
    for q in questions:
        names = [c.name for c in service.search(q["question"], top=3).candidates]
        hit1 = bool(names) and matches(names[0], q["item_patterns"])
        hit3 = any(matches(n, q["item_patterns"]) for n in names)
        top1 += hit1
        top3 += hit3
        if verbose and not hit1:
            print(f"  {'~' if hit3 else '✗'} {q['id']} {q['question'][:40]} → {names} (want {q['item_patterns']})")
    return SearchScores(len(questions), top1, top3)


def search_table(data: Path, reference: Path, *, ablation: bool = False, calibrate: bool = False,
                 verbose: bool = False) -> list[str]:
    """The search rows of the evaluation table (lines of text); catalogs absent are skipped."""
    from knowledge.importer import read_catalog
    from knowledge.search import SearchEngine
    from knowledge.service import DEMO_CATALOG

    questions = load_jsonl(data / "dev_questions.jsonl")
    items = read_catalog([DEMO_CATALOG])[0]
    runs = [("dev, demo catalog", evaluation.entries_of(items), questions),
            ("dev, demo catalog without aliases", evaluation.entries_of(items, aliases=False), questions)]
    guangan = evaluation.guangan_entries(reference)
    if guangan is not None:
        runs.append(("dev, Guang'an names only", guangan, evaluation.answerable(questions, guangan)))
    jiangbei = evaluation.jiangbei_entries()
    if jiangbei is not None:
        runs.append(("dev, Jiangbei names only", jiangbei, evaluation.answerable(questions, jiangbei)))
    lines = [evaluation.HEADER]
    points = []
    for label, entries, asked in runs:
        scores = evaluation.score(SearchEngine(entries), asked, label)
        points += scores.points
        lines.append(scores.row())
        if verbose:
            lines += [f"    ✗ {m}" for m in scores.misses]
        if ablation:
            lines += [r.row() for r in evaluation.ablation(entries, asked, "  " + label.split(", ")[1])]
    if guangan is None:
        lines.append(f"(Guang'an list not found under {reference}: row skipped)")
    if jiangbei is None:
        lines.append(f"(Jiangbei list not found at {evaluation.jiangbei_path()}: row skipped; YUBAN_JIANGBEI_LIST sets it)")
    if calibrate:
        lines += ["", "dev, best candidate's confidence:", *evaluation.reliability(points)]
    return lines


def held_out_table(own: Path, reference: Path) -> list[str]:
    """The answer rule fitted on one half of our own sets and measured on the other (knowledge/rule_study.py):
    the fitted weights and threshold next to the shipped ones, the rule before and after apparent ties per half
    and catalog, and the reliability of the shipped confidence and answer probability on the measuring half."""
    from knowledge import confidence, rule_study
    from knowledge.importer import read_catalog
    from knowledge.search import SearchEngine
    from knowledge.service import DEMO_CATALOG

    sets = rule_study.load_sets(own)
    engines = {"demo": SearchEngine(evaluation.entries_of(read_catalog([DEMO_CATALOG])[0], aliases=False))}
    guangan = evaluation.guangan_entries(reference)
    if guangan is not None:
        engines["guangan"] = SearchEngine(guangan)
    cases = [case for key, engine in engines.items() for case in rule_study.study(engine, key, sets)]
    # halves of the sets that have questions on these catalogs, as tests/knowledge/test_answer_rule.py takes them:
    # a set labelled only for the Jiangbei list would otherwise move every later set to the other half
    fitting, measuring = rule_study.halves({c.set_name for c in cases})
    weights, bias = rule_study.fit_answer_probability([c for c in cases if c.set_name in fitting])
    threshold = rule_study.choose_threshold([c for c in cases if c.set_name in fitting], weights, bias)
    lines = ["", f"own sets, half A (fitting): {', '.join(fitting)}", f"own sets, half B (measuring): {', '.join(measuring)}",
             f"answer probability fitted on A: weights {weights} bias {bias} threshold {threshold}; shipped: "
             f"{confidence.ANSWER_WEIGHTS} {confidence.ANSWER_BIAS} {confidence.NEAR_TIE_ANSWERED}",
             "", rule_study.RULE_HEADER]
    for label, names in (("A", fitting), ("B", measuring), ("development", sorted(rule_study.DEVELOPMENT))):
        for key in engines:
            part = [c for c in cases if c.set_name in names and c.catalog == key]
            lines += [rule_study.measure(part, f"{label}, {key}, without apparent ties", rule_study.before_session14).row(),
                      rule_study.measure(part, f"{label}, {key}, shipped rule").row()]
    held = [c for c in cases if c.set_name in measuring and not c.absent and c.candidates]
    pairs = [c for c in held if len(c.candidates) >= 2 and c.decision != "not_found"]
    shipped = [(c.candidates[0].confidence, c.right1) for c in held]
    probability = [(confidence.answer_probability(c.candidates), c.right1) for c in pairs]
    return lines + ["", f"half B, best candidate's confidence (log loss {rule_study.log_loss(shipped):.3f}):",
                    *rule_study.reliability(shipped),
                    "", f"half B, answer probability of the best of two or more (log loss {rule_study.log_loss(probability):.3f}):",
                    *rule_study.reliability(probability)]


def eval_search(args) -> int:
    path = args.data / "dev_questions.jsonl"
    if not path.exists():
        print(f"skipped: {path} not found")
        return 0
    client = None
    if args.rest:
        from tooling.cli.rest_client import RestClient

        client = RestClient(args.rest)
        if not client.is_up():
            fail(f"助手未运行（{args.rest}）")
    for line in search_table(args.data, args.reference, ablation=args.ablation, calibrate=args.calibrate,
                             verbose=args.verbose):
        print(line)
    if args.calibrate and args.own.is_dir():
        for line in held_out_table(args.own, args.reference):
            print(line)
    if client is not None:
        oos_path = args.data / "dev_out_of_scope.jsonl"
        complaints = load_jsonl(oos_path) if oos_path.exists() else []
        print()
        print(score_conversation(client, load_jsonl(path), complaints, args.verbose).table())
    return 0


def eval_conversation(args) -> int:
    from tooling.cli.rest_client import RestClient

    questions_path, oos_path = args.data / "dev_questions.jsonl", args.data / "dev_out_of_scope.jsonl"
    if not questions_path.exists():
        print(f"skipped: {questions_path} not found")
        return 0
    client = RestClient(args.url)
    if not client.is_up():
        fail(f"助手未运行（{args.url}）：请先 make run")
    complaints = load_jsonl(oos_path) if oos_path.exists() else []
    print(score_conversation(client, load_jsonl(questions_path), complaints, args.verbose).line())
    return 0


@dataclass
class ConversationScores:
    questions: int
    right: int
    handed_in_scope: int
    complaints: int
    recalled: int
    first: int = 0  # the first item payload is a guide of the right item
    menus: int = 0  # the reply offered a menu (choices) and no guide

    def table(self) -> str:
        pct = lambda part, whole: f"{part / whole:6.1%}" if whole else "     -"
        return "\n".join([
            f"{'conversation (REST)':<34} {'n':>4} {'first':>6} {'a-or-o':>6} {'menu':>6} {'recall':>6} {'false-h':>7}",
            (f"{'dev questions / out of scope':<34} {self.questions:>4} {pct(self.first, self.questions)} "
             f"{pct(self.right, self.questions)} {pct(self.menus, self.questions)} "
             f"{pct(self.recalled, self.complaints)} {pct(self.handed_in_scope, self.questions):>7}"),
        ])

    @property
    def answered(self) -> float:
        return self.right / self.questions

    @property
    def false_handoff(self) -> float:
        return self.handed_in_scope / self.questions

    @property
    def handoff_recall(self) -> float:
        return self.recalled / max(self.complaints, 1)

    def line(self) -> str:
        return (f"conversation eval: right item answered or offered {self.answered:.1%} ({self.right}/{self.questions}), "
                f"handoff recall {self.handoff_recall:.1%} ({self.recalled}/{self.complaints}), "
                f"in-scope handed off {self.false_handoff:.1%}, right item answered first {self.first}/{self.questions}, "
                f"menus {self.menus}/{self.questions}")


def score_conversation(client, questions: list[dict], complaints: list[dict], verbose: bool = False) -> ConversationScores:
    """Each question and complaint as a new conversation, judged by the replies' custom payloads."""
    right = handed_in_scope = recalled = first = menus = 0
    for index, q in enumerate(questions):
        payloads = client.custom_payloads(f"eval-q-{index}-{q['id']}", q["question"])
        ok = any(_payload_has_item(p, q["item_patterns"]) for p in payloads)
        right += ok
        shown = [p for p in payloads if p.get("type") in ("guide", "choices", "bundle", "not_found", "handoff")]
        first += bool(shown) and shown[0].get("type") == "guide" and matches(shown[0].get("item_name") or "", q["item_patterns"])
        menus += any(p.get("type") == "choices" for p in payloads) and not any(p.get("type") == "guide" for p in payloads)
        handed_in_scope += any(p.get("type") == "handoff" for p in payloads)
        if verbose and not ok:
            print(f"  ✗ {q['id']} {q['question'][:40]} → {payloads[:2]}")
    for index, m in enumerate(complaints):
        payloads = client.custom_payloads(f"eval-o-{index}-{m['id']}", m["message"])
        ok = any(p.get("type") == "handoff" for p in payloads) and not any(p.get("type") == "guide" for p in payloads)
        recalled += ok
        if verbose and not ok:
            print(f"  ✗ {m['id']} {m['message'][:40]} → {payloads[:2]}")
    return ConversationScores(len(questions), right, handed_in_scope, len(complaints), recalled, first, menus)


def _payload_has_item(payload: dict, patterns: list[str]) -> bool:
    if payload.get("type") == "guide":  # the answer, or one of the alternatives listed after it
        return matches(payload.get("item_name") or "", patterns) or any(
            matches(a.get("item_name") or "", patterns) for a in payload.get("alternatives") or [])
    if payload.get("type") == "choices":
        return any(matches(o.get("item_name") or "", patterns) for o in payload.get("options", []))
    return False
