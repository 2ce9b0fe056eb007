"""The curation queue through HTTP: groups from the event broker, alias from the queue, resolve."""
from __future__ import annotations

import pytest
import pytest_asyncio

from tests.console.analytics_fixtures import EventLog, copy_catalog, write_known_scenario
from tests.console.conftest import FakeClock, make_settings, start_console

pytestmark = pytest.mark.asyncio(loop_scope="session")
RANGE = "from=2026-11-20&to=2026-11-22"
SNAIL = "螺蛳粉摊摊怎么开"
FOOD_PERMIT = "500A4100190000"  # 食品经营许可 in the demonstration catalog


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def queue_console(pristine_catalog, tracker_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("queue-api")
    log = EventLog(folder / "events.db")
    write_known_scenario(log)
    clock = FakeClock()
    running = await start_console(make_settings(copy_catalog(pristine_catalog, folder), tracker_db, clock,
                                                events_url=log.url), clock)
    http, csrf = await running.login("editor")
    running.http, running.csrf = http, csrf
    yield running
    await http.close()
    await running.server.close()
    log.close()


async def open_keys(console) -> list[str]:
    data = await (await console.http.get(console.url(f"/api/queue?{RANGE}"))).json()
    return [g["key"] for g in data["groups"]]


async def post(console, path: str, body, csrf: bool = True):
    headers = {"X-CSRF-Token": console.csrf} if csrf else {}
    return await console.http.post(console.url(path), json=body, headers=headers)


async def test_queue_lists_the_grouped_questions(queue_console):
    data = await (await queue_console.http.get(queue_console.url(f"/api/queue?{RANGE}"))).json()
    groups = {g["key"]: g for g in data["groups"]}
    assert list(groups)[0] == SNAIL
    snail = groups[SNAIL]
    assert snail["count"] == 2 and snail["channel_labels"] == ["微信公众号"] and snail["reason_label"] == "未找到事项"
    assert snail["first_seen_local"] == "2026-11-20 21:30" and snail["last_seen_local"] == "2026-11-21 08:00"
    assert {k: g["reason"] for k, g in groups.items()} == {
        SNAIL: "not_found", "上户口": "low_confidence", "哈哈哈": "fallback", "asdkjh": "not_found", "在哪办": "useless"}


async def test_page_lists_groups_with_their_actions(queue_console):
    page = await (await queue_console.http.get(queue_console.url(f"/queue?{RANGE}"))).text()
    assert "待处理问题" in page and "螺螄粉攤攤怎麼開？" in page and f'data-key="{SNAIL}"' in page
    assert page.count('class="open-alias"') == 5 and '<script src="/static/queue.js"></script>' in page


async def test_suggestions_offer_items_and_the_core_words(queue_console):
    data = await (await queue_console.http.get(queue_console.url("/api/queue/suggest?q=小饭馆要办什么证"))).json()
    assert FOOD_PERMIT in [c["code"] for c in data["candidates"]]
    assert data["core"] and "什么" not in data["core"]
    assert (await queue_console.http.get(queue_console.url("/api/queue/suggest?q="))).status == 400


async def test_alias_from_the_queue_is_live_for_search_and_closes_the_group(queue_console):
    search = queue_console.url(f"/api/assist/search?q={SNAIL}")
    before = await (await queue_console.http.get(search)).json()
    assert [c["code"] for c in before["candidates"]][:1] != [FOOD_PERMIT]

    body = {"key": SNAIL, "item_code": FOOD_PERMIT, "alias": " 螺蛳粉摊摊 "}
    assert (await post(queue_console, "/api/queue/alias", body, csrf=False)).status == 403
    response = await post(queue_console, "/api/queue/alias", body)
    assert response.status == 201
    assert await response.json() == {"key": SNAIL, "item_code": FOOD_PERMIT, "item_name": "食品经营许可",
                                     "alias": "螺蛳粉摊摊"}

    assert SNAIL not in await open_keys(queue_console)
    after = await (await queue_console.http.get(search)).json()
    assert after["candidates"][0]["code"] == FOOD_PERMIT
    # The same question in traditional characters is found too.
    again = await (await queue_console.http.get(queue_console.url("/api/assist/search?q=螺螄粉攤攤怎麼開"))).json()
    assert again["candidates"][0]["code"] == FOOD_PERMIT


async def test_resolve_hides_a_group(queue_console):
    assert "哈哈哈" in await open_keys(queue_console)
    response = await post(queue_console, "/api/queue/resolve", {"key": "哈哈哈"})
    assert response.status == 200 and (await response.json())["status"] == "resolved"
    assert "哈哈哈" not in await open_keys(queue_console)


async def test_bad_requests_are_refused_and_change_nothing(queue_console):
    cases = [
        ({"key": "asdkjh", "item_code": "NO-SUCH-ITEM", "alias": "乱码"}, 404, "item_not_found"),
        ({"key": "asdkjh", "item_code": FOOD_PERMIT, "alias": "   "}, 400, "bad_alias"),
        ({"key": "asdkjh", "item_code": FOOD_PERMIT}, 400, "bad_alias"),
        ({"key": "没有这个问题", "item_code": FOOD_PERMIT, "alias": "x"}, 404, "queue_item_not_found"),
        ({"item_code": FOOD_PERMIT, "alias": "x"}, 400, "bad_key"),
        (["asdkjh"], 400, "bad_request"),
    ]
    for body, status, code in cases:
        response = await post(queue_console, "/api/queue/alias", body)
        assert response.status == status, body
        assert (await response.json())["error"]["code"] == code, body
    not_json = await queue_console.http.post(queue_console.url("/api/queue/resolve"), data="key=asdkjh",
                                             headers={"X-CSRF-Token": queue_console.csrf,
                                                      "Content-Type": "application/json"})
    assert not_json.status == 400
    assert "asdkjh" in await open_keys(queue_console)
