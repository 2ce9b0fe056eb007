"""Sessions, CSRF, expiry, login rate limiting and the one-time password."""
from __future__ import annotations

import re

import pytest

from tests.console.conftest import PASSWORD, FakeClock, csrf_from, make_settings, start_console

pytestmark = pytest.mark.asyncio(loop_scope="session")
ALIAS_URL = "/api/items/500A1100020000/aliases"


def csrf_from_login(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


async def test_post_without_or_with_forged_csrf_is_refused_and_changes_nothing(private_console):
    http, csrf = await private_console.login("editor")
    async with http:
        for headers in ({}, {"X-CSRF-Token": "forged-" + csrf[7:]}, {"X-CSRF-Token": ""}):
            response = await http.post(private_console.url(ALIAS_URL), json={"alias": "伪造请求别名"}, headers=headers)
            assert response.status == 403
            assert (await response.json())["error"]["code"] == "csrf"
        # A form post with another session's token is refused too.
        other, other_csrf = await private_console.login("admin")
        async with other:
            response = await http.post(private_console.url("/catalog/items/500A1100020000/aliases"),
                                       data={"csrf_token": other_csrf, "alias": "伪造请求别名"}, allow_redirects=False)
            assert response.status == 403
        page = await (await http.get(private_console.url("/catalog/items/500A1100020000"))).text()
        assert "伪造请求别名" not in page
        response = await http.post(private_console.url(ALIAS_URL), json={"alias": "真实请求别名"},
                                   headers={"X-CSRF-Token": csrf})
        assert response.status == 201


async def test_expired_session_is_refused_and_asks_to_log_in_again(private_console):
    http, _csrf = await private_console.login("agent")
    async with http:
        assert (await http.get(private_console.url("/api/handoffs"))).status == 200
        private_console.clock.advance(hours=8, minutes=1)
        response = await http.get(private_console.url("/api/handoffs"))
        assert response.status == 401
        assert "过期" in (await response.json())["error"]["message"]
        response = await http.get(private_console.url("/assist"), allow_redirects=False)
        assert response.status == 302 and "expired=1" in response.headers["Location"]


async def test_activity_keeps_a_session_alive(private_console):
    http, _csrf = await private_console.login("agent")
    async with http:
        for _ in range(3):
            private_console.clock.advance(hours=5)
            assert (await http.get(private_console.url("/api/handoffs"))).status == 200


async def test_logout_ends_the_session_on_the_server(private_console):
    http, csrf = await private_console.login("agent")
    async with http:
        cookie = http.cookie_jar.filter_cookies(private_console.url("/"))["yuban_session"].value
        await http.post(private_console.url("/logout"), data={"csrf_token": csrf})
    async with private_console.client() as replay:  # the old cookie, replayed
        response = await replay.get(private_console.url("/api/handoffs"), cookies={"yuban_session": cookie})
        assert response.status == 401


async def test_login_is_rate_limited_per_account(private_console):
    async with private_console.client() as http:
        for _ in range(5):
            response = await private_console.post_login(http, "editor", "wrong-password-x")
            assert response.status == 401
        response = await private_console.post_login(http, "editor", PASSWORD)  # right password, but locked
        assert response.status == 429
        assert int(response.headers["Retry-After"]) > 0
        private_console.clock.advance(minutes=16)
        response = await private_console.post_login(http, "editor", PASSWORD)
        assert response.status == 200 and str(response.url).endswith("/catalog")


async def test_login_form_needs_its_own_token(private_console):
    async with private_console.client() as http:
        response = await http.post(private_console.url("/login"),
                                   data={"csrf_token": "x", "username": "admin", "password": PASSWORD})
        assert response.status == 403
        assert "yuban_session" not in {c.key for c in http.cookie_jar}


async def test_unknown_user_and_wrong_password_look_the_same(private_console):
    async with private_console.client() as http:
        unknown = await private_console.post_login(http, "nobody-here", "whatever-password")
        wrong = await private_console.post_login(http, "agent", "whatever-password")
        assert unknown.status == wrong.status == 401
        assert "用户名或密码错误" in await unknown.text() and "用户名或密码错误" in await wrong.text()


async def test_one_time_password_must_be_changed_first(private_console):
    async with private_console.client() as http:
        response = await private_console.post_login(http, "newbie", "one-time-password-1", next_path="/assist")
        assert str(response.url).endswith("/account/password")
        csrf = csrf_from(await response.text())
        response = await http.get(private_console.url("/assist"), allow_redirects=False)
        assert response.status == 302 and response.headers["Location"] == "/account/password"
        assert (await http.get(private_console.url("/api/assist/search?q=开公司"))).status == 403
        response = await http.post(private_console.url("/account/password"), data={
            "csrf_token": csrf, "current": "one-time-password-1", "password": "short", "repeat": "short"})
        assert response.status == 400
        response = await http.post(private_console.url("/account/password"), data={
            "csrf_token": csrf, "current": "one-time-password-1", "password": "my-own-password-9",
            "repeat": "my-own-password-9"})
        assert response.status == 200 and str(response.url).endswith("/assist")
        assert (await http.get(private_console.url("/api/assist/search?q=开公司"))).status == 200
    async with private_console.client() as http:  # the one-time password is spent
        assert (await private_console.post_login(http, "newbie", "one-time-password-1")).status == 401


async def test_login_never_redirects_to_another_site(private_console):
    async with private_console.client() as http:
        response = await private_console.post_login(http, "agent", PASSWORD, next_path="//evil.example/x")
        assert response.status == 200
        assert str(response.url).startswith(private_console.url("/"))


async def test_behind_the_proxy_one_address_failing_does_not_lock_out_the_others(catalog_copy, tracker_db):
    clock = FakeClock()
    console = await start_console(make_settings(catalog_copy, tracker_db, clock, trust_proxy=True), clock)
    try:
        async with console.client() as attacker:
            for index in range(5):
                page = await (await attacker.get(console.url("/login"))).text()
                token = csrf_from_login(page)
                await attacker.post(console.url("/login"), headers={"X-Forwarded-For": "203.0.113.9"},
                                    data={"csrf_token": token, "username": f"guess{index}", "password": "wrong-password"})
            page = await (await attacker.get(console.url("/login"))).text()
            response = await attacker.post(console.url("/login"), headers={"X-Forwarded-For": "203.0.113.9"},
                                           data={"csrf_token": csrf_from_login(page), "username": "agent",
                                                 "password": PASSWORD})
            assert response.status == 429  # that address is locked out, even with a right password
        async with console.client() as colleague:  # same proxy, another client address
            page = await (await colleague.get(console.url("/login"))).text()
            response = await colleague.post(console.url("/login"), headers={"X-Forwarded-For": "198.51.100.7"},
                                            data={"csrf_token": csrf_from_login(page), "username": "agent",
                                                  "password": PASSWORD})
            assert response.status == 200 and str(response.url).endswith("/assist")
    finally:
        await console.server.close()
