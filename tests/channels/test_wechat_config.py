"""Configuration: early, precise errors; the credentials.yml example; Rasa's own loading."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests

from channels.wechat import WeChatConfig, WeChatConfigError, WeChatInput
from tests.channels.wechat_support import (AES_KEY, APPID, SECRET, TOKEN, FakeAgent, FakeBot, ServedApp, WeChatSide,
                                           message_xml)

ROOT = Path(__file__).resolve().parents[2]
GOOD = {"token": TOKEN, "appid": APPID, "appsecret": SECRET, "encoding_aes_key": AES_KEY}


def test_defaults():
    config = WeChatConfig.from_credentials(GOOD)
    assert (config.mode, config.reply_budget_seconds, config.redis_url) == ("safe", 4.0, None)
    assert config.api_base_url == "https://api.weixin.qq.com"
    assert config.menu["MENU_HUMAN"] == "转人工"
    plain = WeChatConfig.from_credentials({"token": 123456, "appid": APPID, "appsecret": SECRET,
                                           "mode": "plaintext", "reply_budget_seconds": "2.5",
                                           "api_base_url": "http://127.0.0.1:9999/"})
    assert (plain.token, plain.reply_budget_seconds, plain.api_base_url) == ("123456", 2.5, "http://127.0.0.1:9999")


@pytest.mark.parametrize("change, key", [
    ({"token": None}, "token"),
    ({"token": "a b"}, "token"),
    ({"token": "x"}, "token"),
    ({"appid": ""}, "appid"),
    ({"appsecret": None}, "appsecret"),
    ({"mode": "secure"}, "mode"),
    ({"encoding_aes_key": None}, "encoding_aes_key"),
    ({"encoding_aes_key": "short"}, "encoding_aes_key"),
    ({"encoding_aes_key": "!" * 43}, "encoding_aes_key"),
    ({"reply_budget_seconds": 0}, "reply_budget_seconds"),
    ({"reply_budget_seconds": 5}, "reply_budget_seconds"),
    ({"reply_budget_seconds": "soon"}, "reply_budget_seconds"),
    ({"reply_budget_seconds": True}, "reply_budget_seconds"),
    ({"redis_url": "127.0.0.1:6379"}, "redis_url"),
    ({"api_base_url": "ftp://example"}, "api_base_url"),
    ({"menu": {"MENU_X": ""}}, "menu"),
    ({"menu": ["MENU_X"]}, "menu"),
    ({"encodingaeskey": AES_KEY}, "encodingaeskey"),
])
def test_bad_values_name_the_key(change, key):
    credentials = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    with pytest.raises(WeChatConfigError) as error:
        WeChatInput.from_credentials(credentials)
    assert error.value.key == key and f"'{key}'" in str(error.value)


def test_missing_credentials_name_the_first_required_key():
    with pytest.raises(WeChatConfigError, match="'token': is required"):
        WeChatInput.from_credentials(None)


def test_channel_identity():
    channel = WeChatInput.from_credentials(GOOD)
    assert WeChatInput.name() == "wechat" and channel.url_prefix() == "wechat"
    assert channel.get_output_channel().name() == "wechat"


def uncommented_example() -> str:
    """The commented WeChat block of credentials.yml, uncommented."""
    text = (ROOT / "credentials.yml").read_text(encoding="utf-8")
    block = text[text.index("# channels.wechat.WeChatInput:"):]
    return "\n".join(re.sub(r"^# ?", "", line) for line in block.splitlines() if line.startswith("#"))


def test_credentials_example_is_commented_out_and_serves_through_rasa(tmp_path, monkeypatch, server_loop):
    import yaml

    active = yaml.safe_load((ROOT / "credentials.yml").read_text(encoding="utf-8"))
    assert "channels.rest.GuardedRestInput" in active and "rest" not in active
    assert "channels.wechat.WeChatInput" not in active  # the example stays commented out
    for name, value in {"WECHAT_TOKEN": TOKEN, "WECHAT_APPID": APPID, "WECHAT_APPSECRET": SECRET,
                        "WECHAT_ENCODING_AES_KEY": AES_KEY}.items():
        monkeypatch.setenv(name, value)
    path = tmp_path / "credentials.yml"
    path.write_text("rest:\n" + uncommented_example() + "\n", encoding="utf-8")

    from rasa.core.run import configure_app, create_http_input_channels

    channels = create_http_input_channels(None, str(path))
    [wechat] = [c for c in channels if isinstance(c, WeChatInput)]
    assert (wechat.config.token, wechat.config.mode, wechat.config.reply_budget_seconds) == (TOKEN, "safe", 4.0)
    app = configure_app(channels, enable_api=False, use_uvloop=False)
    bot = FakeBot()
    app.ctx.agent = FakeAgent(bot)
    served = ServedApp.around(app)
    server_loop.run(served.start())
    try:
        params, body = WeChatSide().encrypted(message_xml(Content="渝快办"))
        reply = requests.post(served.url + "/webhooks/wechat/webhook", params=params, data=body, timeout=10)
        assert WeChatSide().open_reply(reply.text)["Content"] == "收到：渝快办"
        assert bot.texts == ["渝快办"]
    finally:
        server_loop.run(served.stop())
