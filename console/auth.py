"""Who is asking, and may they: sessions, roles, CSRF, API keys and login.

- `session_middleware` loads the session of the cookie (server-side, HttpOnly,
  SameSite=Strict, Secure when configured) and refuses unsafe methods (POST, PUT,
  PATCH, DELETE) of a session whose `X-CSRF-Token` header or `csrf_token` form field
  does not match the session's token.
- `@require_role("editor", "admin")` guards a handler: no session gives 401 (API) or a
  redirect to /login (pages), a wrong role 403; `api_key=True` also admits a request
  carrying one of the configured keys in `X-API-Key` (integrations, no cookies).
- A generated one-time password must be changed before any other page opens.
- Failed logins are limited per account at an address, per address and (higher) per account
  over all addresses (429 with Retry-After); the address is the real client's behind our proxy.
"""
from __future__ import annotations

import asyncio
import functools
import hmac
import ipaddress
import secrets
import unicodedata
from datetime import timedelta
from typing import Awaitable, Callable, NamedTuple
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from aiohttp import web

from console.accounts import Account, AccountError, SessionInfo
from console.appkeys import ACCOUNTS, LOGIN_LIMITER, SETTINGS
from console.errors import api_error, wants_json
from console.ratelimit import FailureLimiter
from console.templating import render
from console.messages import message as _message

SESSION_COOKIE = "yuban_session"
LOGIN_CSRF_COOKIE = "yuban_login_csrf"
CSRF_HEADER = "X-CSRF-Token"
API_KEY_HEADER = "X-API-Key"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
SESSION = web.RequestKey("session", object)  # SessionInfo | None
API_CLIENT = web.RequestKey("api_client", bool)  # True when a valid API key was given
EXPIRED = web.RequestKey("session_expired", bool)  # a cookie came with a session that has ended
PASSWORD_PAGE = "/account/password"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def current_user(request: web.Request) -> Account | None:
    info: SessionInfo | None = request.get(SESSION)
    return info.account if info else None


def csrf_token(request: web.Request) -> str | None:
    info: SessionInfo | None = request.get(SESSION)
    return info.csrf_token if info else None


def _lifetime(request: web.Request) -> timedelta:
    return timedelta(hours=request.app[SETTINGS].session_hours)


@web.middleware
async def session_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    settings = request.app[SETTINGS]
    request[SESSION] = None
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        accounts = request.app[ACCOUNTS]
        info = await asyncio.to_thread(accounts.session, token, settings.now(), _lifetime(request))
        request[SESSION] = info
        request[EXPIRED] = info is None
    key = request.headers.get(API_KEY_HEADER)
    request[API_CLIENT] = bool(key) and any(hmac.compare_digest(key.encode(), k.encode()) for k in settings.api_keys)
    # The login form has its own double-submit token (there is no session yet).
    if request.method in UNSAFE_METHODS and request[SESSION] is not None and request.path != "/login":
        sent = request.headers.get(CSRF_HEADER)
        if sent is None and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            sent = (await request.post()).get("csrf_token")
        if not isinstance(sent, str) or not hmac.compare_digest(sent.encode(), request[SESSION].csrf_token.encode()):
            return api_error(request, 403, "csrf", _message("auth.csrf"))
    return await handler(request)


def require_role(*roles: str, api_key: bool = False) -> Callable[[Handler], Handler]:
    def decorate(handler: Handler) -> Handler:
        @functools.wraps(handler)
        async def guarded(request: web.Request) -> web.StreamResponse:
            user = current_user(request)
            if user is None:
                if api_key and request.get(API_CLIENT):
                    return await handler(request)
                if wants_json(request):
                    message = _message("auth.session_expired" if request.get(EXPIRED) else "auth.login_first")
                    return api_error(request, 401, "unauthorized", message)
                raise web.HTTPFound(f"/login?next={quote(request.path_qs)}" + ("&expired=1" if request.get(EXPIRED) else ""))
            if user.must_change_password:
                if wants_json(request):
                    return api_error(request, 403, "password_change_required", _message("auth.change_password_first"))
                raise web.HTTPFound(PASSWORD_PAGE)
            if user.role not in roles:
                return api_error(request, 403, "forbidden", _message("auth.forbidden"))
            return await handler(request)

        guarded.roles = roles  # type: ignore[attr-defined]
        return guarded

    return decorate


def client_address(request: web.Request) -> str | None:
    """The caller's address. Behind our own proxy (trust_proxy, and the peer is a loopback or
    private address, i.e. the proxy itself) the address the proxy saw: X-Real-IP, which nginx
    overwrites, else the entry it appended last to X-Forwarded-For. A client reaching the console
    directly cannot pick a fresh address per guess with these headers."""
    remote = request.remote
    if request.app[SETTINGS].trust_proxy and _is_proxy(remote):
        forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",") if part.strip()]
        for candidate in (request.headers.get("X-Real-IP", "").strip(), forwarded[-1] if forwarded else ""):
            if _is_address(candidate):
                return candidate
    return remote


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _is_proxy(remote: str | None) -> bool:
    try:
        address = ipaddress.ip_address(remote or "")
    except ValueError:
        return False
    return address.is_loopback or address.is_private


# ---------------------------------------------------------------- login limits
ACCOUNT_LIMIT_FACTOR = 4  # failures on one account from all addresses together: this many times the limit


class LoginKeys(NamedTuple):
    """What a failed login counts against.

    `pair` (account at one address) and `address` lock after the configured number of failures:
    made-up names from one address lock out that address only, and guessing a colleague's
    password from one address does not lock the colleague out elsewhere. `account` (all
    addresses together) has a higher limit: it stops guessing spread over many addresses."""

    pair: tuple[str, str, str | None]
    address: tuple[str, str | None]
    account: tuple[str, str]


def _login_keys(username: str, address: str | None) -> LoginKeys:
    name = username.strip().lower()
    return LoginKeys(("pair", name, address), ("addr", address), ("user", name))


def _login_wait(limiter: FailureLimiter, keys: LoginKeys) -> int:
    return max(limiter.retry_after(keys.pair, keys.address),
               limiter.retry_after(keys.account, limit=ACCOUNT_LIMIT_FACTOR * limiter.limit))


# ---------------------------------------------------------------- login pages
def _safe_next(target: str | None) -> str:
    """Only a local path: never an open redirect to another site.

    Browsers drop tabs and newlines inside URLs and treat a backslash as a slash, so the
    link /login?next=/%09/evil.example (a tab once decoded) ended in "//evil.example". Anything
    with control characters, whitespace (Unicode spaces and invisible format characters too)
    or a backslash is refused; the target is rebuilt from the parsed URL and must have no scheme and no host."""
    if not target or _unsafe_characters(target):
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.startswith("//"):
        return "/"
    decoded = unquote(parts.path)  # percent-encoded in the path too: some proxies decode twice
    if _unsafe_characters(decoded) or decoded.startswith("//"):
        return "/"
    rebuilt = urlunsplit(("", "", parts.path, parts.query, parts.fragment))
    return rebuilt if urlsplit(rebuilt).netloc == "" and not rebuilt.startswith("//") else "/"


def _unsafe_characters(text: str) -> bool:
    return any(ch.isspace() or ch == "\\" or unicodedata.category(ch) in ("Cc", "Cf", "Zs", "Zl", "Zp") for ch in text)


def _set_cookie(response: web.StreamResponse, request: web.Request, name: str, value: str, max_age: int | None) -> None:
    response.set_cookie(name, value, max_age=max_age, path="/", httponly=True, samesite="Strict",
                        secure=request.app[SETTINGS].cookie_secure)


async def login_page(request: web.Request) -> web.StreamResponse:
    return _login_form(request, error=None, status=200)


def _login_form(request: web.Request, error: str | None, status: int, username: str = "") -> web.StreamResponse:
    token = secrets.token_urlsafe(24)
    notice = _message("auth.session_expired_notice") if request.query.get("expired") else None
    response = render(request, "login.html", status=status, login_csrf=token, error=error, notice=notice,
                      next=_safe_next(request.query.get("next")), username=username)
    _set_cookie(response, request, LOGIN_CSRF_COOKIE, token, max_age=3600)
    return response


async def login_submit(request: web.Request) -> web.StreamResponse:
    form = await request.post()
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    sent = str(form.get("csrf_token", ""))
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        return _login_form(request, _message("auth.page_expired"), 403)
    username, password = str(form.get("username", "")).strip(), str(form.get("password", ""))
    limiter, settings = request.app[LOGIN_LIMITER], request.app[SETTINGS]
    keys = _login_keys(username, client_address(request))
    wait = _login_wait(limiter, keys)
    if wait:
        response = _login_form(request, _message("auth.too_many_logins", minutes=max(1, wait // 60)), 429, username)
        response.headers["Retry-After"] = str(wait)
        return response
    accounts = request.app[ACCOUNTS]
    account = await asyncio.to_thread(accounts.authenticate, username, password, settings.now())
    if account is None:
        limiter.fail(*keys)
        return _login_form(request, _message("auth.bad_login"), 401, username)
    limiter.reset(keys.pair)
    limiter.reset(keys.account)
    token, _info = await asyncio.to_thread(accounts.open_session, account.id, settings.now(), _lifetime(request))
    target = PASSWORD_PAGE if account.must_change_password else _safe_next(str(form.get("next", "")))
    response = web.HTTPFound(target)
    _set_cookie(response, request, SESSION_COOKIE, token, max_age=None)
    response.del_cookie(LOGIN_CSRF_COOKIE, path="/")
    raise response


async def logout(request: web.Request) -> web.StreamResponse:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        await asyncio.to_thread(request.app[ACCOUNTS].close_session, token)
    response = web.HTTPFound("/login")
    response.del_cookie(SESSION_COOKIE, path="/")
    raise response


async def password_page(request: web.Request) -> web.StreamResponse:
    if current_user(request) is None:
        raise web.HTTPFound(f"/login?next={PASSWORD_PAGE}")
    return render(request, "password.html", error=None)


async def password_submit(request: web.Request) -> web.StreamResponse:
    user = current_user(request)
    if user is None:
        raise web.HTTPFound(f"/login?next={PASSWORD_PAGE}")
    form = await request.post()
    current, new, repeat = (str(form.get(k, "")) for k in ("current", "password", "repeat"))
    accounts, settings, limiter = request.app[ACCOUNTS], request.app[SETTINGS], request.app[LOGIN_LIMITER]
    keys = _login_keys(user.username, client_address(request))  # guessing the current password counts as failed logins
    if _login_wait(limiter, keys):
        return render(request, "password.html", status=429, error=_message("auth.too_many_password_tries"))
    if await asyncio.to_thread(accounts.authenticate, user.username, current, settings.now()) is None:
        limiter.fail(*keys)
        return render(request, "password.html", status=400, error=_message("auth.wrong_password"))
    if new != repeat:
        return render(request, "password.html", status=400, error=_message("auth.passwords_differ"))
    try:
        await asyncio.to_thread(accounts.set_password, user.id, new)
    except AccountError as error:
        return render(request, "password.html", status=400, error=str(error))
    # Changing the password ends every session of the account; open a fresh one.
    token, _info = await asyncio.to_thread(accounts.open_session, user.id, settings.now(), _lifetime(request))
    response = web.HTTPFound("/?password_changed=1")
    _set_cookie(response, request, SESSION_COOKIE, token, max_age=None)
    raise response


def setup(app: web.Application) -> None:
    app.router.add_get("/login", login_page)
    app.router.add_post("/login", login_submit)
    app.router.add_post("/logout", logout)
    app.router.add_get(PASSWORD_PAGE, password_page)
    app.router.add_post(PASSWORD_PAGE, password_submit)
