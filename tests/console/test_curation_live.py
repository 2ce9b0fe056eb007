"""The console's own catalog writes are live for the next search, even with a slow reload interval."""
from __future__ import annotations

from console.catalog import ConsoleCatalog
from knowledge.db import get_engine, session_factory
from knowledge.importer import import_catalog


def test_alias_and_publish_through_the_console_store_are_seen_by_the_next_search(catalog_copy, tmp_path):
    catalog = ConsoleCatalog(session_factory(get_engine(catalog_copy)), reload_interval=3600)
    assert catalog.search("娃儿落户那个手续").best is None or catalog.search("娃儿落户那个手续").best.code != "500A1100020000"
    catalog.store.add_alias("500A1100020000", "娃儿落户那个手续")
    assert catalog.search("娃儿落户那个手续").best.code == "500A1100020000"
    sheet = tmp_path / "新事项.csv"
    sheet.write_text("事项名称,基本编码\n无人机航拍备案,500A9900010000\n", encoding="utf-8")
    assert catalog.search("无人机航拍备案").best is None or catalog.search("无人机航拍备案").best.code != "500A9900010000"
    import_catalog([sheet], catalog.store, region="渝北区")
    assert catalog.search("无人机航拍备案").best.code == "500A9900010000"
