"""What the app sends: the strict JSON body (docs/app-api.yaml, `MessageRequest`) and
who the message is from.

The body is checked field by field so the app backend learns exactly what is wrong;
unknown fields are refused rather than ignored, so a typo never silently drops data.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from channels.app.auth import IDENTITY_PATTERN, Caller
from channels.app.errors import AppRequestError, BadRequest
from channels.location import MAX_LABEL_CHARS, SharedLocation
from core.verified_identity import CLAIM, bind

MAX_MESSAGE_CHARS = 1000
REQUIRED = ("conversation_id",)  # and `message`, or `location`, or both
OPTIONAL = ("message", "user_id", "message_id", "location")
FIELDS = REQUIRED + OPTIONAL
LOCATION_FIELDS = ("latitude", "longitude", "label", "coordinate_system")
COORDINATE_SYSTEMS = ("gcj02", "wgs84")  # 高德/腾讯 SDKs report GCJ-02, a phone's raw GPS WGS-84
# A message needs one character that is whitespace neither to Python nor to JavaScript
# (\x1c-\x1f and \x85 are whitespace only to Python, \ufeff only to JavaScript); the
# OpenAPI document's `message.pattern` is the same expression.
VISIBLE_PATTERN = r"[^\s\x1c-\x1f\x85\ufeff]"
_VISIBLE = re.compile(VISIBLE_PATTERN)


@dataclass(frozen=True)
class AppRequest:
    conversation_id: str  # the app's conversation or device id
    message: str | None
    user_id: str | None = None  # only trusted in a signed request (the backend vouches for it)
    message_id: str | None = None
    location: SharedLocation | None = None  # quiet when a message comes with it


@dataclass(frozen=True)
class Identity:
    """The Rasa sender id and, when the app verified the user, the user's id."""

    sender_id: str
    subject: str | None
    method: str

    def metadata(self, request: AppRequest, identity_key: bytes) -> dict[str, Any]:
        """UserMessage metadata: the verified identity, signed for this channel and sender
        (core/verified_identity.py), is what actions/progress.py trusts."""
        metadata: dict[str, Any] = {"app": {"conversation_id": request.conversation_id}}
        if self.subject is not None:
            metadata[CLAIM] = bind(identity_key, "app", self.subject, self.sender_id, self.method)
        return metadata


def check_content_type(value: str | None) -> None:
    media_type, _, parameters = (value or "").partition(";")
    if media_type.strip().lower() != "application/json":
        raise AppRequestError(415, "unsupported_media_type", "请求体须为 JSON（Content-Type: application/json）。")
    for parameter in parameters.split(";"):
        name, _, charset = parameter.partition("=")
        if name.strip().lower() == "charset" and charset.strip().strip('"').lower() not in ("utf-8", "utf8"):
            raise AppRequestError(415, "unsupported_media_type", "请求体须为 UTF-8 编码的 JSON。")


def parse(body: bytes) -> AppRequest:
    """The request body as an AppRequest; BadRequest names the first problem."""
    try:
        data = json.loads(body.decode("utf-8"), object_pairs_hook=_no_duplicates, parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise BadRequest("malformed_json", "请求体不是有效的 JSON。") from None
    if not isinstance(data, dict):
        raise BadRequest("invalid_request", "请求体须为 JSON 对象。")
    for key in data:
        if key not in FIELDS:
            raise BadRequest("unknown_field", f"不支持的字段：{key[:40]}。", field=key[:64])
    for key in REQUIRED:
        if key not in data:
            raise BadRequest("missing_field", f"缺少必填字段：{key}。", field=key)
    if "message" not in data and "location" not in data:
        raise BadRequest("missing_field", "缺少必填字段：message（或 location）。", field="message")
    message = data.get("message")
    if "message" in data and (not isinstance(message, str) or not 1 <= len(message) <= MAX_MESSAGE_CHARS
                              or not _VISIBLE.search(message) or not _encodable(message)):
        raise BadRequest("invalid_field", f"message 须为 1 到 {MAX_MESSAGE_CHARS} 个字符的非空白文字。", field="message")
    location = _location(data["location"], quiet=message is not None) if "location" in data else None
    return AppRequest(conversation_id=_identifier(data, "conversation_id"), message=message,
                      user_id=_identifier(data, "user_id"), message_id=_identifier(data, "message_id"),
                      location=location)


def _location(value: Any, quiet: bool) -> SharedLocation:
    """`location`: {latitude, longitude, label?, coordinate_system?} (docs/app-api.yaml, `Location`)."""
    if not isinstance(value, dict):
        raise BadRequest("invalid_field", "location 须为包含 latitude 和 longitude 的对象。", field="location")
    for key in value:
        if key not in LOCATION_FIELDS:
            raise BadRequest("unknown_field", f"location 不支持的字段：{key[:40]}。", field=f"location.{key[:48]}")
    coordinates = {}
    for key, limit in (("latitude", 90.0), ("longitude", 180.0)):
        number = value.get(key)
        if key not in value or isinstance(number, bool) or not isinstance(number, (int, float)) \
                or not -limit <= number <= limit:
            raise BadRequest("invalid_field", f"location.{key} 须为 -{limit:g} 到 {limit:g} 之间的数。",
                             field=f"location.{key}")
        coordinates[key] = float(number)
    label = value.get("label")
    if "label" in value and (not isinstance(label, str) or not 1 <= len(label) <= MAX_LABEL_CHARS
                             or not _VISIBLE.search(label) or not _encodable(label)):
        raise BadRequest("invalid_field", f"location.label 须为 1 到 {MAX_LABEL_CHARS} 个字符的非空白文字。",
                         field="location.label")
    system = value.get("coordinate_system", "gcj02")
    if system not in COORDINATE_SYSTEMS:
        raise BadRequest("invalid_field", "location.coordinate_system 须为 gcj02 或 wgs84。",
                         field="location.coordinate_system")
    return SharedLocation(coordinates["latitude"], coordinates["longitude"], label.strip() if label else None,
                          system, "app", quiet=quiet)


def identify(request: AppRequest, caller: Caller) -> Identity:
    """The user is verified by a token's `sub` or by `user_id` in a signed body; a body
    `user_id` that contradicts the token is refused (403) rather than believed."""
    if caller.token_subject is not None:
        if request.user_id is not None and request.user_id != caller.token_subject:
            raise AppRequestError(403, "user_mismatch", "user_id 与令牌中的用户不一致。", field="user_id")
        subject = caller.token_subject
    elif caller.signed and request.user_id is not None:
        subject = request.user_id
    else:
        subject = None
    if subject is not None:
        return Identity(f"app:{subject}", subject, caller.method)
    return Identity(f"app-conversation:{request.conversation_id}", None, caller.method)


def _identifier(data: dict[str, Any], key: str) -> Any:
    if key not in data:
        return None
    value = data[key]
    if not isinstance(value, str) or not IDENTITY_PATTERN.fullmatch(value):
        raise BadRequest("invalid_field", f"{key} 须为 1 到 128 位字母、数字或 . _ @ : -。", field=key)
    return value


def _encodable(text: str) -> bool:
    """False for lone surrogates ("\\ud800" is valid JSON but no character)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise ValueError(f"duplicate key {key!r}")
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")
