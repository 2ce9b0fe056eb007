"""The dashboard through HTTP: roles, JSON figures from ingested events, the page, CSV export."""
from __future__ import annotations

import csv
import io
from datetime import datetime

import pytest
import pytest_asyncio

from tests.console.analytics_fixtures import EventLog, copy_catalog, write_known_scenario
from tests.console.conftest import ROLES, FakeClock, make_settings, start_console

pytestmark = pytest.mark.asyncio(loop_scope="session")
RANGE = "from=2026-11-20&to=2026-11-21"

# (method, path, roles allowed): the analytics pages and APIs.
GUARDED = [
    ("GET", "/dashboard", {"editor", "admin"}),
    ("GET", f"/api/dashboard?{RANGE}", {"editor", "admin"}),
    ("GET", f"/api/dashboard.csv?{RANGE}", {"editor", "admin"}),
    ("GET", "/queue", {"editor", "admin"}),
    ("GET", "/api/queue", {"editor", "admin"}),
    ("GET", "/api/queue/suggest?q=开公司", {"editor", "admin"}),
    ("POST", "/api/queue/alias", {"editor", "admin"}),
    ("POST", "/api/queue/resolve", {"editor", "admin"}),
]


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def analytics_console(pristine_catalog, tracker_db, tmp_path_factory):
    """A console on a private catalog copy whose event broker table holds the known scenario."""
    folder = tmp_path_factory.mktemp("dashboard-api")
    log = EventLog(folder / "events.db")
    write_known_scenario(log)
    clock = FakeClock()
    running = await start_console(make_settings(copy_catalog(pristine_catalog, folder), tracker_db, clock,
                                                events_url=log.url), clock)
    running.log = log
    yield running
    await running.server.close()
    log.close()


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def logged_in(analytics_console):
    opened = {role: await analytics_console.login(role) for role in ROLES}
    yield opened
    for http, _csrf in opened.values():
        await http.close()


async def test_each_role_gets_exactly_the_analytics_it_may_see(analytics_console, logged_in):
    for role, (http, csrf) in logged_in.items():
        for method, path, allowed in GUARDED:
            body = {"key": "无此问题", "item_code": "x", "alias": "y"} if method == "POST" else None
            response = await http.request(method, analytics_console.url(path), json=body,
                                          headers={"X-CSRF-Token": csrf}, allow_redirects=False)
            if role in allowed:
                # Allowed POSTs reach the handler: the made-up key is unknown (404).
                assert response.status == (404 if method == "POST" else 200), (role, path, response.status)
            else:
                assert response.status == 403, (role, path, response.status)


async def test_without_a_session_pages_redirect_and_apis_refuse(analytics_console):
    async with analytics_console.client() as http:
        for method, path, _allowed in GUARDED:
            response = await http.request(method, analytics_console.url(path), allow_redirects=False)
            if path.startswith("/api/"):
                assert response.status == 401, path
            else:
                assert response.status == 302 and response.headers["Location"].startswith("/login"), path


async def test_json_figures_come_from_the_event_broker(analytics_console, logged_in):
    http, _csrf = logged_in["editor"]
    data = await (await http.get(analytics_console.url(f"/api/dashboard?{RANGE}"))).json()
    assert data["from"] == "2026-11-20" and data["to"] == "2026-11-21"
    totals = data["totals"]
    assert (totals["turns"], totals["conversations"], totals["answered_rate"], totals["fallback_rate"]) == (16, 6, 0.5, 0.5)
    assert {c["channel"]: c["label"] for c in data["by_channel"]} == {"app": "渝快办 APP", "rest": "REST 接口",
                                                                     "wechat": "微信公众号"}
    assert data["response_ms"]["p50"] == 200
    assert data["top_items"][0]["item_code"] == "500A4100020000"
    assert {r["label"] for r in data["handoff_reasons"]} == {"多次未解答", "用户要求转人工"}
    assert data["ingestion_error"] is None
    assert data["ingested_until"] == analytics_console.log.count() and data["ingested_at"]


async def test_new_events_show_on_the_next_request(analytics_console, logged_in):
    from tests.console.analytics_fixtures import Talk

    http, _csrf = logged_in["admin"]
    later = "from=2026-12-01&to=2026-12-01"
    before = (await (await http.get(analytics_console.url(f"/api/dashboard?{later}"))).json())["totals"]
    Talk(analytics_console.log, "sender-new", "wechat", datetime(2026, 12, 1, 15)).session() \
        .user("换驾照在哪办", "ask_department").bot(120, {"type": "guide", "item_code": "500B1", "item_name": "驾驶证换证"})
    after = (await (await http.get(analytics_console.url(f"/api/dashboard?{later}"))).json())["totals"]
    assert (before["turns"], after["turns"], after["answered"]) == (0, 1, 1)


async def test_bad_dates_are_refused_clearly(analytics_console, logged_in):
    http, _csrf = logged_in["editor"]
    for query in ("from=2026-11-30&to=2026-11-01", "from=yesterday", "from=2020-01-01&to=2026-01-01"):
        response = await http.get(analytics_console.url(f"/api/dashboard?{query}"))
        assert response.status == 400, query
        assert (await response.json())["error"]["code"] == "bad_range"


async def test_page_shows_figures_and_chart_canvases(analytics_console, logged_in):
    http, _csrf = logged_in["editor"]
    page = await (await http.get(analytics_console.url(f"/dashboard?{RANGE}"))).text()
    assert "效能看板" in page and 'id="kpi-conversations">6<' in page and 'id="kpi-answered">50.0%<' in page
    assert page.count("<canvas") == 7
    assert '<script src="/static/vendor/chart.umd.min.js"></script>' in page
    assert "http://" not in page and "https://" not in page  # nothing from the internet
    script = await http.get(analytics_console.url("/static/vendor/chart.umd.min.js"))
    assert script.status == 200 and "Chart.js v4" in (await script.text())[:200]


async def test_csv_export(analytics_console, logged_in):
    http, _csrf = logged_in["editor"]
    response = await http.get(analytics_console.url(f"/api/dashboard.csv?{RANGE}"))
    assert response.status == 200 and response.content_type == "text/csv"
    assert 'filename="yuban-dashboard-2026-11-20_2026-11-21.csv"' in response.headers["Content-Disposition"]
    body = (await response.read()).decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0] == ["分组", "项目", "数值"]
    table = {(group, name): value for group, name, value in rows[1:]}
    assert table[("总览", "对话数")] == "6"
    assert table[("比率", "解答率(%)")] == "50.0"
    assert table[("响应时间(毫秒)", "P95")] == "800"
    assert table[("渠道·消息数", "微信公众号")] == "4"
    assert table[("区县·消息数", "渝北区")] == "3"
    assert table[("时段·消息数", "21时")] == "3"
    assert table[("热门事项·解答次数", "有限责任公司设立登记（500A4100020000）")] == "3"
