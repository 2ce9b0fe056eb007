"""WeChat official-account (公众号) input channel for Rasa.

Configure it in credentials.yml as `channels.wechat.WeChatInput` (see docs/wechat.md).
Modules: config (validated settings), security (signatures, replay window, safe XML,
AES), inbound (what a message asks), rendering (texts, splitting, merging), store and
redis_store (dedup claims, replies, token cache), sender (customer-service API),
dispatch (the 5-second rule and retries), channel (the Sanic blueprint).
"""
from __future__ import annotations

from channels.wechat.channel import WeChatInput
from channels.wechat.config import WeChatConfig
from channels.wechat.errors import WeChatAPIError, WeChatConfigError, WeChatError, WeChatRequestError

__all__ = ["WeChatInput", "WeChatConfig", "WeChatError", "WeChatConfigError", "WeChatRequestError",
           "WeChatAPIError"]
