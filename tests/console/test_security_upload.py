"""Hostile uploads through the console (issue #16, finding 4): refused with a reason the
editor can read, nothing published, the console process never reads what the guard refused."""
from __future__ import annotations

import aiohttp
import pytest

from console import upload_guard
from tests.console.test_curation_upload import item_count
from tests.knowledge import uploads_bombs as bombs

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def send(console, http, csrf: str, name: str, content: bytes) -> aiohttp.ClientResponse:
    form = aiohttp.FormData()
    form.add_field("csrf_token", csrf)
    form.add_field("file", content, filename=name, content_type="application/octet-stream")
    return await http.post(console.url("/catalog/upload"), data=form)


@pytest.mark.parametrize("name, build, words", [
    ("清单.xlsx", bombs.far_cell_xlsx, "已拒绝"),
    ("清单.xlsx", bombs.ratio_bomb_xlsx, "压缩比"),
    ("目录.yml", bombs.laughs_yaml, "锚点"),
])
async def test_tiny_upload_bombs_are_refused_and_nothing_is_published(private_console, tmp_path, name, build, words):
    content = build(tmp_path / name).read_bytes()
    http, csrf = await private_console.login("editor")
    async with http:
        before = await item_count(private_console, http)
        response = await send(private_console, http, csrf, name, content)
        assert response.status == 422
        page = await response.text()
        assert words in page and "/tmp" not in page
        assert await item_count(private_console, http) == before


async def test_an_upload_that_needs_too_much_memory_is_refused_by_the_guard(private_console, monkeypatch):
    """The last line of defence: whatever a reader does, the console process does not pay."""
    monkeypatch.setattr(upload_guard, "IMPORT_MEMORY_MB", 30)  # below what Python itself needs
    http, csrf = await private_console.login("editor")
    async with http:
        before = await item_count(private_console, http)
        response = await send(private_console, http, csrf, "目录.yml",
                              "items:\n  - code: 500A9900010000\n    name: 测试事项\n".encode())
        assert response.status == 422
        page = await response.text()
        assert "内存超过上限（30 MB）" in page and "目录没有任何改动" in page
        assert await item_count(private_console, http) == before
