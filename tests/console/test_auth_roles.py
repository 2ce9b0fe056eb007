"""Authorization: every page and API checks the session and the role."""
from __future__ import annotations

import pytest

from tests.console.conftest import API_KEY

pytestmark = pytest.mark.asyncio(loop_scope="session")

# (method, path, roles allowed) — one row per guarded page or API of the core console.
GUARDED = [
    ("GET", "/assist", {"agent", "editor", "admin"}),
    ("GET", "/api/assist/search?q=开公司", {"agent", "editor", "admin"}),
    ("GET", "/api/assist/items/500A1100020000", {"agent", "editor", "admin"}),
    ("GET", "/handoffs", {"agent", "editor", "admin"}),
    ("GET", "/api/handoffs", {"agent", "editor", "admin"}),
    ("GET", "/catalog", {"editor", "admin"}),
    ("GET", "/catalog/check", {"editor", "admin"}),
    ("GET", "/catalog/items/500A1100020000", {"editor", "admin"}),
    ("GET", "/catalog/upload", {"editor", "admin"}),
    ("GET", "/admin/accounts", {"admin"}),
]


async def test_every_role_gets_exactly_its_pages(console, sessions):
    for role, (http, _csrf) in sessions.items():
        for method, path, allowed in GUARDED:
            response = await http.request(method, console.url(path), allow_redirects=False)
            expected = 200 if role in allowed else 403
            assert response.status == expected, (role, path, response.status)


async def test_without_session_pages_redirect_to_login_and_apis_answer_401(console):
    async with console.client() as http:
        for method, path, _allowed in GUARDED:
            response = await http.request(method, console.url(path), allow_redirects=False)
            if path.startswith("/api/"):
                assert response.status == 401, path
                assert (await response.json())["error"]["code"] == "unauthorized"
            else:
                assert response.status == 302, path
                assert response.headers["Location"].startswith("/login?next=")


async def test_api_key_opens_the_assist_api_only(console):
    async with console.client() as http:
        headers = {"X-API-Key": API_KEY}
        assert (await http.get(console.url("/api/assist/search?q=开公司"), headers=headers)).status == 200
        assert (await http.get(console.url("/api/assist/items/500A1100020000"), headers=headers)).status == 200
        assert (await http.get(console.url("/api/handoffs"), headers=headers)).status == 401
        assert (await http.get(console.url("/api/assist/search?q=开公司"),
                               headers={"X-API-Key": API_KEY[:-1] + "x"})).status == 401


async def test_wrong_role_cannot_post_either(console, sessions):
    http, csrf = sessions["agent"]
    response = await http.post(console.url("/api/items/500A1100020000/aliases"), json={"alias": "坐席不能加"},
                               headers={"X-CSRF-Token": csrf})
    assert response.status == 403
    http, csrf = sessions["editor"]
    response = await http.post(console.url("/admin/accounts"), data={"csrf_token": csrf, "username": "x1", "role": "admin"},
                               allow_redirects=False)
    assert response.status == 403


async def test_session_cookie_is_httponly_and_samesite_strict(console):
    async with console.client() as http:
        response = await console.post_login(http, "agent", "correct-horse-battery")
        cookies = [h for h in response.history[0].headers.getall("Set-Cookie") if h.startswith("yuban_session=")]
        assert cookies, "login must set the session cookie"
        assert "HttpOnly" in cookies[0] and "SameSite=Strict" in cookies[0]


async def test_pages_forbid_framing_and_foreign_scripts(console):
    async with console.client() as http:
        response = await http.get(console.url("/login"))
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        assert response.headers["X-Content-Type-Options"] == "nosniff"
