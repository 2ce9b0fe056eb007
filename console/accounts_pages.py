"""Account management for admins: list, create (one-time password), reset, disable."""
from __future__ import annotations

import asyncio

from aiohttp import web

from console.accounts import AccountError, generate_password
from console.appkeys import ACCOUNTS
from console.auth import current_user, require_role
from console.errors import ConsoleError
from console.models import ROLES
from console.templating import render
from console.messages import message


async def _page(request: web.Request, status: int = 200, **context) -> web.Response:
    accounts = await asyncio.to_thread(request.app[ACCOUNTS].list)
    context.setdefault("error", None)
    context.setdefault("created", None)
    return render(request, "accounts.html", status=status, accounts=accounts, roles=ROLES, **context)


@require_role("admin")
async def accounts_page(request: web.Request) -> web.Response:
    return await _page(request)


@require_role("admin")
async def create_account(request: web.Request) -> web.Response:
    form = await request.post()
    password = generate_password()
    try:
        account = await asyncio.to_thread(request.app[ACCOUNTS].create, str(form.get("username", "")),
                                          str(form.get("role", "")), password, must_change=True)
    except AccountError as error:
        return await _page(request, status=400, error=str(error))
    return await _page(request, created=(account.username, password))


def _account_id(request: web.Request) -> int:
    try:
        return int(request.match_info["account_id"])
    except ValueError:
        raise ConsoleError(404, "no_account", message("accounts.no_account")) from None


@require_role("admin")
async def reset_password(request: web.Request) -> web.Response:
    store, account_id = request.app[ACCOUNTS], _account_id(request)
    account = await asyncio.to_thread(store.get, account_id)
    if account is None:
        raise ConsoleError(404, "no_account", message("accounts.no_account"))
    password = generate_password()
    await asyncio.to_thread(store.set_password, account_id, password, must_change=True)
    return await _page(request, created=(account.username, password))


@require_role("admin")
async def toggle_disabled(request: web.Request) -> web.StreamResponse:
    store, account_id = request.app[ACCOUNTS], _account_id(request)
    account = await asyncio.to_thread(store.get, account_id)
    if account is None:
        raise ConsoleError(404, "no_account", message("accounts.no_account"))
    if account.id == current_user(request).id:
        return await _page(request, status=400, error=message("accounts.cannot_disable_self"))
    await asyncio.to_thread(store.set_disabled, account_id, not account.disabled)
    raise web.HTTPFound("/admin/accounts")


def setup(app: web.Application) -> None:
    app.router.add_get("/admin/accounts", accounts_page)
    app.router.add_post("/admin/accounts", create_account)
    app.router.add_post("/admin/accounts/{account_id}/reset", reset_password)
    app.router.add_post("/admin/accounts/{account_id}/toggle", toggle_disabled)
