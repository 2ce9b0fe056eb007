"""Search quality on the development questions (../shared/data/eval), with the demo catalog."""
from __future__ import annotations

from tooling.cli.eval_cmd import load_jsonl, score_search
from knowledge.importer import import_catalog
from knowledge.service import DEMO_CATALOG, CatalogService


def test_demo_catalog_answers_the_development_questions(store, shared_data, capsys):
    import_catalog([DEMO_CATALOG], store)
    questions = load_jsonl(shared_data / "eval" / "dev_questions.jsonl")
    scores = score_search(CatalogService(store), questions)
    with capsys.disabled():
        print(f"\n[{scores.line()}]")
    assert scores.top1 / scores.total >= 0.80
    assert scores.top3 / scores.total >= 0.92


def test_demo_catalog_size_and_departments(store):
    import_catalog([DEMO_CATALOG], store)
    items = store.all_items()
    assert len(items) >= 300
    assert len({item.department for item in items}) >= 20
    assert all(item.demonstration for item in items)


def test_the_search_table_has_the_three_catalogs(shared_data, capsys):
    from tooling.cli.eval_cmd import search_table

    lines = search_table(shared_data / "eval", shared_data / "reference")
    with capsys.disabled():
        print("\n" + "\n".join(lines))
    rows = {line[:34].strip(): line for line in lines[1:]}
    assert {"dev, demo catalog", "dev, demo catalog without aliases"} <= set(rows)
    demo = rows["dev, demo catalog"].split()
    top1, top3, precision = (float(v.rstrip("%")) for v in demo[4:7])
    assert top1 >= 85 and top3 >= 94 and precision >= 93
