"""The reminder actions: the offer after a verified answer (only where the notifier can
send), "提醒我" for exactly the application verified, "取消提醒" and "我的提醒"."""
from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from rasa_sdk import Tracker

from actions.reminders import ActionReminderCancel, ActionReminderList, ActionReminderSubscribe, offer_reminder
from answers import reminders as wording
from tests.actions.conftest import run
from tests.actions.test_progress_actions import NUMBER, application


def conversation(channel: str, sender: str, text: str = "提醒我") -> Tracker:
    return Tracker(sender, {}, {"text": text, "intent": {"name": "reminder_subscribe"}, "entities": []},
                   [{"event": "user", "text": text, "input_channel": channel}], False, None, {}, "action_listen")


def offered(channel: str, sender: str) -> list[dict]:
    from rasa_sdk.executor import CollectingDispatcher

    dispatcher = CollectingDispatcher()
    asyncio.run(offer_reminder(dispatcher, conversation(channel, sender), application()))
    return dispatcher.messages


def texts(messages: list[dict]) -> list[str]:
    return [m.get("text") for m in messages]


def test_offered_on_wechat_and_app_not_on_rest(reminders):
    assert texts(offered("wechat", "oUser1")) == [wording.offer()]
    assert texts(offered("app", "app:user-1")) == [wording.offer()]
    assert offered("rest", "rest:user-1") == []
    masked = f"{NUMBER[:6]}****{NUMBER[-4:]}"
    assert reminders().listing("oUser1") == []  # offered, not yet subscribed
    stored = str(reminders().engine.connect().exec_driver_sql("select * from reminder_offers").all())
    assert NUMBER not in stored and "oUser1" not in stored and masked in stored  # sealed and hashed


def test_subscribe_list_cancel(reminders):
    offered("wechat", "oUser2")
    masked = f"{NUMBER[:6]}****{NUMBER[-4:]}"
    item = application().item_name
    messages, _ = run(ActionReminderSubscribe(), conversation("wechat", "oUser2"))
    assert texts(messages) == [wording.subscribed(item, masked, "wechat", already=False)]
    messages, _ = run(ActionReminderSubscribe(), conversation("wechat", "oUser2"))
    assert texts(messages) == [wording.subscribed(item, masked, "wechat", already=True)]
    messages, _ = run(ActionReminderList(), conversation("wechat", "oUser2", "我的提醒"))
    assert texts(messages) == [wording.listing([(item, masked)])] and masked in messages[0]["text"]
    messages, _ = run(ActionReminderCancel(), conversation("wechat", "oUser2", "取消提醒"))
    assert texts(messages) == [wording.cancelled(1)]
    messages, _ = run(ActionReminderList(), conversation("wechat", "oUser2", "我的提醒"))
    assert texts(messages) == [wording.listing([])]
    messages, _ = run(ActionReminderCancel(), conversation("wechat", "oUser2", "取消提醒"))
    assert texts(messages) == [wording.cancelled(0)]


def test_nothing_verified_nothing_subscribed(reminders):
    messages, _ = run(ActionReminderSubscribe(), conversation("app", "app:nobody"))
    assert texts(messages) == [wording.nothing_to_subscribe()] and reminders().listing("app:nobody") == []


def test_another_user_cannot_subscribe_to_my_offer(reminders):
    offered("app", "app:owner")
    messages, _ = run(ActionReminderSubscribe(), conversation("app", "app:someone-else"))
    assert texts(messages) == [wording.nothing_to_subscribe()]


def test_an_old_offer_has_expired(reminders):
    offered("app", "app:late")
    store = reminders()
    store.now = lambda: datetime.utcnow() + timedelta(hours=2)
    messages, _ = run(ActionReminderSubscribe(), conversation("app", "app:late"))
    assert texts(messages) == [wording.nothing_to_subscribe()]


def test_rest_is_told_reminders_are_not_available_there(reminders):
    messages, _ = run(ActionReminderSubscribe(), conversation("rest", "rest:user"))
    assert texts(messages) == [wording.channel_unsupported()]


def test_a_database_failure_is_said_not_raised(monkeypatch):
    from sqlalchemy.exc import OperationalError

    class Broken:
        def listing(self, sender):
            raise OperationalError("select", {}, Exception("down"))

    messages, _ = run(ActionReminderList(Broken()), conversation("app", "app:user", "我的提醒"))
    assert messages[0]["response"] == "utter_reminder_unavailable"


def test_a_verified_answer_in_wechat_ends_with_the_offer_and_then_subscribes(catalog, lock, reminders):
    """The form's own lookup (actions/progress_form.py) makes the offer; "提醒我" then subscribes."""
    from actions.progress_form import ValidateProgressForm
    from tests.actions.test_progress_actions import DOMAIN, KEY, RIGHT, FakePlatform, tracker
    from rasa_sdk.executor import CollectingDispatcher

    form = ValidateProgressForm(catalog, lock, FakePlatform(), identity_key=KEY)
    dispatcher = CollectingDispatcher()
    asyncio.run(form.run(dispatcher, tracker(f"{NUMBER} 尾号{RIGHT}", channel="wechat", sender="oWeChatUser"),
                         DOMAIN))
    said = texts(dispatcher.messages)
    assert len(said) == 2 and "【办件进度】" in said[0] and said[1] == wording.offer()
    messages, _ = run(ActionReminderSubscribe(), conversation("wechat", "oWeChatUser"))
    assert application().item_name in messages[0]["text"] and reminders().listing("oWeChatUser")
    rest = CollectingDispatcher()
    asyncio.run(form.run(rest, tracker(f"{NUMBER} 尾号{RIGHT}", sender="rest:other"), DOMAIN))
    assert len(rest.messages) == 1  # REST: no offer
