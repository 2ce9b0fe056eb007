from __future__ import annotations

from knowledge.export import export_xlsx, export_yaml
from knowledge.importer import import_catalog
from knowledge.service import DEMO_CATALOG


def test_yaml_and_xlsx_exports_import_back_to_the_same_catalog(store, fixtures, tmp_path):
    import_catalog([fixtures / "mini.yml"], store)
    export_yaml(store.all_items(), tmp_path / "yaml")
    export_xlsx(store.all_items(), tmp_path / "catalog.xlsx")
    for path in (tmp_path / "yaml", tmp_path / "catalog.xlsx"):
        report = import_catalog([path], store, dry_run=True)
        assert report.diff.added == [] and report.diff.changed == {} and len(report.diff.unchanged) == 2


def test_demonstration_catalog_round_trips_through_xlsx(store, tmp_path):
    import_catalog([DEMO_CATALOG / "transport.yml", DEMO_CATALOG / "civil-affairs.yml"], store)
    before = store.all_items()
    export_xlsx(before, tmp_path / "demo.xlsx")
    report = import_catalog([tmp_path / "demo.xlsx"], store, dry_run=True)
    assert report.diff.changed == {} and len(report.diff.unchanged) == len(before)


def test_exported_yaml_imports_into_an_empty_database(store, fixtures, tmp_path):
    import_catalog([fixtures / "mini.yml"], store)
    items = store.all_items()
    export_yaml(items, tmp_path / "yaml")
    store.replace_items([], delete_codes=[i.code for i in items])
    assert store.count() == 0
    import_catalog([tmp_path / "yaml"], store)
    assert store.all_items() == items
