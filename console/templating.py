"""Pages: jinja2 templates (autoescaped) under console/templates, all extending base.html.

`render(request, "page.html", **context)` adds what every page needs: the user, the
CSRF token for forms and scripts, and the navigation for the user's role.
"""
from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo
from pathlib import Path

import jinja2
from aiohttp import web

from console.messages import labels

TEMPLATES = Path(__file__).with_name("templates")
LOCAL_TIME = ZoneInfo("Asia/Shanghai")

# (path, roles): the navigation shows only what the role may open; its labels are labels.nav
# in console/messages.yml.
NAV = (
    ("/assist", ("agent", "editor", "admin")),
    ("/handoffs", ("agent", "editor", "admin")),
    ("/catalog", ("editor", "admin")),
    ("/catalog/check", ("editor", "admin")),
    ("/queue", ("editor", "admin")),
    ("/catalog/upload", ("editor", "admin")),
    ("/dashboard", ("editor", "admin")),
    ("/admin/accounts", ("admin",)),
)


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)),
                             autoescape=jinja2.select_autoescape(["html"], default=True),
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals["role_labels"] = labels("labels.roles")
    env.filters["local_time"] = local_time
    return env


def local_time(utc: datetime | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
    """A naive UTC time (as the console stores them) in Chongqing's local time (UTC+8)."""
    if utc is None:
        return ""
    return utc.replace(tzinfo=timezone.utc).astimezone(LOCAL_TIME).strftime(pattern)


def nav_for(role: str | None, path: str) -> list[dict]:
    if role is None:
        return []
    names = labels("labels.nav")
    entries = [dict(path=p, label=names[p]) for p, roles in NAV if role in roles]
    # The longest matching prefix is the current entry (/catalog/check is not /catalog).
    current = max((e["path"] for e in entries if path == e["path"] or path.startswith(e["path"] + "/")), key=len,
                  default=None)
    for entry in entries:
        entry["active"] = entry["path"] == current
    return entries


def render(request: web.Request, template: str, status: int = 200, **context) -> web.Response:
    from console.auth import csrf_token, current_user

    user = current_user(request)
    page = environment().get_template(template).render(
        user=user, csrf_token=csrf_token(request) or "", nav=nav_for(user.role if user else None, request.path),
        path=request.path, **context)
    response = web.Response(text=page, status=status, content_type="text/html", charset="utf-8")
    response.headers["Cache-Control"] = "no-store"
    return response
