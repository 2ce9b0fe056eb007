"""Import for editors: upload a catalog file, preview the diff, publish all or nothing.

Both steps reuse knowledge.importer.import_catalog: the preview is its dry run, the
publish its real run on the same saved file, which validates again and writes in one
transaction. A publish is refused when the catalog changed since the preview, so the
editor never publishes a diff they did not see. An uploaded file is first read in a child
process under a memory and time limit (console/upload_guard.py); a file refused there never
reaches the console process, and the editor sees why.
"""
from __future__ import annotations

import asyncio
import secrets
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path, PurePath
from typing import AsyncIterator
from urllib.parse import unquote

from aiohttp import web
from aiohttp.web_request import FileField

from console import upload_guard
from console.appkeys import CATALOG, SETTINGS
from console.auth import current_user, require_role
from console.errors import ConsoleError
from console.templating import render
from knowledge.errors import CatalogValidationError, KnowledgeError
from knowledge.importer import SHEET_SUFFIXES, YAML_SUFFIXES, ImportReport, import_catalog
from knowledge.regions import load_regions
from console.messages import message

ROLES = ("editor", "admin")
SUFFIXES = YAML_SUFFIXES | SHEET_SUFFIXES
UPLOAD_LIFETIME = timedelta(hours=1)
MAX_PROBLEMS_SHOWN = 200


@dataclass
class PendingUpload:
    token: str
    folder: Path
    file: Path
    username: str
    region: str | None
    replace: bool
    version: int
    created: datetime


class Uploads:
    """Uploaded files waiting for publish, each in its own temporary folder."""

    def __init__(self, root: Path):
        self.root = root
        self.pending: dict[str, PendingUpload] = {}

    def discard(self, token: str) -> None:
        upload = self.pending.pop(token, None)
        if upload:
            shutil.rmtree(upload.folder, ignore_errors=True)

    def expire(self, now: datetime) -> None:
        for token, upload in list(self.pending.items()):
            if now - upload.created > UPLOAD_LIFETIME:
                self.discard(token)


UPLOADS = web.AppKey("uploads", Uploads)


def _safe_name(filename: str) -> str:
    """The file's own name (no folders), percent-decoded as some clients send it."""
    name = PurePath(unquote(filename).replace("\\", "/")).name.strip() or "upload"
    return "".join(c for c in name if c not in '<>:"|?*\x00')[:120] or "upload"


def _problems(error: CatalogValidationError, folder: Path) -> list[str]:
    return [str(p).replace(str(folder) + "/", "") for p in error.problems]


@require_role(*ROLES)
async def upload_page(request: web.Request) -> web.Response:
    return render(request, "upload.html", districts=load_regions().local(), stage="form", problems=[], report=None,
                  upload=None, error=None)


@require_role(*ROLES)
async def upload_submit(request: web.Request) -> web.Response:
    form = await request.post()
    field = form.get("file")
    region = str(form.get("region") or "").strip() or None
    replace = form.get("replace") == "1"
    if not isinstance(field, FileField) or not field.filename:
        raise ConsoleError(400, "no_file", message("upload.no_file"))
    name = _safe_name(field.filename)
    if PurePath(name).suffix.lower() not in SUFFIXES:
        raise ConsoleError(400, "bad_file", message("upload.bad_file_type", suffix=PurePath(name).suffix or message("upload.no_suffix")))
    uploads, settings = request.app[UPLOADS], request.app[SETTINGS]
    uploads.expire(settings.now())
    folder = Path(tempfile.mkdtemp(prefix="upload-", dir=uploads.root))
    path = folder / name
    path.write_bytes(field.file.read())
    store = request.app[CATALOG].store
    version = await asyncio.to_thread(store.version)
    context = dict(districts=load_regions().local(), upload=None, report=None, problems=[], error=None, filename=name)
    refusal = await upload_guard.check_file(path, region)  # read first in a memory-limited child (issue #16)
    if refusal:
        shutil.rmtree(folder, ignore_errors=True)
        return render(request, "upload.html", status=422, stage="invalid", **{**context, "error": refusal})
    try:
        report = await asyncio.to_thread(import_catalog, [path], store, dry_run=True, replace=replace, region=region)
    except CatalogValidationError as error:
        shutil.rmtree(folder, ignore_errors=True)
        problems = _problems(error, folder)
        return render(request, "upload.html", status=422, stage="invalid", **{**context, "problems": problems[:MAX_PROBLEMS_SHOWN],
                      "more_problems": max(0, len(problems) - MAX_PROBLEMS_SHOWN)})
    except KnowledgeError as error:
        shutil.rmtree(folder, ignore_errors=True)
        return render(request, "upload.html", status=422, stage="invalid", **{**context, "error": str(error)})
    token = secrets.token_urlsafe(16)
    upload = PendingUpload(token, folder, path, current_user(request).username, region, replace, version, settings.now())
    uploads.pending[token] = upload
    return render(request, "upload.html", stage="preview", **{**context, "report": report, "upload": upload})


@require_role(*ROLES)
async def publish(request: web.Request) -> web.Response:
    uploads = request.app[UPLOADS]
    upload = uploads.pending.get(request.match_info["token"])
    if upload is None or upload.username != current_user(request).username:
        raise ConsoleError(404, "no_upload", message("upload.expired"))
    store = request.app[CATALOG].store
    context = dict(districts=load_regions().local(), upload=None, problems=[], error=None, filename=upload.file.name)
    if await asyncio.to_thread(store.version) != upload.version:
        uploads.discard(upload.token)
        return render(request, "upload.html", status=409, stage="invalid", report=None,
                      **{**context, "error": message("upload.catalog_changed")})
    try:
        report: ImportReport = await asyncio.to_thread(import_catalog, [upload.file], store, replace=upload.replace,
                                                       region=upload.region)
    except CatalogValidationError as error:
        return render(request, "upload.html", status=422, stage="invalid", report=None,
                      **{**context, "problems": _problems(error, upload.folder), "more_problems": 0})
    finally:
        uploads.discard(upload.token)
    return render(request, "upload.html", stage="published", report=report, upload_replaced=upload.replace, **context)


async def _uploads(app: web.Application) -> AsyncIterator[None]:
    root = Path(tempfile.mkdtemp(prefix="yuban-console-uploads-"))
    app[UPLOADS] = Uploads(root)
    yield
    shutil.rmtree(root, ignore_errors=True)


def setup(app: web.Application) -> None:
    app.cleanup_ctx.append(_uploads)
    app.router.add_get("/catalog/upload", upload_page)
    app.router.add_post("/catalog/upload", upload_submit)
    app.router.add_post("/catalog/upload/{token}/publish", publish)
