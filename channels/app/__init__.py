"""The 渝快办 mobile-app input channel for Rasa: `POST /webhooks/app/webhook`.

Configure it in credentials.yml as `channels.app.AppInput` (see docs/app-channel.md and
the OpenAPI description docs/app-api.yaml). Modules: config (validated settings), auth
(HMAC signatures and JWTs), nonces (replay protection, in memory or Redis), inbound (the
request body and who sent it), messages (bot messages → typed messages), channel (the
Sanic blueprint).
"""
from __future__ import annotations

from channels.app.channel import AppInput
from channels.app.config import AppConfig
from channels.app.errors import AppChannelError, AppConfigError, AppRequestError

__all__ = ["AppInput", "AppConfig", "AppChannelError", "AppConfigError", "AppRequestError"]
