"""Progress reminders in the WeChat channel: subscribe-popup consents, the account's own
unsubscribe, and news held for the user's next reply — on a catalog database migrated by
Alembic (0006), through the real Sanic app."""
from __future__ import annotations

import subprocess
import time
from datetime import datetime

import pytest
from sqlalchemy import create_engine, text

from channels.wechat.reminder_events import ReminderEvent, ReminderTables, reminder_event
from core.identity import sender_hash
from tests.channels.wechat_support import ACCOUNT, OPENID, message_xml
from tooling.processes import ROOT, executable

TEMPLATE = "tmpl-progress-1"


def popup_xml(entries: list[tuple[str, str]], event: str = "subscribe_msg_popup_event",
              created: int | None = None) -> str:
    block = "SubscribeMsgPopupEvent" if event == "subscribe_msg_popup_event" else "SubscribeMsgChangeEvent"
    items = "".join(f"<List><TemplateId><![CDATA[{template}]]></TemplateId>"
                    f"<SubscribeStatusString><![CDATA[{status}]]></SubscribeStatusString>"
                    f"<PopupScene>2</PopupScene></List>" for template, status in entries)
    return (f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><FromUserName><![CDATA[{OPENID}]]></FromUserName>"
            f"<CreateTime>{created or int(time.time())}</CreateTime><MsgType><![CDATA[event]]></MsgType>"
            f"<Event><![CDATA[{event}]]></Event><{block}>{items}</{block}></xml>")


@pytest.fixture(scope="module")
def catalog_db(tmp_path_factory) -> str:
    """A catalog database at the newest migration, built by the action-server environment."""
    url = f"sqlite:///{tmp_path_factory.mktemp('catalog') / 'catalog.db'}"
    subprocess.run([executable("actions", "python"), "-c",
                    "import sys; from knowledge.db import make_engine, upgrade_schema; "
                    "upgrade_schema(make_engine(sys.argv[1]))", url],
                   cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, check=True, timeout=240)
    return url


def remaining(url: str) -> int | None:
    engine = create_engine(url)
    with engine.connect() as connection:
        value = connection.execute(text("SELECT remaining FROM reminder_consents WHERE user_hash = :u"),
                                   {"u": sender_hash(OPENID)}).scalar()
    engine.dispose()
    return value


def execute(url: str, sql: str, **values) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text(sql), values)
    engine.dispose()


def test_the_popup_counts_accepted_entries_of_our_template(monkeypatch):
    monkeypatch.setenv("WECHAT_REMINDER_TEMPLATE_ID", TEMPLATE)
    data = {"Event": "subscribe_msg_popup_event", "SubscribeMsgPopupEvent": {"List": [
        {"TemplateId": TEMPLATE, "SubscribeStatusString": "accept"},
        {"TemplateId": "another", "SubscribeStatusString": "accept"},
        {"TemplateId": TEMPLATE, "SubscribeStatusString": "reject"}]}}
    assert reminder_event(data) == ReminderEvent(consents=1)
    single = {"Event": "subscribe_msg_popup_event",
              "SubscribeMsgPopupEvent": {"List": {"TemplateId": TEMPLATE, "SubscribeStatusString": "accept"}}}
    assert reminder_event(single) == ReminderEvent(consents=1)
    change = {"Event": "subscribe_msg_change_event",
              "SubscribeMsgChangeEvent": {"List": {"TemplateId": TEMPLATE, "SubscribeStatusString": "reject"}}}
    assert reminder_event(change) == ReminderEvent(revoked=True)
    assert reminder_event({"Event": "subscribe"}) is None
    assert reminder_event({"Event": "subscribe_msg_popup_event", "SubscribeMsgPopupEvent": "junk"}) == ReminderEvent()
    # <Event><a/></Event> and repeated <Event> elements parse to a dict and a list (found by the fuzz test)
    assert reminder_event({"Event": {"a": None}}) is None
    assert reminder_event({"Event": ["subscribe_msg_popup_event"]}) is None


async def test_consents_are_counted_once_per_event_and_revoked(start_wechat, catalog_db, monkeypatch):
    monkeypatch.setenv("WECHAT_REMINDER_TEMPLATE_ID", TEMPLATE)
    execute(catalog_db, "DELETE FROM reminder_consents")
    wechat = await start_wechat("safe", reminders=ReminderTables(catalog_db))
    event = popup_xml([(TEMPLATE, "accept")], created=1_700_000_001)
    first = await wechat.post(event)
    again = await wechat.post(event)  # WeChat retries an event it got no answer to in time
    assert first.text == again.text == "success" and wechat.bot.calls == []
    assert remaining(catalog_db) == 1
    await wechat.post(popup_xml([(TEMPLATE, "accept"), (TEMPLATE, "accept")], created=1_700_000_002))
    assert remaining(catalog_db) == 3
    await wechat.post(popup_xml([(TEMPLATE, "reject")], event="subscribe_msg_change_event", created=1_700_000_003))
    assert remaining(catalog_db) == 0


async def test_held_news_starts_the_next_reply_once(start_wechat, catalog_db):
    now = datetime(2026, 12, 7, 3, 0)
    execute(catalog_db, "DELETE FROM reminder_deliveries")
    execute(catalog_db, "INSERT INTO reminder_deliveries (subscription_id, change_key, user_hash, channel, status, "
                        "attempts, next_attempt_at, completed, stage, stage_name, item_name, number_masked, changed_at, "
                        "text, created_at) VALUES (1, 'k1', :u, 'wechat', 'held', 0, :now, 0, 'review', '审查', "
                        "'护照签发', 'CQ2026****1233', :now, :notice, :now)",
            u=sender_hash(OPENID), now=now, notice="【办件进展】护照签发（CQ2026****1233）已进入“审查”环节（12-07 11:00）。")
    wechat = await start_wechat("safe", reminders=ReminderTables(catalog_db))
    answer = wechat.opened(await wechat.post(message_xml(Content="开公司要什么材料")))
    assert answer["Content"].startswith("【办件进展】护照签发（CQ2026****1233）已进入“审查”环节")
    assert answer["Content"].endswith("收到：开公司要什么材料")
    second = wechat.opened(await wechat.post(message_xml(Content="谢谢")))
    assert second["Content"] == "收到：谢谢"


async def test_unfollowing_the_account_removes_the_reminders(start_wechat, catalog_db):
    now = datetime(2026, 12, 7, 3, 0)
    execute(catalog_db, "INSERT INTO reminder_subscriptions (user_hash, channel, address_sealed, number_hash, "
                        "number_sealed, number_masked, item_name, created_at) VALUES (:u, 'wechat', 'sealed:v1:x', "
                        "'h1', 'sealed:v1:y', 'CQ2026****1233', '护照签发', :now)", u=sender_hash(OPENID), now=now)
    wechat = await start_wechat("plaintext", reminders=ReminderTables(catalog_db))
    reply = await wechat.post(message_xml("event", Event="unsubscribe"))
    assert reply.text == "success"
    engine = create_engine(catalog_db)
    with engine.connect() as connection:
        left = connection.execute(text("SELECT count(*) FROM reminder_subscriptions WHERE user_hash = :u"),
                                  {"u": sender_hash(OPENID)}).scalar()
    engine.dispose()
    assert left == 0


async def test_without_the_reminder_tables_the_conversation_goes_on(start_wechat):
    wechat = await start_wechat("plaintext")  # the channel's tables point at a database that does not exist
    answer = wechat.opened(await wechat.post(message_xml(Content="你好")))
    assert answer["Content"] == "收到：你好"
    assert (await wechat.post(popup_xml([(TEMPLATE, "accept")]))).text == "success"
