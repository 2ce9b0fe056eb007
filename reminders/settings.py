"""The notifier's configuration, read from the environment once at start.

Standard library only: the production launcher checks these variables for every process
(tooling/prod/settings.py), also in the Rasa image, which copies this file alone.
"""
from __future__ import annotations

import os
from dataclasses import dataclass


class NotifierSettingsError(ValueError):
    """A configuration value is wrong; the message names the variable."""


@dataclass(frozen=True)
class NotifierSettings:
    progress_url: str = "http://127.0.0.1:8100"
    progress_token: str | None = None
    poll_seconds: float = 1.0
    backoff_seconds: float = 2.0
    max_attempts: int = 8
    lease_seconds: int = 60
    wechat_appid: str | None = None
    wechat_secret: str | None = None
    wechat_template_id: str | None = None
    wechat_api_base_url: str = "https://api.weixin.qq.com"
    wechat_page: str | None = None
    app_callback_url: str | None = None
    app_hmac_secret: str | None = None

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> NotifierSettings:
        env = dict(os.environ if env is None else env)

        def text(name: str) -> str | None:
            return (env.get(name) or "").strip() or None

        def seconds(name: str, default: float) -> float:
            raw = text(name)
            try:
                value = float(raw) if raw else default
            except ValueError:
                raise NotifierSettingsError(f"{name} 应为秒数，实际为 {raw!r}") from None
            if not 0 < value <= 3600:
                raise NotifierSettingsError(f"{name} 应在 0 到 3600 秒之间，实际为 {raw!r}")
            return value

        settings = cls(
            progress_url=text("YUBAN_PROGRESS_URL") or cls.progress_url,
            progress_token=text("YUBAN_PROGRESS_TOKEN"),
            poll_seconds=seconds("YUBAN_REMINDER_POLL_SECONDS", cls.poll_seconds),
            backoff_seconds=seconds("YUBAN_REMINDER_BACKOFF_SECONDS", cls.backoff_seconds),
            max_attempts=_env_int(env, "YUBAN_REMINDER_MAX_ATTEMPTS", cls.max_attempts),
            lease_seconds=_env_int(env, "YUBAN_REMINDER_LEASE_SECONDS", cls.lease_seconds),
            wechat_appid=text("WECHAT_APPID"), wechat_secret=text("WECHAT_APPSECRET"),
            wechat_template_id=text("WECHAT_REMINDER_TEMPLATE_ID"),
            wechat_api_base_url=text("WECHAT_API_BASE_URL") or cls.wechat_api_base_url,
            wechat_page=text("WECHAT_REMINDER_PAGE"),
            app_callback_url=text("YUBAN_APP_CALLBACK_URL"), app_hmac_secret=text("YUBAN_APP_HMAC_SECRET"),
        )
        if settings.wechat_template_id and not (settings.wechat_appid and settings.wechat_secret):
            raise NotifierSettingsError("WECHAT_REMINDER_TEMPLATE_ID 已设置，但缺少 WECHAT_APPID 或 WECHAT_APPSECRET")
        if settings.app_callback_url and not settings.app_hmac_secret:
            raise NotifierSettingsError("YUBAN_APP_CALLBACK_URL 已设置，但缺少 YUBAN_APP_HMAC_SECRET（回调须签名）")
        for name, url in (("YUBAN_APP_CALLBACK_URL", settings.app_callback_url),
                          ("WECHAT_API_BASE_URL", settings.wechat_api_base_url)):
            if url and not url.startswith(("http://", "https://")):
                raise NotifierSettingsError(f"{name} 应为 http(s) 地址")
        return settings

    @property
    def channels(self) -> list[str]:
        """The channels this notifier can send to."""
        return [name for name, on in (("wechat", self.wechat_template_id), ("app", self.app_callback_url)) if on]


def _env_int(env: dict[str, str], name: str, default: int) -> int:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise NotifierSettingsError(f"{name} 应为正整数，实际为 {raw!r}")
    return int(raw)
