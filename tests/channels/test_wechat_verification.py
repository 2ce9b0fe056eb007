"""URL verification and request authenticity, including WeChat's published test vectors
(as used in wechatpy's own tests)."""
from __future__ import annotations

import time

from channels.wechat.security import sign, signature_matches
from tests.channels.wechat_support import OPENID, WeChatSide, message_xml

# wechatpy tests/test_utils.py: token "test" signs timestamp 1410685589, nonce "test".
VECTOR_SIGNATURE = "f21891de399b4e33a1a93c9a7b8a8fffb5a443ff"
# wechatpy tests/test_crypto.py (the AES scheme official accounts share):
VECTOR_TOKEN = "123456"
VECTOR_AES_KEY = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR"
VECTOR_APPID = "wx49f0ab532d5d035a"
VECTOR_ECHO = {
    "msg_signature": "dd6b9c95b495b3f7e2901bfbc76c664930ffdb96",
    "timestamp": "1411443780",
    "nonce": "437374425",
    "echostr": "4ByGGj+sVCYcvGeQYhaKIk1o0pQRNbRjxybjTGblXrBaXlTXeOo1+bXFXDQQb1o6co6Yh9Bv41n7hOchLF6p+Q==",
}
VECTOR_MESSAGE = (
    "<xml><ToUserName><![CDATA[wx49f0ab532d5d035a]]></ToUserName>\n"
    "<Encrypt><![CDATA[RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxpsq5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu6IHCrsT"
    "yeDXzF6Bv283dGymzxh6ydJRvZsryDyZbLTE7rhnus50qGPMfp2wASFlzEgMW9z1ef/RD8XzaFYgm7iTdaXpXaG4+BiYyolBug/gYNx410cvk"
    "KR2/nPwBiT+P4hIiOAQqGp/TywZBtDh1yCF2KOd0gpiMZ5jSw3e29mTvmUHzkVQiMS6td7vXUaWOMZnYZlF3So2SjHnwh4jYFxdgpkHHqIrH"
    "/54SNdshoQgWYEvccTKe7FS709/5t6NMxuGhcUGAPOQipvWTT4dShyqio7mlsl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91"
    "eBdCRxthuL0=]]></Encrypt>\n<AgentID><![CDATA[1]]></AgentID>\n</xml>"
)
VECTOR_MESSAGE_QUERY = {"msg_signature": "74d92dfeb87ba7c714f89d98870ae5eb62dff26d", "timestamp": "1411525903",
                        "nonce": "461056294", "encrypt_type": "aes"}


def clock_at(epoch: int):
    """A clock that reads `epoch` now and then advances in real time."""
    offset = time.time() - epoch
    return lambda: time.time() - offset


def test_signature_matches_the_documented_vector():
    assert sign("test", "1410685589", "test") == VECTOR_SIGNATURE
    assert signature_matches(VECTOR_SIGNATURE, "test", "1410685589", "test")
    assert not signature_matches(VECTOR_SIGNATURE[:-1] + "e", "test", "1410685589", "test")
    assert not signature_matches("", "test", "1410685589", "test")
    assert not signature_matches("签名", "test", "1410685589", "test")  # non-ASCII never raises


async def test_plaintext_url_verification_echoes(start_wechat):
    wechat = await start_wechat("plaintext")
    params = dict(wechat.side.query(), echostr="1234567890123")
    reply = await wechat.get(params)
    assert (reply.status, reply.text) == (200, "1234567890123")


async def test_url_verification_refuses_bad_signature_and_stale_timestamp(start_wechat):
    wechat = await start_wechat("plaintext")
    bad = dict(wechat.side.query(), echostr="42")
    bad["signature"] = "0" * 40
    assert (await wechat.get(bad)).status == 403
    stale = dict(wechat.side.query(timestamp=str(int(time.time()) - 301)), echostr="42")
    assert (await wechat.get(stale)).status == 403
    assert (await wechat.get({"echostr": "42"})).status == 403


async def test_safe_mode_url_verification_decrypts_echostr_with_the_documented_vector(start_wechat):
    clock = clock_at(int(VECTOR_ECHO["timestamp"]))
    wechat = await start_wechat("safe", clock=clock, token=VECTOR_TOKEN, appid=VECTOR_APPID,
                                encoding_aes_key=VECTOR_AES_KEY)
    reply = await wechat.get(VECTOR_ECHO)
    assert (reply.status, reply.text) == (200, "5927782489442352469")
    tampered = dict(VECTOR_ECHO, nonce="437374424")
    assert (await wechat.get(tampered)).status == 403


async def test_safe_mode_url_verification_is_refused_outside_the_time_window(start_wechat):
    wechat = await start_wechat("safe", token=VECTOR_TOKEN, appid=VECTOR_APPID, encoding_aes_key=VECTOR_AES_KEY)
    assert (await wechat.get(VECTOR_ECHO)).status == 403  # 2014 is not "now"


async def test_safe_mode_message_from_the_documented_vector(start_wechat):
    clock = clock_at(int(VECTOR_MESSAGE_QUERY["timestamp"]))
    side = WeChatSide(token=VECTOR_TOKEN, appid=VECTOR_APPID, aes_key=VECTOR_AES_KEY, clock=clock)
    wechat = await start_wechat("safe", clock=clock, side=side, token=VECTOR_TOKEN, appid=VECTOR_APPID,
                                encoding_aes_key=VECTOR_AES_KEY)
    query = dict(VECTOR_MESSAGE_QUERY)
    query["signature"] = side.sign(VECTOR_TOKEN, query["timestamp"], query["nonce"])
    async with wechat.http.post(wechat.url + "/webhooks/wechat/webhook", params=query,
                                data=VECTOR_MESSAGE.encode()) as response:
        status, body = response.status, await response.text()
    assert status == 200
    assert [(m.sender_id, m.text, m.message_id) for m in wechat.bot.calls] == [
        ("messense", "test", "4363689963896700987")]
    reply = side.open_reply(body)
    assert reply["_encrypted"] and reply["ToUserName"] == "messense"
    assert reply["FromUserName"] == "wx49f0ab532d5d035a" and reply["Content"] == "收到：test"


async def test_post_with_bad_signature_or_stale_timestamp_is_refused(start_wechat):
    wechat = await start_wechat("plaintext")
    xml = message_xml(Content="你好")
    assert (await wechat.post(xml, params={"signature": "f" * 40})).status == 403
    assert (await wechat.post(xml, params={"signature": ""})).status == 403
    old = str(int(time.time()) - 400)
    stale = wechat.side.query(timestamp=old)
    assert (await wechat.post(xml, params=stale)).status == 403
    future = wechat.side.query(timestamp=str(int(time.time()) + 400))
    assert (await wechat.post(xml, params=future)).status == 403
    assert wechat.bot.calls == []


async def test_safe_mode_refuses_bad_msg_signature_and_plaintext_bodies(start_wechat):
    wechat = await start_wechat("safe")
    xml = message_xml(Content="你好")
    assert (await wechat.post(xml, params={"msg_signature": "0" * 40})).status == 403
    assert (await wechat.post(xml, encrypted=False)).status == 400  # no <Encrypt>
    assert wechat.bot.calls == []


async def test_compatible_mode_accepts_both_and_answers_in_kind(start_wechat):
    wechat = await start_wechat("compatible")
    plain = await wechat.post(message_xml(Content="明文"), encrypted=False)
    assert wechat.opened(plain)["Content"] == "收到：明文" and "_encrypted" not in wechat.opened(plain)
    sealed = await wechat.post(message_xml(Content="密文"), encrypted=True)
    assert wechat.opened(sealed)["Content"] == "收到：密文" and wechat.opened(sealed)["_encrypted"]
    assert wechat.bot.texts == ["明文", "密文"]
    assert all(m.sender_id == OPENID for m in wechat.bot.calls)
