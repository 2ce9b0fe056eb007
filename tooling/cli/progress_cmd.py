"""`./yuban progress seed|demo|advance|serve`: the local progress service with demonstration applications."""
from __future__ import annotations

import logging
from datetime import date, datetime, time

from tooling.cli.common import fail

STAGE_NAMES = {"submitted": "申请", "accepted": "受理", "review": "审查", "decision": "决定", "delivery": "制证/送达"}


def register(commands) -> None:
    p = commands.add_parser("progress", help="本地办件进度服务（演示数据）")
    sub = p.add_subparsers(dest="progress_command", required=True)
    s = sub.add_parser("seed", help="重新生成演示办件（替换进度数据库中的全部办件）")
    s.add_argument("--count", type=int, default=40, help="办件数量（默认 40）")
    s.add_argument("--reference-date", type=date.fromisoformat, metavar="YYYY-MM-DD",
                   help="以该日期为“今天”生成（默认今天）；同一日期生成的数据完全相同")
    s.add_argument("--show", type=int, default=5, metavar="N", help="列出 N 个演示办件供试用（默认 5，0 不列出）")
    s.set_defaults(handler=seed)
    d = sub.add_parser("demo", help="列出演示办件及申请人手机号后四位（只读，不重新生成；仅限演示数据）")
    d.add_argument("--json", action="store_true", help="输出 JSON（供脚本和测试使用）")
    d.set_defaults(handler=demo)
    a = sub.add_parser("advance", help="把一个演示办件推进到下一环节（写入变更记录，提醒服务据此通知；仅限演示数据）")
    a.add_argument("number", help="办件编号，如 CQ202605140001233")
    a.set_defaults(handler=advance)
    v = sub.add_parser("serve", help="启动本地办件进度服务（数据库为空时先生成演示办件）")
    v.add_argument("--host", default="127.0.0.1")
    v.add_argument("--port", type=int, default=8100)
    v.add_argument("--no-seed", action="store_true", help="数据库为空时不生成演示办件")
    v.set_defaults(handler=serve)


def seed(args) -> int:
    from progress_service.repository import database_url, make_engine
    from progress_service.seed import seed as seed_database

    if args.count < 1:
        fail("--count 应为正整数")
    reference = datetime.combine(args.reference_date, time(8)) if args.reference_date else None
    engine = make_engine(database_url())
    try:
        report = seed_database(engine, reference=reference, count=args.count)
    except (OSError, ValueError) as error:
        fail(f"无法生成演示办件: {error}")
        raise
    finally:
        engine.dispose()
    stages = "，".join(f"{name} {report.stages[key]}" for key, name in STAGE_NAMES.items())
    print(f"已生成 {report.count} 个演示办件（基准时间 {report.reference:%Y-%m-%d %H:%M}）：{stages}；"
          f"其中超期 {report.overdue} 个")
    if args.show > 0:
        print("演示办件（均为虚构数据；验证信息为申请人手机号后四位）：")
        for number, last4, stage, late in _sampled(report.examples, args.show):
            print(f"  {number}  后四位 {last4}  {STAGE_NAMES[stage]}{'  超期' if late else ''}")
    return 0


def demo(args) -> int:
    """The demonstration applications as they are now, with the digits that verify them.

    Demo data only: refused when YUBAN_PROGRESS_URL names a platform that is not this
    machine, or when the database was not written by `progress seed` (no reference date).
    """
    import json

    from sqlalchemy.exc import SQLAlchemyError

    from progress_service.repository import ProgressRepository, database_url, make_engine
    from progress_service.views import STAGES, current_stage, overdue_days

    _refuse_real_platform("演示办件列表只用于本地演示数据")
    engine = make_engine(database_url())
    try:
        repository = ProgressRepository.for_engine(engine)
        reference = repository.meta("reference")
        if reference is None:
            fail("进度数据库里没有演示数据（先运行 ./yuban progress seed 或 ./yuban progress serve）")
        listing = repository.listing()
    except SQLAlchemyError as error:  # e.g. no such table: say so, no stack trace
        fail(f"进度数据库里没有演示数据或无法读取（{type(error).__name__}）：先运行 ./yuban progress seed")
        raise
    finally:
        engine.dispose()
    today = datetime.fromisoformat(reference).date()
    entries = [{"number": app.number, "phone_last4": app.phone_last4, "item_name": app.item_name,
                "stage": STAGES[current_stage(app)][0], "stage_name": STAGES[current_stage(app)][1],
                "overdue": overdue_days(app, today) > 0,
                "identity": {"channel": who[0], "subject": who[1]} if who else None} for app, who in listing]
    if args.json:
        print(json.dumps({"reference": reference, "applications": entries}, ensure_ascii=False, indent=1))
        return 0
    print(f"演示办件 {len(entries)} 个（均为虚构数据，基准时间 {reference}；验证信息为手机号后四位）：")
    for entry in entries:
        who = entry["identity"]
        print(f"  {entry['number']}  后四位 {entry['phone_last4']}  {entry['stage_name']}"
              f"{'  超期' if entry['overdue'] else ''}  {entry['item_name']}"
              + (f"  [{who['channel']}:{who['subject']}]" if who else ""))
    return 0


def _refuse_real_platform(what: str) -> None:
    import os
    from urllib.parse import urlsplit

    platform = os.environ.get("YUBAN_PROGRESS_URL", "").strip()
    if platform and (urlsplit(platform).hostname or "") not in ("127.0.0.1", "localhost", "::1"):
        fail(f"YUBAN_PROGRESS_URL 指向真实的审批平台：{what}，已拒绝")


def advance(args) -> int:
    """Move one demonstration application to its next stage (the change feed records it)."""
    from sqlalchemy.exc import SQLAlchemyError

    from progress_api.numbers import parse
    from progress_service.changes import AdvanceError, advance as advance_application
    from progress_service.repository import ProgressRepository, create_schema, database_url, make_engine
    from progress_service.seed import now_local

    _refuse_real_platform("推进办件只用于本地演示数据")
    number = parse(args.number)
    if number is None:
        fail("办件编号格式不正确（CQ 开头的 17 位，末位为校验位）")
    engine = make_engine(database_url())
    try:
        if ProgressRepository.for_engine(engine).meta("reference") is None:
            fail("进度数据库里没有演示数据（先运行 ./yuban progress seed 或 ./yuban progress serve）")
        create_schema(engine)  # a database seeded before the change feed existed gains its table
        moved = advance_application(engine, number, now_local())
    except AdvanceError as error:
        fail("没有这个演示办件" if error.code == "not_found" else "该办件已办结，不能再推进")
        raise
    except SQLAlchemyError as error:
        fail(f"进度数据库里没有演示数据或无法读取（{type(error).__name__}）：先运行 ./yuban progress seed")
        raise
    finally:
        engine.dispose()
    print(f"{moved.number} 已进入“{moved.stage_name}”环节（{moved.at:%Y-%m-%d %H:%M}）；已写入变更记录")
    return 0


def _sampled(examples: list[tuple[str, str, str, bool]], n: int) -> list[tuple[str, str, str, bool]]:
    """One example per stage first (and an overdue one), so a short list shows everything."""
    picked: list[tuple[str, str, str, bool]] = []
    for stage in STAGE_NAMES:
        picked += [e for e in examples if e[2] == stage and e not in picked][:1]
    picked += [e for e in examples if e[3] and e not in picked][:1]
    picked += [e for e in examples if e not in picked]
    return picked[:n]


def serve(args) -> int:
    from progress_service.app import serve as serve_app
    from progress_service.settings import Settings, SettingsError

    try:
        settings = Settings.from_env(host=args.host, port=args.port, seed_if_empty=not args.no_seed)
    except SettingsError as error:
        fail(str(error))
        raise
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    print(f"办件进度服务: http://{settings.host}:{settings.port}/health （Ctrl-C 停止）", flush=True)
    try:
        serve_app(settings)
    except OSError as error:
        fail(f"无法启动办件进度服务（端口 {settings.port}）: {error.strerror or error}")
    except ValueError as error:
        fail(f"无法启动办件进度服务: {error}")
    return 0
