"""The channel's configuration, read once from credentials.yml and validated at start.

Every problem names the key so a wrong deployment fails at `rasa run`, not on the first
message from a citizen. Values may use Rasa's `${ENV_VAR}` substitution.
"""
from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from channels.wechat.errors import WeChatConfigError
from channels.messages import labels, say

MODES = ("plaintext", "compatible", "safe")


def default_menu() -> dict[str, str]:
    """The menu's EventKeys and the text each click sends (channels/messages.yml, wechat.menu)."""
    return dict(labels("wechat.menu"))


def default_welcome() -> str:
    return say("wechat.welcome")


KNOWN_KEYS = frozenset({
    "token", "appid", "appsecret", "encoding_aes_key", "mode", "reply_budget_seconds",
    "redis_url", "api_base_url", "welcome_text", "menu",
})

_TOKEN = re.compile(r"[A-Za-z0-9]{3,32}")
_AES_KEY = re.compile(r"[A-Za-z0-9]{43}")


@dataclass(frozen=True)
class WeChatConfig:
    """What the channel needs; see docs/wechat.md for each key."""

    token: str
    appid: str
    appsecret: str
    encoding_aes_key: str | None = None
    mode: str = "safe"
    reply_budget_seconds: float = 4.0
    redis_url: str | None = None
    api_base_url: str = "https://api.weixin.qq.com"
    welcome_text: str = field(default_factory=default_welcome)
    menu: Mapping[str, str] = field(default_factory=default_menu)

    @property
    def encrypted(self) -> bool:
        return self.mode != "plaintext"

    @classmethod
    def from_credentials(cls, credentials: Mapping[str, Any] | None) -> WeChatConfig:
        """Validate the credentials block; raise WeChatConfigError naming the first bad key."""
        creds = dict(credentials or {})
        unknown = sorted(set(creds) - KNOWN_KEYS)
        if unknown:
            raise WeChatConfigError(unknown[0], f"unknown key (known keys: {', '.join(sorted(KNOWN_KEYS))})")
        token = _required(creds, "token")
        if not _TOKEN.fullmatch(token):
            raise WeChatConfigError("token", "must be 3 to 32 letters or digits, as set in the WeChat console")
        appid = _required(creds, "appid")
        appsecret = _required(creds, "appsecret")
        mode = _optional_str(creds, "mode") or "safe"
        if mode not in MODES:
            raise WeChatConfigError("mode", f"must be one of {', '.join(MODES)}, not {mode!r}")
        aes_key = _optional_str(creds, "encoding_aes_key")
        if mode != "plaintext":
            if not aes_key:
                raise WeChatConfigError("encoding_aes_key", f"is required in {mode} mode")
            _check_aes_key(aes_key)
        elif aes_key:
            _check_aes_key(aes_key)
        return cls(
            token=token, appid=appid, appsecret=appsecret, encoding_aes_key=aes_key, mode=mode,
            reply_budget_seconds=_budget(creds.get("reply_budget_seconds", 4)),
            redis_url=_redis_url(creds),
            api_base_url=_api_base_url(creds),
            welcome_text=_optional_str(creds, "welcome_text") or default_welcome(),
            menu=_menu(creds.get("menu")),
        )


def _required(creds: Mapping[str, Any], key: str) -> str:
    value = creds.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise WeChatConfigError(key, "is required")
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise WeChatConfigError(key, "must be a string")
    text = str(value).strip()
    if any(c.isspace() for c in text):
        raise WeChatConfigError(key, "must not contain spaces")
    return text


def _optional_str(creds: Mapping[str, Any], key: str) -> str | None:
    value = creds.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise WeChatConfigError(key, "must be a string")
    return value.strip()


def _check_aes_key(key: str) -> None:
    if not _AES_KEY.fullmatch(key):
        raise WeChatConfigError("encoding_aes_key", "must be the 43 letters and digits shown in the WeChat console")
    try:
        raw = base64.b64decode(key + "=", validate=True)
    except (binascii.Error, ValueError) as error:
        raise WeChatConfigError("encoding_aes_key", f"is not valid base64 ({error})") from None
    if len(raw) != 32:
        raise WeChatConfigError("encoding_aes_key", "does not decode to a 32-byte AES key")


def _budget(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise WeChatConfigError("reply_budget_seconds", "must be a number of seconds")
    try:
        budget = float(value)
    except ValueError:
        raise WeChatConfigError("reply_budget_seconds", f"must be a number of seconds, not {value!r}") from None
    if not 0 < budget < 5:
        raise WeChatConfigError("reply_budget_seconds", "must be above 0 and below 5 (WeChat waits 5 seconds)")
    return budget


def _redis_url(creds: Mapping[str, Any]) -> str | None:
    url = _optional_str(creds, "redis_url")
    if url and not url.startswith(("redis://", "rediss://", "unix://")):
        raise WeChatConfigError("redis_url", "must start with redis://, rediss:// or unix://")
    return url


def _api_base_url(creds: Mapping[str, Any]) -> str:
    url = _optional_str(creds, "api_base_url") or "https://api.weixin.qq.com"
    if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", url):
        raise WeChatConfigError("api_base_url", f"must be an http(s) URL, not {url!r}")
    return url.rstrip("/")


def _menu(value: Any) -> dict[str, str]:
    if value is None:
        return default_menu()
    if not isinstance(value, Mapping) or not value:
        raise WeChatConfigError("menu", "must map each menu EventKey to the text sent to the assistant")
    menu: dict[str, str] = {}
    for key, text in value.items():
        if not isinstance(key, str) or not key or not isinstance(text, str) or not text.strip():
            raise WeChatConfigError("menu", f"entry {key!r} must map a non-empty EventKey to a non-empty text")
        menu[key] = text.strip()
    return menu


def __getattr__(name: str) -> Any:
    """DEFAULT_WELCOME and DEFAULT_MENU, the former constants, read from channels/messages.yml on first use."""
    if name == "DEFAULT_WELCOME":
        return default_welcome()
    if name == "DEFAULT_MENU":
        return default_menu()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
