"""Upload, preview and publish: all or nothing, live for search after publish."""
from __future__ import annotations

import csv
import io
import re

import aiohttp
import pytest

from tests.console.conftest import API_KEY

pytestmark = pytest.mark.asyncio(loop_scope="session")

HEADER = ["事项名称", "基本编码", "实施编码", "权力类型", "实施主体", "申请材料", "承诺办结时限", "法定办结时限", "是否收费",
          "办理地点", "咨询电话"]
ROW_YUBEI = ["无人机航拍备案", "500A9900010000", "500A9900010000-500112000000-000-11500112000000000X-1-00", "行政许可",
             "重庆市渝北区测试局", "居民身份证；申请表", "5个工作日", "20个工作日", "否", "渝北区政务服务中心", "023-67800000"]
ROW_JIANGBEI = ["无人机航拍备案", "500A9900010000", "500A9900010000-500105000000-000-11500105000000000X-1-00", "行政许可",
                "重庆市江北区测试局", "居民身份证；申请表", "3个工作日", "20个工作日", "否", "江北区政务服务中心", "023-67700000"]


def csv_bytes(*rows: list[str]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADER, *rows])
    return buffer.getvalue().encode("utf-8")


async def upload(console, http, csrf: str, name: str, content: bytes) -> aiohttp.ClientResponse:
    form = aiohttp.FormData()
    form.add_field("csrf_token", csrf)
    form.add_field("file", content, filename=name, content_type="text/csv")
    return await http.post(console.url("/catalog/upload"), data=form)


async def found(console, question: str) -> list[str]:
    async with console.client() as http:
        data = await (await http.get(console.url("/api/assist/search"), params={"q": question},
                                     headers={"X-API-Key": API_KEY})).json()
    return [c["code"] for c in data["candidates"]]


async def item_count(console, http) -> str:
    page = await (await http.get(console.url("/catalog"))).text()
    return re.search(r"共 (\d+) 个事项", page).group(1)


async def test_a_file_with_an_error_changes_nothing_and_says_where(private_console):
    http, csrf = await private_console.login("editor")
    async with http:
        before = await item_count(private_console, http)
        bad = list(ROW_YUBEI)
        bad[8] = "也许"
        response = await upload(private_console, http, csrf, "清单.csv", csv_bytes(ROW_JIANGBEI, bad))
        assert response.status == 422
        page = await response.text()
        assert "目录没有任何改动" in page and "清单.csv 第3行" in page and "是否收费" in page
        assert "/tmp" not in page  # the server's folders are not shown
        assert await item_count(private_console, http) == before
        assert "500A9900010000" not in await found(private_console, "无人机航拍备案")


async def test_a_good_file_is_previewed_then_published_and_live(private_console):
    http, csrf = await private_console.login("editor")
    async with http:
        before = int(await item_count(private_console, http))
        response = await upload(private_console, http, csrf, "清单.csv", csv_bytes(ROW_YUBEI, ROW_JIANGBEI))
        assert response.status == 200
        page = await response.text()
        assert re.search(r'id="added-count">1<', page) and "发布前不会改动目录" in page
        assert int(await item_count(private_console, http)) == before  # a preview writes nothing
        publish = re.search(r'action="(/catalog/upload/[^"]+/publish)"', page).group(1)
        response = await http.post(private_console.url(publish), data={"csrf_token": csrf})
        assert response.status == 200 and "已发布" in await response.text()
        assert int(await item_count(private_console, http)) == before + 1
        assert (await found(private_console, "无人机航拍备案"))[0] == "500A9900010000"
        # The same upload cannot be published twice.
        response = await http.post(private_console.url(publish), data={"csrf_token": csrf})
        assert response.status == 404


async def test_publish_is_refused_when_the_catalog_changed_since_the_preview(private_console):
    http, csrf = await private_console.login("editor")
    async with http:
        page = await (await upload(private_console, http, csrf, "清单.csv", csv_bytes(ROW_YUBEI))).text()
        publish = re.search(r'action="(/catalog/upload/[^"]+/publish)"', page).group(1)
        await http.post(private_console.url("/api/items/500A1100020000/aliases"), json={"alias": "另一位编辑加的"},
                        headers={"X-CSRF-Token": csrf})
        response = await http.post(private_console.url(publish), data={"csrf_token": csrf})
        assert response.status == 409 and "重新上传" in await response.text()
        assert "500A9900010000" not in await found(private_console, "无人机航拍备案")


async def test_unsupported_files_and_agents_are_refused(private_console):
    http, csrf = await private_console.login("editor")
    async with http:
        response = await upload(private_console, http, csrf, "清单.docx", b"PK\x03\x04")
        assert response.status == 400 and "不支持的文件类型" in await response.text()
    agent, agent_csrf = await private_console.login("agent")
    async with agent:
        response = await upload(private_console, agent, agent_csrf, "清单.csv", csv_bytes(ROW_YUBEI))
        assert response.status == 403


async def test_xlsx_and_yaml_files_are_previewed_too(private_console, tmp_path):
    import openpyxl

    from tests.conftest import FIXTURES

    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER)
    workbook.active.append(ROW_YUBEI)
    workbook.save(tmp_path / "清单.xlsx")
    http, csrf = await private_console.login("editor")
    async with http:
        for name, content in (("清单.xlsx", (tmp_path / "清单.xlsx").read_bytes()),
                              ("mini.yml", (FIXTURES / "mini.yml").read_bytes())):
            response = await upload(private_console, http, csrf, name, content)
            page = await response.text()
            assert response.status == 200, page[-800:]
            added = int(re.search(r'id="added-count">(\d+)<', page).group(1))
            assert added >= 1 and "/publish" in page, name
