"""Configuration of the production profile, from environment variables, checked once at start.

Every variable is listed in deploy/prod.env.example and docs/deployment.md. `from_env`
reports every missing or malformed variable at once, by name; `check_services` then
connects to each PostgreSQL database (creating a missing one, as the catalog already does)
and pings Redis, so a wrong password or a stopped server is reported before any process
starts — not as a Rasa server looping on "could not connect".
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import parse_qs, urlsplit

from core.env import EnvValueError, env_int

DATABASE_VARIABLES = {
    "YUBAN_DATABASE_URL": "事项目录数据库",
    "YUBAN_TRACKER_DATABASE_URL": "会话数据库（Rasa 的 SQL tracker store）",
    "YUBAN_EVENTS_DATABASE_URL": "事件数据库（Rasa 的 SQL event broker，看板的数据来源）",
}
PROGRESS_DATABASE = ("YUBAN_PROGRESS_DATABASE_URL", "本地办件进度服务的数据库")
REDIS_VARIABLE = ("YUBAN_REDIS_URL", "Redis（Rasa 的 lock store）")
WECHAT_REDIS_VARIABLE = "YUBAN_WECHAT_REDIS_URL"  # optional: the WeChat channel's dedup and token cache
COUNTS = {"YUBAN_RASA_PROCESSES": 2, "YUBAN_ACTION_PROCESSES": 2}
PORTS = {"YUBAN_RASA_PORT": 5005, "YUBAN_ACTIONS_PORT": 5055, "YUBAN_PROGRESS_PORT": 8100, "YUBAN_CONSOLE_PORT": 8000,
         "YUBAN_REMINDERS_PORT": 8200}
CONNECT_TIMEOUT = 3
PROGRESS_TOKEN_VARIABLE = "YUBAN_PROGRESS_TOKEN"  # Bearer token between the action servers and the progress API
MIN_TOKEN_CHARS = 24
ROOT = Path(__file__).resolve().parents[2]
CREDENTIALS = ROOT / "deploy" / "credentials.prod.yml"  # the input channels of the profile (tooling/prod/launch.py)


class ProdConfigError(RuntimeError):
    """The production profile cannot start; the message names the variable and what to do."""


@dataclass(frozen=True)
class ProdSettings:
    catalog_url: str
    tracker_url: str
    events_url: str
    redis_url: str
    progress_database_url: str | None  # the local progress service; None with a platform URL
    progress_url: str | None  # the approval platform's progress API; None runs the local service
    wechat_redis_url: str | None
    seal_key: str  # Fernet key sealing the progress slots in the tracker store (bot/ops/sealing.py)
    hash_salt: str  # salt of the hashed keys in the verification lock table
    progress_token: str  # YUBAN_PROGRESS_TOKEN: the progress API answers only callers that send it
    identity_key: str  # signs identities the app channel verified, checked by the actions (core/verified_identity.py)
    actions_url: str | None = None  # where Rasa finds the action servers; default 127.0.0.1:actions_port
    log_dir: str | None = None  # YUBAN_LOG_DIR: log files (default var/log/prod)
    rasa_processes: int = 2
    action_processes: int = 2
    rasa_port: int = 5005
    actions_port: int = 5055
    progress_port: int = 8100
    console_port: int = 8000
    reminders_port: int = 8200

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, *, credentials: str | os.PathLike | None = None,
                 **overrides: int) -> ProdSettings:
        """The settings, or ProdConfigError naming every problem; `credentials` is the Rasa
        credentials file the profile's Rasa servers use (default deploy/credentials.prod.yml)."""
        env = os.environ if env is None else env
        problems: list[str] = []
        urls = {name: _postgres_url(env, name, meaning, problems) for name, meaning in DATABASE_VARIABLES.items()}
        progress_url = env.get("YUBAN_PROGRESS_URL") or None
        progress_database = None if progress_url else _postgres_url(env, *PROGRESS_DATABASE, problems)
        redis_url = _redis_url(env, *REDIS_VARIABLE, problems)
        wechat_redis = _redis_url(env, WECHAT_REDIS_VARIABLE, "微信通道的 Redis", problems, required=False)
        if not env.get("YUBAN_HASH_SALT") or env.get("YUBAN_HASH_SALT") == "yuban":
            problems.append("YUBAN_HASH_SALT 未设置：生产环境必须设置自己的随机值（用于锁定表里的哈希，"
                            "例如 `openssl rand -hex 16`），不能用默认值")
        _seal_key(env, problems)
        progress_token = _progress_token(env, problems)
        check_channels(Path(credentials) if credentials else CREDENTIALS, env, problems)
        _identity_key(env, problems)
        _reminders(env, problems)
        retry = env.get("YUBAN_STORE_RETRY_SECONDS", "").strip()
        if retry and not retry.replace(".", "", 1).isdigit():
            problems.append(f"YUBAN_STORE_RETRY_SECONDS 应为秒数（如 3），实际为 {retry!r}")
        numbers = {name: _integer(env, name, default, 1, 16, problems) for name, default in COUNTS.items()}
        numbers |= {name: _integer(env, name, default, 1024, 65535, problems) for name, default in PORTS.items()}
        if problems:
            raise ProdConfigError("生产环境配置有误（变量说明见 deploy/prod.env.example）：\n  - " + "\n  - ".join(problems))
        values = {
            "catalog_url": urls["YUBAN_DATABASE_URL"], "tracker_url": urls["YUBAN_TRACKER_DATABASE_URL"],
            "events_url": urls["YUBAN_EVENTS_DATABASE_URL"], "redis_url": redis_url,
            "progress_database_url": progress_database, "progress_url": progress_url, "wechat_redis_url": wechat_redis,
            "seal_key": env["YUBAN_SEAL_KEY"], "hash_salt": env["YUBAN_HASH_SALT"], "progress_token": progress_token,
            "identity_key": env["YUBAN_IDENTITY_KEY"],
            "actions_url": env.get("YUBAN_ACTIONS_URL") or None, "log_dir": env.get("YUBAN_LOG_DIR") or None,
            "rasa_processes": numbers["YUBAN_RASA_PROCESSES"], "action_processes": numbers["YUBAN_ACTION_PROCESSES"],
            "rasa_port": numbers["YUBAN_RASA_PORT"], "actions_port": numbers["YUBAN_ACTIONS_PORT"],
            "progress_port": numbers["YUBAN_PROGRESS_PORT"], "console_port": numbers["YUBAN_CONSOLE_PORT"],
            "reminders_port": numbers["YUBAN_REMINDERS_PORT"],
        }
        values |= {key: value for key, value in overrides.items() if value is not None}
        return cls(**values)

    @property
    def rasa_ports(self) -> list[int]:
        return [self.rasa_port + index for index in range(self.rasa_processes)]

    def process_env(self) -> dict[str, str]:
        """The variables every process of the profile gets (the code reads exactly these)."""
        env = {
            "YUBAN_DATABASE_URL": self.catalog_url, "YUBAN_TRACKER_DATABASE_URL": self.tracker_url,
            "YUBAN_EVENTS_DATABASE_URL": self.events_url, "YUBAN_REDIS_URL": self.redis_url,
            "YUBAN_ACTIONS_URL": self.actions_url or f"http://127.0.0.1:{self.actions_port}/webhook",
            "YUBAN_PROGRESS_URL": self.progress_url or f"http://127.0.0.1:{self.progress_port}",
            "YUBAN_SEAL_KEY": self.seal_key, "YUBAN_HASH_SALT": self.hash_salt,
            PROGRESS_TOKEN_VARIABLE: self.progress_token,
            "YUBAN_IDENTITY_KEY": self.identity_key,
        }
        if self.progress_database_url:
            env["YUBAN_PROGRESS_DATABASE_URL"] = self.progress_database_url
        if self.wechat_redis_url:
            env[WECHAT_REDIS_VARIABLE] = self.wechat_redis_url
        return env

    def check_services(self) -> None:
        """Connect to every database (creating a missing one) and ping Redis; ProdConfigError if not."""
        databases = [("YUBAN_DATABASE_URL", self.catalog_url), ("YUBAN_TRACKER_DATABASE_URL", self.tracker_url),
                     ("YUBAN_EVENTS_DATABASE_URL", self.events_url)]
        if self.progress_database_url:
            databases.append(("YUBAN_PROGRESS_DATABASE_URL", self.progress_database_url))
        for name, url in databases:
            ensure_postgres_database(name, url)
        ping_redis(REDIS_VARIABLE[0], self.redis_url)
        if self.wechat_redis_url:
            ping_redis(WECHAT_REDIS_VARIABLE, self.wechat_redis_url)


def ensure_postgres_database(variable: str, url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError

    parsed = make_url(url)
    shown = parsed.render_as_string(hide_password=True)
    engine = create_engine(url, connect_args={"connect_timeout": CONNECT_TIMEOUT})
    try:
        with engine.connect():
            return
    except OperationalError as error:
        if "does not exist" not in str(error.orig):
            raise ProdConfigError(f"{variable}：无法连接 PostgreSQL（{shown}）：{_first_line(error.orig)}"
                                  "。请确认服务器已启动、地址和密码正确") from None
    finally:
        engine.dispose()
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT",
                          connect_args={"connect_timeout": CONNECT_TIMEOUT})
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    except OperationalError as error:
        if "already exists" not in str(error.orig):  # another process created it meanwhile
            raise ProdConfigError(f"{variable}：数据库 {parsed.database} 不存在，且无法创建：{_first_line(error.orig)}") from None
    except Exception as error:  # noqa: BLE001 — e.g. no CREATEDB privilege
        if "already exists" not in str(error):
            raise ProdConfigError(f"{variable}：数据库 {parsed.database} 不存在，且无法创建：{_first_line(error)}") from None
    finally:
        admin.dispose()


def ping_redis(variable: str, url: str) -> None:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=CONNECT_TIMEOUT, socket_timeout=CONNECT_TIMEOUT)
    try:
        client.ping()
    except redis.RedisError as error:
        shown = _hide_password(url)
        raise ProdConfigError(f"{variable}：无法连接 Redis（{shown}）：{_first_line(error)}。请确认 Redis 已启动、地址正确") from None
    finally:
        client.close()


def _postgres_url(env: Mapping[str, str], name: str, meaning: str, problems: list[str]) -> str:
    value = env.get(name, "").strip()
    if not value:
        problems.append(f"{name} 未设置：{meaning}，例如 postgresql://yuban:密码@127.0.0.1:5432/{_example_db(name)}")
    elif urlsplit(value).scheme.split("+")[0] not in ("postgresql", "postgres"):
        problems.append(f"{name} 应为 PostgreSQL 地址（postgresql://…），实际为 {urlsplit(value).scheme or value!r}")
    return value.replace("postgres://", "postgresql://", 1) if value.startswith("postgres://") else value


def _redis_url(env: Mapping[str, str], name: str, meaning: str, problems: list[str], required: bool = True) -> str | None:
    value = env.get(name, "").strip()
    if not value:
        if required:
            problems.append(f"{name} 未设置：{meaning}，例如 redis://127.0.0.1:6379/0")
        return None
    if urlsplit(value).scheme not in ("redis", "rediss", "unix"):
        problems.append(f"{name} 应为 Redis 地址（redis://…），实际为 {_hide_password(value)!r}")
    elif not _redis_password(value):
        # Conversations' locks, WeChat's access token and the app's nonces live there: anyone who
        # reaches an open Redis can read the token, replay messages or stall conversations.
        problems.append(f"{name} 没有密码：生产环境的 Redis 必须设置密码（redis-server --requirepass），"
                        f"地址写成 redis://:密码@主机:6379/0，实际为 {_hide_password(value)!r}")
    return value


def _redis_password(url: str) -> str:
    parts = urlsplit(url)
    return parts.password or (parse_qs(parts.query).get("password") or [""])[0]


def _progress_token(env: Mapping[str, str], problems: list[str]) -> str:
    token = env.get(PROGRESS_TOKEN_VARIABLE, "").strip()
    if not token:
        problems.append(f"{PROGRESS_TOKEN_VARIABLE} 未设置：办件进度接口只回答带这个令牌的调用方（本地进度服务"
                        "和审批平台都用它），生产环境必须设置（生成：openssl rand -hex 24）")
    elif len(token) < MIN_TOKEN_CHARS:
        problems.append(f"{PROGRESS_TOKEN_VARIABLE} 太短：至少 {MIN_TOKEN_CHARS} 个字符（生成：openssl rand -hex 24）")
    return token


_VARIABLE = re.compile(r"\$\{([^}]+)\}")


def check_channels(path: Path, env: Mapping[str, str], problems: list[str]) -> None:
    """What the production profile requires of its input channels (the credentials file):
    WeChat only in safe mode (in compatible mode the signature does not cover the plaintext
    body, and plaintext has no encryption at all: both stay for local trials), and the app
    channel's replay nonces in Redis (in memory, each Rasa process would accept a nonce that
    another process has seen)."""
    import yaml

    try:
        channels = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as error:
        problems.append(f"无法读取通道配置 {path}：{_first_line(error)}")
        return
    if not isinstance(channels, dict):
        problems.append(f"通道配置 {path} 应为“通道: 参数”的映射")
        return
    for key, options in channels.items():
        name = str(key).rsplit(".", 1)[-1]
        values = {k: _substitute(v, env) for k, v in options.items()} if isinstance(options, dict) else {}
        if name in ("WeChatInput", "wechat"):
            mode = str(values.get("mode") or "safe")
            if mode != "safe":
                problems.append(f"{path.name}：{key} 的 mode 为 {mode!r}；生产环境只允许 safe（安全模式，消息加密且签名覆盖全文），"
                                "compatible 和 plaintext 只用于本地试用")
            if values.get("redis_url"):
                _redis_url({f"{key}.redis_url": values["redis_url"]}, f"{key}.redis_url", "", problems)
        elif name in ("AppInput", "app"):
            if not values.get("redis_url"):
                problems.append(f"{path.name}：{key} 没有 redis_url；生产环境有多个 Rasa 进程，防重放的随机数必须"
                                "存在 Redis 里（redis_url: ${YUBAN_WECHAT_REDIS_URL}），否则一个请求可以在每个进程各重放一次")
            else:
                _redis_url({f"{key}.redis_url": values["redis_url"]}, f"{key}.redis_url", "", problems)


def _substitute(value: Any, env: Mapping[str, str]) -> Any:
    """${VAR} as Rasa fills it in when it reads the credentials file."""
    if not isinstance(value, str):
        return value
    return _VARIABLE.sub(lambda match: env.get(match.group(1), ""), value).strip()
def _identity_key(env: Mapping[str, str], problems: list[str]) -> None:
    from core.verified_identity import IdentityKeyError, load_key

    try:  # no key file in production: every Rasa process and action server must share it
        load_key(env, key_file=None)
    except IdentityKeyError as error:
        problems.append(str(error))


def _seal_key(env: Mapping[str, str], problems: list[str]) -> None:
    from bot.ops.sealing import SealError, load_key

    if not env.get("YUBAN_SEAL_KEY"):
        problems.append("YUBAN_SEAL_KEY 未设置：会话里的办件编号用它加密，所有 Rasa 进程必须用同一个密钥（生成："
                        "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'）")
        return
    try:
        load_key(env["YUBAN_SEAL_KEY"])
    except SealError as error:
        problems.append(str(error))


def _integer(env: Mapping[str, str], name: str, default: int, low: int, high: int, problems: list[str]) -> int:
    try:
        return env_int(name, default, low, high, env=env)
    except EnvValueError as error:  # every bad variable is named at once, not only the first
        problems.append(str(error))
        return default


def _example_db(name: str) -> str:
    return {"YUBAN_DATABASE_URL": "yuban", "YUBAN_TRACKER_DATABASE_URL": "yuban_conversations",
            "YUBAN_EVENTS_DATABASE_URL": "yuban_events", "YUBAN_PROGRESS_DATABASE_URL": "yuban_progress"}[name]


def _hide_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@", 1)
    return url


def _first_line(error: object) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def _reminders(env: Mapping[str, str], problems: list[str]) -> None:
    """The reminder notifier's variables (WeChat template, app callback URL and secret)."""
    from reminders.settings import NotifierSettings, NotifierSettingsError

    try:
        NotifierSettings.from_env(dict(env))
    except NotifierSettingsError as error:
        problems.append(str(error))
