"""The production settings check refuses a weak deployment (issue #16, findings 8, 9 and 10):
an open progress service, Redis without a password, WeChat in a mode whose signature does not
cover the body, app-channel nonces kept per process."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tooling import services
from tooling.prod.settings import ProdConfigError, ProdSettings
from tests.production.conftest import prod_environment

DEPLOY = services.ROOT / "deploy"
DATABASES = {part: f"postgresql://yuban:pw@127.0.0.1:5432/{part}" for part in ("catalog", "conversations", "events", "progress")}
REDIS = "redis://:a-redis-password@127.0.0.1:6379/0"
WECHAT = """channels.wechat.WeChatInput:
  token: ${WECHAT_TOKEN}
  appid: wx0123456789abcdef
  appsecret: ${WECHAT_APPSECRET}
  encoding_aes_key: ${WECHAT_ENCODING_AES_KEY}
"""
APP = """channels.app.AppInput:
  hmac_secret: ${YUBAN_APP_HMAC_SECRET}
  jwt_secret: ${YUBAN_APP_JWT_SECRET}
"""


def environment(**changes: str | None) -> dict[str, str]:
    env = prod_environment(DATABASES, REDIS)
    for name, value in changes.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def refused(env: dict[str, str], credentials: Path | None = None) -> str:
    with pytest.raises(ProdConfigError) as raised:
        ProdSettings.from_env(env, credentials=credentials)
    return str(raised.value)


def credentials_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "credentials.yml"
    path.write_text("channels.rest.GuardedRestInput:\n" + text, encoding="utf-8")
    return path


def test_production_refuses_a_progress_service_without_a_token():
    message = refused(environment(YUBAN_PROGRESS_TOKEN=None))
    assert "YUBAN_PROGRESS_TOKEN" in message and "未设置" in message
    assert "YUBAN_PROGRESS_TOKEN" in refused(environment(YUBAN_PROGRESS_TOKEN="short"))
    platform = environment(YUBAN_PROGRESS_TOKEN=None, YUBAN_PROGRESS_URL="https://platform.example/progress",
                           YUBAN_PROGRESS_DATABASE_URL=None)
    assert "YUBAN_PROGRESS_TOKEN" in refused(platform)


def test_every_process_gets_the_progress_token():
    settings = ProdSettings.from_env(environment())
    assert settings.process_env()["YUBAN_PROGRESS_TOKEN"] == environment()["YUBAN_PROGRESS_TOKEN"]


@pytest.mark.parametrize("name, url", [
    ("YUBAN_REDIS_URL", "redis://127.0.0.1:6379/0"),
    ("YUBAN_REDIS_URL", "redis://yuban@127.0.0.1:6379/0"),
    ("YUBAN_REDIS_URL", "rediss://:@redis.internal:6380/0"),
    ("YUBAN_WECHAT_REDIS_URL", "redis://127.0.0.1:6379/1"),
])
def test_production_refuses_redis_without_a_password(name, url):
    message = refused(environment(**{name: url}))
    assert name in message and "密码" in message


@pytest.mark.parametrize("url", ["redis://:pw@127.0.0.1:6379/0", "redis://default:pw@127.0.0.1:6379/0",
                                 "unix:///run/redis.sock?password=pw&db=0"])
def test_redis_with_a_password_is_accepted(url):
    assert ProdSettings.from_env(environment(YUBAN_REDIS_URL=url)).redis_url == url


@pytest.mark.parametrize("mode", ["compatible", "plaintext"])
def test_production_refuses_wechat_modes_the_signature_does_not_cover(tmp_path, mode):
    credentials = credentials_file(tmp_path, WECHAT + f"  mode: {mode}\n  redis_url: ${{YUBAN_WECHAT_REDIS_URL}}\n")
    message = refused(environment(YUBAN_WECHAT_REDIS_URL=REDIS), credentials)
    assert "mode" in message and "safe" in message and mode in message


def test_wechat_in_safe_mode_is_accepted(tmp_path):
    for mode_line in ("  mode: safe\n", ""):  # safe is the channel's default
        credentials = credentials_file(tmp_path, WECHAT + mode_line + "  redis_url: ${YUBAN_WECHAT_REDIS_URL}\n")
        ProdSettings.from_env(environment(YUBAN_WECHAT_REDIS_URL=REDIS), credentials=credentials)


@pytest.mark.parametrize("redis_line, env_value", [("", REDIS), ("  redis_url: ${YUBAN_WECHAT_REDIS_URL}\n", None),
                                                   ("  redis_url: \"\"\n", REDIS)])
def test_production_refuses_app_channel_nonces_kept_per_process(tmp_path, redis_line, env_value):
    credentials = credentials_file(tmp_path, APP + redis_line)
    message = refused(environment(YUBAN_WECHAT_REDIS_URL=env_value), credentials)
    assert "channels.app.AppInput" in message and "redis_url" in message


def test_app_channel_with_redis_nonces_is_accepted(tmp_path):
    credentials = credentials_file(tmp_path, APP + "  redis_url: ${YUBAN_WECHAT_REDIS_URL}\n")
    ProdSettings.from_env(environment(YUBAN_WECHAT_REDIS_URL=REDIS), credentials=credentials)
    bare = credentials_file(tmp_path, APP + "  redis_url: redis://127.0.0.1:6379/1\n")
    assert "密码" in refused(environment(), bare)


def test_an_unreadable_credentials_file_is_named(tmp_path):
    broken = tmp_path / "credentials.yml"
    broken.write_text("channels.app.AppInput: [unclosed\n", encoding="utf-8")
    assert "credentials.yml" in refused(environment(), broken)


def test_the_shipped_files_set_the_token_and_the_redis_password():
    example = (DEPLOY / "prod.env.example").read_text(encoding="utf-8")
    assert re.search(r"^YUBAN_PROGRESS_TOKEN=", example, re.MULTILINE)
    assert re.search(r"^YUBAN_REDIS_URL=redis://:[^@\s]+@", example, re.MULTILINE)
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))
    env = compose["x-app"]["environment"]
    assert "YUBAN_PROGRESS_TOKEN" in env
    for name in ("YUBAN_REDIS_URL", "YUBAN_WECHAT_REDIS_URL"):
        assert env[name].startswith("redis://:${REDIS_PASSWORD"), env[name]
    redis_command = " ".join(compose["services"]["redis"]["command"])
    assert "--requirepass" in redis_command
    # the shipped credentials pass the check as they are
    ProdSettings.from_env(environment(YUBAN_WECHAT_REDIS_URL=REDIS))
