"""Attacks on the console's login (issue #16, findings 2, 3 and 11): open redirects after
login, lockout of every colleague behind the proxy, and a disabled account that stays in."""
from __future__ import annotations

import configparser
import re
from urllib.parse import quote

import pytest
import yaml

from tooling import services
from console.accounts import AccountStore
from knowledge.db import get_engine, session_factory
from tests.console.conftest import PASSWORD, FakeClock, make_settings, start_console

ASYNC = pytest.mark.asyncio(loop_scope="session")
DEPLOY = services.ROOT / "deploy"


def login_token(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


async def post_login(console, http, username: str, password: str, next_path: str | None = None,
                     headers: dict[str, str] | None = None, query: str = ""):
    page = await (await http.get(console.url("/login") + query)).text()
    data = {"csrf_token": login_token(page), "username": username, "password": password}
    if next_path is not None:
        data["next"] = next_path
    else:  # what the page itself carries over from ?next=
        data["next"] = re.search(r'name="next" value="([^"]*)"', page).group(1).replace("&amp;", "&") \
            .replace("&#x27;", "'").replace("&#39;", "'").replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">")
    return await http.post(console.url("/login"), data=data, headers=headers or {}, allow_redirects=False)


@ASYNC
@pytest.mark.parametrize("target", [
    "/\t/evil.example/x", "/\n/evil.example/x", "/\r/evil.example/x", "/ /evil.example/x", "/\x0b/evil.example/x",
    "//evil.example/x", "/\\evil.example/x", "https://evil.example/x", "\t//evil.example/x", " /\t/evil.example",
    "javascript:alert(1)", "/%09/evil.example/x", "/\u3000/evil.example", "/\u200b/evil.example",
])
async def test_open_redirect_after_login_refused(private_console, target):
    async with private_console.client() as http:
        response = await post_login(private_console, http, "agent", PASSWORD, next_path=target)
        assert response.status == 302
        assert response.headers["Location"] == "/"


@ASYNC
async def test_open_redirect_through_the_login_page_query_refused(private_console):
    """The attack as a link: /login?next=/%09/evil.example/x, the form carries it over."""
    async with private_console.client() as http:
        response = await post_login(private_console, http, "agent", PASSWORD, query="?next=/%09/evil.example/x")
        assert response.headers["Location"] == "/"


@ASYNC
async def test_a_local_target_with_its_query_survives_login(private_console):
    async with private_console.client() as http:
        target = "/catalog?q=" + quote("营业执照") + "&page=2"
        response = await post_login(private_console, http, "editor", PASSWORD, next_path=target)
        assert response.headers["Location"] == target


async def proxied_console(catalog_copy, tracker_db):
    clock = FakeClock()
    return await start_console(make_settings(catalog_copy, tracker_db, clock, trust_proxy=True), clock)


@ASYNC
async def test_made_up_usernames_from_one_address_do_not_lock_out_other_staff(catalog_copy, tracker_db):
    console = await proxied_console(catalog_copy, tracker_db)
    try:
        async with console.client() as attacker:
            for index in range(12):
                await post_login(console, attacker, f"madeup{index}", "wrong-password", next_path="/",
                                 headers={"X-Real-IP": "203.0.113.9"})
            locked = await post_login(console, attacker, "agent", PASSWORD, next_path="/",
                                      headers={"X-Real-IP": "203.0.113.9"})
            assert locked.status == 429
        for address in ("198.51.100.7", "198.51.100.8"):  # colleagues behind the same proxy
            async with console.client() as colleague:
                response = await post_login(console, colleague, "agent", PASSWORD, next_path="/",
                                            headers={"X-Real-IP": address, "X-Forwarded-For": address})
                assert response.status == 302, address
    finally:
        await console.server.close()


@ASYNC
async def test_guessing_a_colleagues_password_from_one_address_does_not_lock_them_out(catalog_copy, tracker_db):
    console = await proxied_console(catalog_copy, tracker_db)
    try:
        async with console.client() as attacker:
            for _ in range(6):
                await post_login(console, attacker, "editor", "wrong-password", next_path="/",
                                 headers={"X-Forwarded-For": "203.0.113.10"})
            response = await post_login(console, attacker, "editor", PASSWORD, next_path="/",
                                        headers={"X-Forwarded-For": "203.0.113.10"})
            assert response.status == 429
        async with console.client() as owner:
            response = await post_login(console, owner, "editor", PASSWORD, next_path="/",
                                        headers={"X-Forwarded-For": "198.51.100.20"})
            assert response.status == 302
    finally:
        await console.server.close()


@ASYNC
async def test_guessing_one_account_from_many_addresses_is_still_limited(catalog_copy, tracker_db):
    console = await proxied_console(catalog_copy, tracker_db)
    try:
        async with console.client() as attacker:
            for index in range(40):
                response = await post_login(console, attacker, "admin", "wrong-password", next_path="/",
                                            headers={"X-Forwarded-For": f"203.0.113.{index + 1}"})
                if response.status == 429:
                    break
            assert response.status == 429, "an account is locked after many failures from many addresses"
    finally:
        await console.server.close()


@ASYNC
async def test_forwarded_headers_are_ignored_without_a_trusted_proxy(private_console):
    """Without YUBAN_CONSOLE_TRUST_PROXY a client cannot pick a fresh address per guess."""
    async with private_console.client() as attacker:
        for index in range(5):
            await post_login(private_console, attacker, f"madeup{index}", "wrong-password", next_path="/",
                             headers={"X-Forwarded-For": f"203.0.113.{index}", "X-Real-IP": f"203.0.113.{index}"})
        response = await post_login(private_console, attacker, "madeup-next", "wrong-password", next_path="/",
                                    headers={"X-Forwarded-For": "203.0.113.99", "X-Real-IP": "203.0.113.99"})
        assert response.status == 429


def test_shipped_deploy_files_trust_the_proxy():
    env_example = (DEPLOY / "prod.env.example").read_text(encoding="utf-8")
    assert re.search(r"^YUBAN_CONSOLE_TRUST_PROXY=1\b", env_example, re.MULTILINE)
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))
    console_env = compose["services"]["console"]["environment"]
    assert str(console_env["YUBAN_CONSOLE_TRUST_PROXY"]) == "1"
    supervisord = configparser.RawConfigParser()
    supervisord.read(DEPLOY / "supervisord.conf", encoding="utf-8")
    assert 'YUBAN_CONSOLE_TRUST_PROXY="1"' in supervisord["program:console"]["environment"]
    nginx = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
    assert "proxy_set_header X-Real-IP $remote_addr;" in nginx


def test_a_disabled_account_is_logged_out_at_once_everywhere(tmp_path):
    """The console caches sessions; an account disabled (or reset) by another process — the
    command line, a second console — must not stay logged in until the cache runs out."""
    from datetime import datetime, timedelta

    url = f"sqlite:///{tmp_path / 'accounts.db'}"
    console_store, other_store = (AccountStore(session_factory(get_engine(url))) for _ in range(2))
    now, hours = datetime(2026, 11, 28, 10, 0), timedelta(hours=8)
    account = console_store.create("zhouqi", "agent", "a-long-password")
    token, _info = console_store.open_session(account.id, now, hours)
    assert console_store.session(token, now, hours) is not None  # the console has seen the session
    other_store.set_disabled(account.id, True)
    later = now + timedelta(seconds=1)
    assert console_store.session(token, later, hours) is None
    other_store.set_disabled(account.id, False)
    token, _info = console_store.open_session(account.id, later, hours)
    assert console_store.session(token, later, hours) is not None
    other_store.set_password(account.id, "another-long-password")  # e.g. `./yuban user reset`
    assert console_store.session(token, later + timedelta(seconds=1), hours) is None
