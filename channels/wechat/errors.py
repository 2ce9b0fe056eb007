"""The WeChat channel's errors: one base class, a subclass per kind of failure.

A bad request is answered with the HTTP status it carries; a configuration error stops
Rasa at start with the name of the bad key; an API error carries WeChat's errcode so the
sender can tell an expired access token from everything else.
"""
from __future__ import annotations

from rasa.shared.exceptions import RasaException


class WeChatError(Exception):
    """Base class of everything the WeChat channel raises on purpose."""


class WeChatConfigError(WeChatError, RasaException):
    """The `channels.wechat.WeChatInput` block of credentials.yml is wrong."""

    def __init__(self, key: str, problem: str) -> None:
        self.key = key
        super().__init__(f"credentials.yml, channel channels.wechat.WeChatInput, key '{key}': {problem}")


class WeChatRequestError(WeChatError):
    """A webhook request we refuse (not from WeChat, replayed, too large, unreadable)."""

    def __init__(self, status: int, reason: str) -> None:
        self.status = status
        self.reason = reason
        super().__init__(f"{status}: {reason}")


class WeChatAPIError(WeChatError):
    """WeChat's API answered with a non-zero errcode (or not at all)."""

    def __init__(self, errcode: int, errmsg: str) -> None:
        self.errcode = errcode
        self.errmsg = errmsg
        super().__init__(f"WeChat API error {errcode}: {errmsg}")
