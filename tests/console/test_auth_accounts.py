"""Accounts, the first administrator, the login limiter and `./yuban user`, without a server."""
from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta

import pytest

from tooling import services
from console.accounts import AccountError, AccountStore
from console.bootstrap import ensure_first_admin
from console.ratelimit import FailureLimiter
from console.templating import nav_for
from knowledge.db import get_engine, session_factory

NOW = datetime(2026, 11, 28, 10, 0)


@pytest.fixture
def accounts(tmp_path) -> AccountStore:
    return AccountStore(session_factory(get_engine(f"sqlite:///{tmp_path / 'accounts.db'}")))


def test_passwords_are_stored_as_argon2_hashes_only(accounts, tmp_path):
    accounts.create("zhangsan", "agent", "a-long-password")
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("accounts.db*"))  # the file and its WAL
    assert b"a-long-password" not in raw and b"$argon2id$" in raw
    assert accounts.authenticate("zhangsan", "a-long-password", NOW).username == "zhangsan"
    assert accounts.authenticate("zhangsan", "a-long-passworD", NOW) is None


def test_bad_accounts_are_refused_with_a_reason(accounts):
    accounts.create("lisi", "editor", "a-long-password")
    for args, message in ((("lisi", "agent", "another-password"), "已存在"), (("wang wu", "agent", "a-long-password"), "用户名"),
                          (("wangwu", "boss", "a-long-password"), "角色"), (("wangwu", "agent", "short"), "至少 10")):
        with pytest.raises(AccountError, match=message):
            accounts.create(*args)


def test_sessions_end_with_the_password_or_a_disabled_account(accounts):
    account = accounts.create("zhaoliu", "agent", "a-long-password")
    token, _info = accounts.open_session(account.id, NOW, timedelta(hours=8))
    assert accounts.session(token, NOW, timedelta(hours=8)).account.username == "zhaoliu"
    accounts.set_password(account.id, "a-new-long-password")
    assert accounts.session(token, NOW, timedelta(hours=8)) is None
    token, _info = accounts.open_session(account.id, NOW, timedelta(hours=8))
    accounts.set_disabled(account.id, True)
    assert accounts.session(token, NOW, timedelta(hours=8)) is None
    assert accounts.authenticate("zhaoliu", "a-new-long-password", NOW) is None
    with pytest.raises(AccountError, match="相同"):
        accounts.set_password(account.id, "a-new-long-password")


def test_first_admin_is_created_once_with_a_one_time_password(accounts):
    name, password = ensure_first_admin(accounts)
    admin = accounts.authenticate(name, password, NOW)
    assert admin.role == "admin" and admin.must_change_password
    assert ensure_first_admin(accounts) is None
    assert [a.username for a in accounts.list()] == [name]


def test_the_limiter_counts_failures_in_a_sliding_window():
    now = [0.0]
    limiter = FailureLimiter(3, 60, lambda: now[0])
    for _ in range(3):
        assert limiter.retry_after("k") == 0
        limiter.fail("k", "other")
    assert limiter.retry_after("k") == 61 and limiter.retry_after("fresh") == 0
    now[0] = 30
    assert 0 < limiter.retry_after("k") <= 31
    now[0] = 61
    assert limiter.retry_after("k") == 0
    limiter.fail("k")
    limiter.reset("k")
    assert limiter.retry_after("k") == 0


def test_navigation_shows_only_what_the_role_may_open():
    assert [e["path"] for e in nav_for("agent", "/assist")] == ["/assist", "/handoffs"]
    admin = nav_for("admin", "/catalog/check")
    assert [e["path"] for e in admin if e["active"]] == ["/catalog/check"]
    assert nav_for(None, "/login") == []


def test_user_command_adds_an_account_with_a_one_time_password(tmp_path):
    env = {**services.base_env(), "YUBAN_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"}
    result = subprocess.run([sys.executable, "-m", "tooling.cli", "user", "add", "agent9", "--role", "agent"], env=env,
                            cwd=services.ROOT, capture_output=True, text=True, check=True)
    password = result.stdout.split("一次性密码: ")[1].split()[0]
    store = AccountStore(session_factory(get_engine(env["YUBAN_DATABASE_URL"])))
    account = store.authenticate("agent9", password, NOW)
    assert account.role == "agent" and account.must_change_password
    again = subprocess.run([sys.executable, "-m", "tooling.cli", "user", "add", "agent9", "--role", "agent"], env=env,
                           cwd=services.ROOT, capture_output=True, text=True)
    assert again.returncode == 1 and "已存在" in again.stderr


def test_times_are_shown_in_chongqing_time():
    from console.templating import local_time

    assert local_time(datetime(2026, 11, 28, 16, 30)) == "2026-11-29 00:30"
    assert local_time(None) == ""
