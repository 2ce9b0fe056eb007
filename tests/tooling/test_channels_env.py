"""Channels switched on from the environment in both profiles (issue #17, item 3)."""
from __future__ import annotations

import os
import subprocess

import pytest
import yaml

from tests.strict import require
from tooling import processes, services
from tooling.channels_env import APP, WECHAT, ChannelEnvError, plan_channels

ROOT = processes.ROOT
BASES = [ROOT / processes.CREDENTIALS["embedded"], ROOT / processes.CREDENTIALS["prod"]]
TOKEN = "yubanTestToken42"
AES_KEY = "a" * 21 + "B" * 22  # 43 letters, as the WeChat console generates
WECHAT_ENV = {"WECHAT_TOKEN": TOKEN, "WECHAT_APPID": "wx1234567890abcdef", "WECHAT_APPSECRET": "s3cr3t-of-the-account"}
SECRET = "0123456789abcdef" * 4
OFFSET = int(os.environ.get("YUBAN_TEST_PORT_OFFSET", "0"))


@pytest.mark.parametrize("base", BASES, ids=["embedded", "prod"])
def test_no_variables_serve_the_base_channels_only(base):
    plan = plan_channels(base, {})
    assert plan.credentials == (yaml.safe_load(base.read_text(encoding="utf-8")) or {})
    assert plan.from_env == [] and WECHAT not in plan.credentials and APP not in plan.credentials
    assert "微信公众号 未启用" in plan.banner("http://127.0.0.1:5005")


@pytest.mark.parametrize("base", BASES, ids=["embedded", "prod"])
def test_wechat_variables_switch_on_the_channel_in_safe_mode(base, tmp_path):
    plan = plan_channels(base, {**WECHAT_ENV, "WECHAT_ENCODING_AES_KEY": AES_KEY})
    written = yaml.safe_load(plan.write(tmp_path / "credentials.yml").read_text(encoding="utf-8"))
    assert written[WECHAT] == {"token": "${WECHAT_TOKEN}", "appid": "${WECHAT_APPID}",
                               "appsecret": "${WECHAT_APPSECRET}", "encoding_aes_key": "${WECHAT_ENCODING_AES_KEY}",
                               "mode": "safe"}
    text = (tmp_path / "credentials.yml").read_text(encoding="utf-8")
    assert TOKEN not in text and AES_KEY not in text  # secrets stay in the environment
    for channel in yaml.safe_load(base.read_text(encoding="utf-8")) or {}:
        assert channel in written  # the REST and ops inputs of the profile are kept
    banner = plan.banner("http://127.0.0.1:5005")
    assert "http://127.0.0.1:5005/webhooks/wechat/webhook（safe 模式）" in banner
    assert "测试号" in banner and "WECHAT_TOKEN" in banner


def test_without_the_aes_key_wechat_runs_in_plaintext_mode():
    plan = plan_channels(BASES[0], WECHAT_ENV)
    assert plan.credentials[WECHAT]["mode"] == "plaintext" and "encoding_aes_key" not in plan.credentials[WECHAT]


def test_app_secrets_switch_on_the_app_channel():
    plan = plan_channels(BASES[0], {"YUBAN_APP_HMAC_SECRET": SECRET, "YUBAN_APP_JWT_SECRET": SECRET,
                                    "YUBAN_APP_JWT_ISSUER": "https://app-backend.example/"})
    assert plan.credentials[APP] == {"hmac_secret": "${YUBAN_APP_HMAC_SECRET}", "jwt_secret": "${YUBAN_APP_JWT_SECRET}",
                                     "jwt_issuer": "${YUBAN_APP_JWT_ISSUER}", "jwt_audience": "yuban-assistant"}
    assert "渝快办 APP http://127.0.0.1:5005/webhooks/app/webhook（认证：签名、JWT）" in plan.banner("http://127.0.0.1:5005")


@pytest.mark.parametrize(("env", "named"), [
    ({**WECHAT_ENV, "WECHAT_TOKEN": "no"}, "WECHAT_TOKEN"),
    ({**WECHAT_ENV, "WECHAT_APPID": ""}, "WECHAT_APPID"),
    ({**WECHAT_ENV, "WECHAT_APPSECRET": ""}, "WECHAT_APPSECRET"),
    ({**WECHAT_ENV, "WECHAT_ENCODING_AES_KEY": "short"}, "WECHAT_ENCODING_AES_KEY"),
    ({"WECHAT_APPID": "wx1234567890abcdef"}, "WECHAT_TOKEN"),
    ({"YUBAN_APP_HMAC_SECRET": "too-short"}, "YUBAN_APP_HMAC_SECRET"),
    ({"YUBAN_APP_JWT_SECRET": SECRET}, "YUBAN_APP_JWT_ISSUER"),
    ({"YUBAN_APP_HMAC_SECRET": SECRET, "YUBAN_APP_REDIS_URL": "http://x"}, "YUBAN_APP_REDIS_URL"),
])
def test_a_bad_value_is_named(env, named):
    with pytest.raises(ChannelEnvError) as caught:
        plan_channels(BASES[0], env)
    assert named in str(caught.value)


def test_several_rasa_processes_need_shared_redis():
    with pytest.raises(ChannelEnvError, match="YUBAN_WECHAT_REDIS_URL"):
        plan_channels(BASES[1], WECHAT_ENV, shared_redis=True)
    plan = plan_channels(BASES[1], {**WECHAT_ENV, "YUBAN_WECHAT_REDIS_URL": "redis://127.0.0.1:6379/7"},
                         shared_redis=True)
    assert plan.credentials[WECHAT]["redis_url"] == "${YUBAN_WECHAT_REDIS_URL}"


def test_a_block_in_the_base_file_is_kept(tmp_path):
    base = tmp_path / "base.yml"
    base.write_text(yaml.safe_dump({"rest": None, WECHAT: {"token": "abc", "mode": "compatible"}}), encoding="utf-8")
    plan = plan_channels(base, WECHAT_ENV)
    assert plan.credentials[WECHAT] == {"token": "abc", "mode": "compatible"} and plan.from_env == []


def test_the_embedded_stack_refuses_a_bad_value_before_anything_starts(tmp_path):
    stack = services.Stack(rasa_port=5031 + OFFSET, actions_port=5032 + OFFSET, progress_port=None, log_dir=tmp_path,
                           extra_env={**WECHAT_ENV, "WECHAT_TOKEN": "x"})
    with pytest.raises(services.ServiceError, match="WECHAT_TOKEN"):
        stack.start()
    assert stack.processes == {}


def _rasa_check(path, env) -> subprocess.CompletedProcess:
    python = processes.ROOT / ".venvs" / "rasa" / "bin" / "python"
    require(python.exists(), "the Rasa environment (.venvs/rasa) is not built")
    return subprocess.run([str(python), "-m", "channels.check", str(path)], cwd=ROOT, capture_output=True, text=True,
                          env={**services.base_env(), **env}, timeout=300, check=False)


def test_rasa_builds_the_generated_channels_and_names_a_bad_variable(tmp_path):
    env = {**WECHAT_ENV, "WECHAT_ENCODING_AES_KEY": AES_KEY, "YUBAN_APP_HMAC_SECRET": SECRET}
    path = plan_channels(BASES[0], env).write(tmp_path / "credentials.yml")
    good = _rasa_check(path, env)
    assert good.returncode == 0, good.stderr[-2000:]
    # A value only the channel itself refuses (WeChat's key must be valid base64 of 32 bytes).
    bad = _rasa_check(path, {**env, "WECHAT_ENCODING_AES_KEY": "!" * 43})
    assert bad.returncode == 2 and "WECHAT_ENCODING_AES_KEY" in bad.stderr, bad.stderr[-2000:]
