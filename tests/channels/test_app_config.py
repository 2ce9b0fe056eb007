"""The app channel's credentials block is validated at start, naming the bad key."""
from __future__ import annotations

import pytest

from channels.app import AppConfig, AppConfigError, AppInput
from tests.channels.app_support import ROOT, credentials


def problem(**creds) -> AppConfigError:
    with pytest.raises(AppConfigError) as caught:
        AppConfig.from_credentials(creds)
    return caught.value


def test_a_complete_block_is_read():
    config = AppConfig.from_credentials(credentials(redis_url="redis://127.0.0.1:6379/0", max_body_bytes="8192"))
    assert config.accepts_signatures and config.accepts_tokens
    assert (config.max_body_bytes, config.timestamp_window_seconds, config.redis_url) == \
        (8192, 300, "redis://127.0.0.1:6379/0")
    assert isinstance(AppInput.from_credentials(credentials()), AppInput)


def test_no_way_to_authenticate_is_refused():
    error = problem()
    assert error.key == "hmac_secret" and "at least one of" in str(error)
    assert "channels.app.AppInput" in str(error)


@pytest.mark.parametrize("creds, key, words", [
    ({"hmac_secret": "short"}, "hmac_secret", "at least 32"),
    ({"hmac_secret": "${APP_HMAC_SECRET_THAT_IS_NOT_SET_ANYWHERE}"}, "hmac_secret", "not expanded"),
    ({"hmac_secret": 12345}, "hmac_secret", "string"),
    ({"jwt_secret": "x" * 40, "jwt_audience": "yuban"}, "jwt_issuer", "required"),
    ({"jwt_secret": "x" * 40, "jwt_issuer": "https://b/"}, "jwt_audience", "required"),
    ({"jwt_public_key": "/no/such/file.pem", "jwt_issuer": "i", "jwt_audience": "a"}, "jwt_public_key", "neither"),
    ({"jwt_public_key": "-----BEGIN PUBLIC KEY-----\nnonsense\n-----END PUBLIC KEY-----", "jwt_issuer": "i",
      "jwt_audience": "a"}, "jwt_public_key", "not a PEM"),
    ({"hmac_secret": "x" * 40, "secret": "typo"}, "secret", "unknown key"),
    ({"hmac_secret": "x" * 40, "max_body_bytes": 10}, "max_body_bytes", "between"),
    ({"hmac_secret": "x" * 40, "max_body_bytes": "lots"}, "max_body_bytes", "number"),
    ({"hmac_secret": "x" * 40, "max_body_bytes": 2048.5}, "max_body_bytes", "whole"),
    ({"hmac_secret": "x" * 40, "timestamp_window_seconds": 3600}, "timestamp_window_seconds", "between"),
    ({"hmac_secret": "x" * 40, "bot_timeout_seconds": True}, "bot_timeout_seconds", "number"),
    ({"hmac_secret": "x" * 40, "redis_url": "http://127.0.0.1:6379"}, "redis_url", "redis://"),
])
def test_bad_values_name_their_key(creds, key, words):
    error = problem(**creds)
    assert error.key == key and words in str(error)


def test_an_ec_key_is_refused_for_rs256():
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    pem = ec.generate_private_key(ec.SECP256R1()).public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    error = problem(jwt_public_key=pem, jwt_issuer="i", jwt_audience="a")
    assert error.key == "jwt_public_key" and "RSA" in str(error)


def test_rasa_reads_the_block_from_a_credentials_file(tmp_path, monkeypatch):
    """The way `rasa run --credentials` builds channels, with ${VARIABLES} expanded."""
    from rasa.core.run import create_http_input_channels

    monkeypatch.setenv("APP_TEST_HMAC_SECRET", "s" * 40)
    path = tmp_path / "credentials.yml"
    path.write_text("rest:\nchannels.app.AppInput:\n  hmac_secret: ${APP_TEST_HMAC_SECRET}\n", encoding="utf-8")
    channels = create_http_input_channels(None, str(path))
    [app] = [channel for channel in channels if channel.name() == "app"]
    assert app.config.hmac_secret == "s" * 40 and not app.config.accepts_tokens


def test_the_credentials_example_is_commented_out_and_works_uncommented(tmp_path, monkeypatch):
    import re

    import yaml
    from rasa.core.run import create_http_input_channels

    text = (ROOT / "credentials.yml").read_text(encoding="utf-8")
    assert "channels.app.AppInput" not in (yaml.safe_load(text) or {})  # the default run does not need it
    lines = text[text.index("# channels.app.AppInput:"):].splitlines()
    block = "\n".join(re.sub(r"^# ?", "", line) for line in lines[:lines.index("")] if line.startswith("#"))
    monkeypatch.setenv("YUBAN_APP_HMAC_SECRET", "h" * 40)
    monkeypatch.setenv("YUBAN_APP_JWT_SECRET", "j" * 40)
    path = tmp_path / "credentials.yml"
    path.write_text("rest:\n" + block + "\n", encoding="utf-8")
    [app] = [channel for channel in create_http_input_channels(None, str(path)) if channel.name() == "app"]
    assert (app.config.hmac_secret, app.config.jwt_secret) == ("h" * 40, "j" * 40)
    assert app.config.jwt_audience == "yuban-assistant" and app.config.max_body_bytes == 16384
