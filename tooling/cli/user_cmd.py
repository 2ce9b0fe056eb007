"""`./yuban user add|list|passwd`: console accounts (agent, editor, admin).

Without --password the password is generated, printed once, and must be changed at
the first login; with --password it is read from a prompt (never from the command
line, where it would stay in the shell history).
"""
from __future__ import annotations

import getpass
import sys

from tooling.cli.common import fail


def register(commands) -> None:
    p = commands.add_parser("user", help="控制台账号（坐席 agent、内容编辑 editor、管理员 admin）")
    sub = p.add_subparsers(dest="user_command", required=True)
    add = sub.add_parser("add", help="创建账号")
    add.add_argument("name")
    add.add_argument("--role", choices=("agent", "editor", "admin"), required=True)
    add.add_argument("--password", action="store_true", help="交互输入密码（默认生成一次性密码并打印）")
    add.set_defaults(handler=add_user)
    ls = sub.add_parser("list", help="列出账号")
    ls.set_defaults(handler=list_users)
    reset = sub.add_parser("reset", help="重置密码为新的一次性密码")
    reset.add_argument("name")
    reset.set_defaults(handler=reset_user)


def _accounts():
    from console.accounts import AccountStore
    from knowledge.db import database_url, get_engine, session_factory

    return AccountStore(session_factory(get_engine(database_url())))


def _prompted_password() -> str:
    first = getpass.getpass("密码（至少 10 个字符）: ")
    if first != getpass.getpass("再输入一次: "):
        fail("两次输入的密码不一致")
    return first


def add_user(args) -> int:
    from console.accounts import AccountError, generate_password

    generated = not args.password
    password = generate_password() if generated else _prompted_password()
    try:
        account = _accounts().create(args.name, args.role, password, must_change=generated)
    except AccountError as error:
        fail(str(error))
    print(f"已创建账号 {account.username}（{account.role}）")
    if generated:
        print(f"一次性密码: {password}\n首次登录后必须修改密码；此密码不会再次显示。")
    return 0


def list_users(_args) -> int:
    from console.templating import local_time

    accounts = _accounts().list()
    if not accounts:
        print("还没有账号：./yuban user add 用户名 --role admin")
    for account in accounts:
        state = "停用" if account.disabled else ("待改密码" if account.must_change_password else "正常")
        last = local_time(account.last_login_at) if account.last_login_at else "从未登录"
        print(f"{account.username}\t{account.role}\t{state}\t{last}")
    return 0


def reset_user(args) -> int:
    from console.accounts import AccountError, generate_password

    store = _accounts()
    account = next((a for a in store.list() if a.username == args.name), None)
    if account is None:
        fail(f"没有账号 {args.name}")
    password = generate_password()
    try:
        store.set_password(account.id, password, must_change=True)
    except AccountError as error:
        fail(str(error))
    print(f"账号 {account.username} 的一次性密码: {password}\n首次登录后必须修改密码；此密码不会再次显示。", file=sys.stdout)
    return 0
