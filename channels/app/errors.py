"""The app channel's errors: one base class, a subclass per kind of failure.

A refused request carries its HTTP status, a stable machine-readable code for the app
backend and a Chinese message that may be shown to the citizen; a configuration error
stops Rasa at start with the name of the bad key.
"""
from __future__ import annotations

from rasa.shared.exceptions import RasaException


class AppChannelError(Exception):
    """Base class of everything the app channel raises on purpose."""


class AppConfigError(AppChannelError, RasaException):
    """The `channels.app.AppInput` block of credentials.yml is wrong."""

    def __init__(self, key: str, problem: str) -> None:
        self.key = key
        super().__init__(f"credentials.yml, channel channels.app.AppInput, key '{key}': {problem}")


class AppRequestError(AppChannelError):
    """A request we refuse; nothing of it reaches Rasa."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None) -> None:
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        super().__init__(f"{status} {code}" + (f" ({field})" if field else ""))

    def body(self) -> dict[str, dict[str, str]]:
        """The JSON error body documented in docs/app-api.yaml (`Error`)."""
        error = {"code": self.code, "message": self.message}
        if self.field:
            error["field"] = self.field
        return {"error": error}


class Unauthenticated(AppRequestError):
    """401: no credentials, or credentials we cannot accept."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(401, code, message)


class BadRequest(AppRequestError):
    """400: the body is not the documented JSON."""

    def __init__(self, code: str, message: str, field: str | None = None) -> None:
        super().__init__(400, code, message, field)
