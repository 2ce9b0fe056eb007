"""Channels switched on from the environment, in both profiles (docs/architecture.md).

Nobody edits a tracked file to try or deploy a channel: the launchers write the
credentials file Rasa reads from the profile's base file (credentials.yml or
deploy/credentials.prod.yml: the REST and ops inputs) plus a block for each channel
whose variables are set:

- WECHAT_TOKEN (with WECHAT_APPID, WECHAT_APPSECRET; WECHAT_ENCODING_AES_KEY turns on
  safe mode, without it the channel runs in plaintext mode) → channels.wechat.WeChatInput;
- YUBAN_APP_HMAC_SECRET and/or YUBAN_APP_JWT_SECRET (tokens also need
  YUBAN_APP_JWT_ISSUER; YUBAN_APP_JWT_AUDIENCE defaults to yuban-assistant) →
  channels.app.AppInput.

The generated file refers to the secrets as `${NAME}` (Rasa substitutes them), so no
secret is written to disk. Values are checked here before anything starts, each problem
naming its variable; the channels' own validation (`python -m channels.check`, in the
Rasa environment) runs on the generated file as well.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

WECHAT = "channels.wechat.WeChatInput"
APP = "channels.app.AppInput"
WECHAT_VARIABLES = ("WECHAT_TOKEN", "WECHAT_APPID", "WECHAT_APPSECRET", "WECHAT_ENCODING_AES_KEY")
APP_VARIABLES = ("YUBAN_APP_HMAC_SECRET", "YUBAN_APP_JWT_SECRET", "YUBAN_APP_JWT_ISSUER", "YUBAN_APP_JWT_AUDIENCE",
                 "YUBAN_APP_REDIS_URL")
DEFAULT_AUDIENCE = "yuban-assistant"
MIN_SECRET_CHARS = 32  # as channels/app/config.py
_TOKEN = re.compile(r"[A-Za-z0-9]{3,32}")
_AES_KEY = re.compile(r"[A-Za-z0-9]{43}")
_APPID = re.compile(r"wx[0-9a-zA-Z]{14,30}")
_REDIS = re.compile(r"(redis|rediss|unix)://")
SANDBOX = "https://mp.weixin.qq.com/debug/cgi-bin/sandbox?t=sandbox/login"


class ChannelEnvError(ValueError):
    """A channel variable is missing or malformed; the message names every bad variable."""

    def __init__(self, problems: list[str]):
        super().__init__("通道配置有误：\n  " + "\n  ".join(problems))
        self.problems = problems


@dataclass
class ChannelPlan:
    """The channels a profile serves and the credentials mapping that serves them."""

    credentials: dict = field(default_factory=dict)
    from_env: list[str] = field(default_factory=list)  # channel classes added from the environment
    wechat_mode: str | None = None
    app_modes: list[str] = field(default_factory=list)

    def write(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        header = ("# Generated at start by tooling/channels_env.py from the profile's credentials file and\n"
                  "# the environment (docs/architecture.md); edits are overwritten. Secrets stay ${...}.\n")
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(header + yaml.safe_dump(self.credentials, allow_unicode=True, sort_keys=False),
                       encoding="utf-8")
        tmp.replace(path)  # Rasa never reads a half-written file
        return path

    def banner(self, rasa_url: str) -> str:
        """The start-up lines saying which channels are on (besides REST) and how to reach them."""
        lines = []
        if WECHAT in self.credentials:
            lines.append(f"  微信公众号 {rasa_url}/webhooks/wechat/webhook（{self.wechat_mode} 模式）")
            if WECHAT in self.from_env:
                lines.append(f"             测试号：在 {SANDBOX} 的“接口配置信息”里，URL 填公网可达的 "
                             "https://<域名>/webhooks/wechat/webhook（本机用内网穿透转发到上面的地址），"
                             "Token 填 WECHAT_TOKEN 的值")
        else:
            lines.append("  微信公众号 未启用（设置 WECHAT_TOKEN、WECHAT_APPID、WECHAT_APPSECRET 即启用，"
                         "再设 WECHAT_ENCODING_AES_KEY 为安全模式）")
        if APP in self.credentials:
            modes = "、".join(self.app_modes) or "见凭据文件"
            lines.append(f"  渝快办 APP {rasa_url}/webhooks/app/webhook（认证：{modes}）")
        else:
            lines.append("  渝快办 APP 未启用（设置 YUBAN_APP_HMAC_SECRET 或 YUBAN_APP_JWT_SECRET 即启用）")
        return "\n".join(lines)


def plan_channels(base: Path | str, env: Mapping[str, str], shared_redis: bool = False) -> ChannelPlan:
    """The base file's channels plus those switched on in `env`; ChannelEnvError names every bad value.

    `shared_redis`: several Rasa processes serve the channels, so WeChat's retry
    de-duplication and the app's nonces must be shared through Redis.
    """
    credentials = yaml.safe_load(Path(base).read_text(encoding="utf-8")) or {}
    if not isinstance(credentials, dict):
        raise ChannelEnvError([f"{base} 应为通道名到配置的映射"])
    plan = ChannelPlan(credentials=credentials)
    problems: list[str] = []
    value = {name: (env.get(name) or "").strip() for name in (*WECHAT_VARIABLES, *APP_VARIABLES,
                                                             "YUBAN_WECHAT_REDIS_URL")}
    if value["WECHAT_TOKEN"] and WECHAT not in credentials:
        block = _wechat_block(value, shared_redis, problems)
        credentials[WECHAT] = block
        plan.from_env.append(WECHAT)
        plan.wechat_mode = block["mode"]
    elif WECHAT in credentials:
        plan.wechat_mode = (credentials[WECHAT] or {}).get("mode", "safe")
    elif any(value[name] for name in WECHAT_VARIABLES[1:]):
        problems.append("WECHAT_TOKEN 未设置：设置了 WECHAT_APPID 等变量时，还需要公众平台里填写的 Token")
    if (value["YUBAN_APP_HMAC_SECRET"] or value["YUBAN_APP_JWT_SECRET"]) and APP not in credentials:
        credentials[APP] = _app_block(value, shared_redis, problems, plan.app_modes)
        plan.from_env.append(APP)
    elif APP in credentials:
        block = credentials[APP] or {}
        plan.app_modes = [mode for key, mode in (("hmac_secret", "签名"), ("jwt_secret", "JWT"),
                                                 ("jwt_public_key", "JWT")) if block.get(key)]
    if problems:
        raise ChannelEnvError(problems)
    return plan


def _wechat_block(value: Mapping[str, str], shared_redis: bool, problems: list[str]) -> dict:
    if not _TOKEN.fullmatch(value["WECHAT_TOKEN"]):
        problems.append("WECHAT_TOKEN 应为 3 到 32 位字母或数字（与公众平台“服务器配置”中的 Token 相同）")
    if not value["WECHAT_APPID"]:
        problems.append("WECHAT_APPID 未设置（公众平台“基本配置”中的 AppID，wx 开头）")
    elif not _APPID.fullmatch(value["WECHAT_APPID"]):
        problems.append(f"WECHAT_APPID 应为 wx 开头的 AppID，实际为 {value['WECHAT_APPID'][:40]!r}")
    if not value["WECHAT_APPSECRET"]:
        problems.append("WECHAT_APPSECRET 未设置（公众平台“基本配置”中的 AppSecret）")
    aes_key = value["WECHAT_ENCODING_AES_KEY"]
    if aes_key and not _AES_KEY.fullmatch(aes_key):
        problems.append("WECHAT_ENCODING_AES_KEY 应为 43 位字母或数字（公众平台“服务器配置”中的 EncodingAESKey）")
    block = {"token": "${WECHAT_TOKEN}", "appid": "${WECHAT_APPID}", "appsecret": "${WECHAT_APPSECRET}"}
    if aes_key:
        block["encoding_aes_key"] = "${WECHAT_ENCODING_AES_KEY}"
    block["mode"] = "safe" if aes_key else "plaintext"
    redis_url = value["YUBAN_WECHAT_REDIS_URL"]
    if redis_url:
        if not _REDIS.match(redis_url):
            problems.append("YUBAN_WECHAT_REDIS_URL 应以 redis://、rediss:// 或 unix:// 开头")
        block["redis_url"] = "${YUBAN_WECHAT_REDIS_URL}"
    elif shared_redis:
        problems.append("YUBAN_WECHAT_REDIS_URL 未设置：多个 Rasa 进程必须通过 Redis 共享微信重试去重和 access token")
    return block


def _app_block(value: Mapping[str, str], shared_redis: bool, problems: list[str], modes: list[str]) -> dict:
    block: dict[str, str] = {}
    for name, key, mode in (("YUBAN_APP_HMAC_SECRET", "hmac_secret", "签名"), ("YUBAN_APP_JWT_SECRET", "jwt_secret", "JWT")):
        if value[name]:
            if len(value[name]) < MIN_SECRET_CHARS:
                problems.append(f"{name} 至少 {MIN_SECRET_CHARS} 个字符（例如 openssl rand -hex 32 的输出）")
            block[key] = "${" + name + "}"
            modes.append(mode)
    if value["YUBAN_APP_JWT_SECRET"]:
        if not value["YUBAN_APP_JWT_ISSUER"]:
            problems.append("YUBAN_APP_JWT_ISSUER 未设置：接受 JWT 时必须指定 APP 后台签发令牌的 iss")
        block["jwt_issuer"] = "${YUBAN_APP_JWT_ISSUER}"
        block["jwt_audience"] = "${YUBAN_APP_JWT_AUDIENCE}" if value["YUBAN_APP_JWT_AUDIENCE"] else DEFAULT_AUDIENCE
    redis_name = "YUBAN_APP_REDIS_URL" if value["YUBAN_APP_REDIS_URL"] else "YUBAN_WECHAT_REDIS_URL"
    if value[redis_name]:
        if not _REDIS.match(value[redis_name]):
            problems.append(f"{redis_name} 应以 redis://、rediss:// 或 unix:// 开头")
        block["redis_url"] = "${" + redis_name + "}"
    elif shared_redis:
        problems.append("YUBAN_APP_REDIS_URL 未设置：多个 Rasa 进程必须通过 Redis 共享防重放随机数")
    return block
