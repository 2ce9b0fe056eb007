"""Curation: browse, item view, check report with links, aliases live for search at once."""
from __future__ import annotations

import re

import pytest

from knowledge.check import KINDS, check_catalog
from knowledge.db import get_engine, session_factory
from knowledge.records import Bundle, BundleStep, Item
from knowledge.store import CatalogStore
from tests.console.conftest import API_KEY

pytestmark = pytest.mark.asyncio(loop_scope="session")
ALIAS = "办那个给娃儿落户的"


async def codes_found(console, question: str) -> list[str]:
    async with console.client() as http:
        data = await (await http.get(console.url("/api/assist/search"), params={"q": question},
                                     headers={"X-API-Key": API_KEY})).json()
    return [c["code"] for c in data["candidates"]]


async def test_alias_added_by_an_editor_is_found_by_search_at_once(private_console):
    code = "500A1100020000"
    assert code not in (await codes_found(private_console, ALIAS))[:1]
    http, csrf = await private_console.login("editor")
    async with http:
        response = await http.post(private_console.url(f"/api/items/{code}/aliases"), json={"alias": f"  {ALIAS} "},
                                   headers={"X-CSRF-Token": csrf})
        assert response.status == 201 and (await response.json())["alias"] == ALIAS
        assert (await codes_found(private_console, ALIAS))[0] == code
        page = await (await http.get(private_console.url(f"/catalog/items/{code}"))).text()
        assert ALIAS in page
        # The form on the item page does the same, and bad input is refused clearly.
        response = await http.post(private_console.url(f"/catalog/items/{code}/aliases"),
                                   data={"csrf_token": csrf, "alias": "迁户口那个"})
        assert response.status == 200 and "别名已添加" in await response.text()
        for body, status in (({"alias": " "}, 400), ({"alias": "长" * 101}, 400), ({}, 400)):
            response = await http.post(private_console.url(f"/api/items/{code}/aliases"), json=body,
                                       headers={"X-CSRF-Token": csrf})
            assert response.status == status, body
        response = await http.post(private_console.url("/api/items/500X0000000000/aliases"), json={"alias": "某"},
                                   headers={"X-CSRF-Token": csrf})
        assert response.status == 404


async def test_browse_filters_by_name_code_alias_and_department(console, sessions):
    http, _csrf = sessions["editor"]
    page = await (await http.get(console.url("/catalog"), params={"q": "户口"})).text()
    codes = set(re.findall(r'href="/catalog/items/([0-9A-Z]+)"', page))
    assert "500A1100020000" in codes and all(c.startswith("500") for c in codes)
    page = await (await http.get(console.url("/catalog"), params={"q": "500A1100020000"})).text()
    assert set(re.findall(r'href="/catalog/items/([0-9A-Z]+)"', page)) == {"500A1100020000"}
    page = await (await http.get(console.url("/catalog"), params={"q": "没有这种事项名"})).text()
    assert "没有符合条件的事项" in page


async def test_check_report_matches_the_check_command_and_links_to_items(private_console, catalog_copy):
    store = CatalogStore(session_factory(get_engine(catalog_copy)))
    # The demonstration catalog is clean: publish an item with names and code only, as a partial export would,
    # and a life-event bundle whose second step points at an item that is not in the catalog.
    store.replace_items([Item(code="500A9900070000", name="只有名称的事项")], bundles=[Bundle(
        code="YJS9901", name="测试联办", steps=(BundleStep("500A9900070000"), BundleStep("500A9999990000")),
        window="{region}政务服务中心", promised_limit="5个工作日", verified=None)])
    report = check_catalog(store.all_items(), bundles=store.all_bundles())
    assert report.findings and "bundle_missing_item" in report.by_kind()
    http, _csrf = await private_console.login("editor")
    async with http:
        page = await (await http.get(private_console.url("/catalog/check"))).text()
        for kind, found in report.by_kind().items():
            assert f"{KINDS[kind]} {len(found)}" in page
        linked = set(re.findall(r'href="/catalog/items/([0-9A-Z]+)"', page))
        assert linked == {f.code for f in report.findings if not f.kind.startswith("bundle_")}
        assert "联办 YJS9901 测试联办" in page
        item_page = await (await http.get(private_console.url("/catalog/items/500A9900070000"))).text()
        assert "检查发现" in item_page and "缺少要素" in item_page
