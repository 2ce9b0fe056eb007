"""Authenticity and safe reading of WeChat webhook requests; sealing of passive replies.

Signatures are compared in constant time, timestamps must fall in a 5-minute window,
bodies are size-limited, and XML with a DTD or entity declaration is refused before any
parser sees it (then parsed with defusedxml, which refuses them again). AES work is
wechatpy's `WeChatCrypto`, imported lazily (wechatpy reads timezone data at import).
"""
from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping

from channels.wechat.config import WeChatConfig
from channels.wechat.errors import WeChatRequestError

if TYPE_CHECKING:
    from wechatpy.crypto import WeChatCrypto

MAX_BODY_BYTES = 64 * 1024
TIMESTAMP_WINDOW_SECONDS = 300
_HOSTILE = re.compile(rb"<!\s*(doctype|entity)", re.IGNORECASE)


def sign(*parts: str) -> str:
    """WeChat's signature: SHA-1 of the sorted parts concatenated."""
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()


def signature_matches(given: str | None, *parts: str) -> bool:
    if not given:
        return False
    return hmac.compare_digest(sign(*parts).encode("ascii"), given.encode("utf-8", "replace"))


def check_timestamp(timestamp: str | None, now: float, window: int = TIMESTAMP_WINDOW_SECONDS) -> None:
    """Refuse replays: WeChat's timestamp must be within `window` seconds of our clock."""
    if not timestamp or not timestamp.isascii() or not timestamp.isdigit() or len(timestamp) > 12:
        raise WeChatRequestError(403, "missing or malformed timestamp")
    if abs(now - int(timestamp)) > window:
        raise WeChatRequestError(403, "timestamp outside the replay window")


def check_query_signature(config: WeChatConfig, args: Mapping[str, str], now: float) -> None:
    """Every WeChat request carries `signature` over token, timestamp and nonce."""
    check_timestamp(args.get("timestamp"), now)
    if not signature_matches(args.get("signature"), config.token, args["timestamp"], args.get("nonce") or ""):
        raise WeChatRequestError(403, "bad signature")


def parse_xml(body: bytes) -> dict[str, Any]:
    """The `<xml>` document as a dict of its children's text; hostile or malformed XML is a 400."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    if _HOSTILE.search(body):
        raise WeChatRequestError(400, "XML with a DTD or entity declaration")
    try:
        root = fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (ParseError, DefusedXmlException, ValueError, UnicodeError) as error:
        raise WeChatRequestError(400, f"unreadable XML ({type(error).__name__})") from None
    if root.tag != "xml":
        raise WeChatRequestError(400, "the root element is not <xml>")
    return {child.tag: (child.text or "") for child in root if len(child) == 0}


@dataclass(frozen=True)
class Opened:
    """A request body after verification: the message XML and whether it came encrypted."""

    xml: bytes
    encrypted: bool


class Envelope:
    """Opens requests and seals replies for one account, in its configured mode."""

    def __init__(self, config: WeChatConfig) -> None:
        self.config = config
        self._crypto: WeChatCrypto | None = None

    @property
    def crypto(self) -> WeChatCrypto:
        if self._crypto is None:
            from wechatpy.crypto import WeChatCrypto

            self._crypto = WeChatCrypto(self.config.token, self.config.encoding_aes_key, self.config.appid)
        return self._crypto

    def echo(self, args: Mapping[str, str], now: float) -> str:
        """URL verification: the echostr to send back (decrypted when WeChat sent it encrypted)."""
        echostr = args.get("echostr") or ""
        msg_signature = args.get("msg_signature")
        if self.config.encrypted and msg_signature:
            check_timestamp(args.get("timestamp"), now)
            if not signature_matches(msg_signature, self.config.token, args["timestamp"],
                                     args.get("nonce") or "", echostr):
                raise WeChatRequestError(403, "bad msg_signature")
            return self._decrypt(echostr)
        check_query_signature(self.config, args, now)
        return echostr

    def open(self, args: Mapping[str, str], body: bytes, now: float) -> Opened:
        """Verify a POST and return the message XML (decrypted in safe and compatible mode)."""
        check_query_signature(self.config, args, now)
        fields = parse_xml(body)
        wants_aes = args.get("encrypt_type", "").lower() == "aes" or "Encrypt" in fields
        if self.config.mode == "safe" or (self.config.mode == "compatible" and wants_aes):
            encrypt = fields.get("Encrypt")
            if not encrypt:
                raise WeChatRequestError(400, "no <Encrypt> element in an encrypted-mode request")
            if not signature_matches(args.get("msg_signature"), self.config.token, args["timestamp"],
                                     args.get("nonce") or "", encrypt):
                raise WeChatRequestError(403, "bad msg_signature")
            inner = self._decrypt(encrypt).encode("utf-8")
            parse_xml(inner)  # the decrypted message gets the same scrutiny
            return Opened(inner, encrypted=True)
        return Opened(body, encrypted=False)

    def seal(self, reply_xml: str, opened: Opened, nonce: str, now: float) -> str:
        """Encrypt a passive reply when the request came encrypted."""
        if not opened.encrypted:
            return reply_xml
        return self.crypto.encrypt_message(reply_xml, nonce or "yuban", str(int(now)))

    def _decrypt(self, ciphertext: str) -> str:
        from wechatpy.crypto import PrpCrypto

        try:
            # The signature was checked above, in constant time; decrypt directly.
            return PrpCrypto(self.crypto.key).decrypt(ciphertext, self.config.appid)
        except Exception as error:  # noqa: BLE001 - any failure means the ciphertext is bad
            raise WeChatRequestError(400, f"cannot decrypt ({type(error).__name__})") from None
