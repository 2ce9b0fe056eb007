"""The notifier end to end: the real progress service's feed, the reminder tables in a
migrated database, and a fake WeChat API and app backend over real HTTP."""
from __future__ import annotations

import asyncio
import time

import pytest

from reminders.notifier import Notifier
from tests.actions.test_cards import assert_conforms
from reminders.store import user_hash
from tests.reminders.conftest import TEMPLATE, eventually, rounds, serve


@pytest.mark.parametrize("catalog_db", ["sqlite", "postgresql"], indirect=True)
async def test_subscribe_advance_one_wechat_message(stack, running) -> None:
    store = stack.store()
    (number, item), = stack.numbers(1)
    stack.subscribe(store, "oOpenid-1", "wechat", number, item, consents=1)
    notifier = running.start(Notifier(store, stack.settings()))
    await rounds([notifier], 1)
    started = stack.advance(number)
    await eventually(lambda: stack.wechat.messages)
    print(f"\nadvance → WeChat subscribe message: {(stack.wechat.arrivals[0] - started) * 1000:.0f} ms "
          f"(poll {notifier.settings.poll_seconds} s)")
    await rounds([notifier])
    assert len(stack.wechat.messages) == 1
    message = stack.wechat.messages[0]
    assert message["touser"] == "oOpenid-1" and message["template_id"] == TEMPLATE
    assert message["data"]["thing1"]["value"] == item[:20]
    assert message["data"]["character_string2"]["value"] == f"{number[:6]}****{number[-4:]}"
    assert message["data"]["phrase3"]["value"] in ("受理", "审查", "决定")
    assert store.remaining_consents(user_hash("oOpenid-1")) == 0  # the consent was used
    assert store.counts() == {"sent": 1}


async def test_app_callback_is_signed_and_documented(stack, running) -> None:
    store = stack.store()
    (number, item), = stack.numbers(1)
    stack.subscribe(store, "app:user-42", "app", number, item)
    notifier = running.start(Notifier(store, stack.settings()))
    await rounds([notifier], 1)
    started = stack.advance(number)
    await eventually(lambda: stack.backend.accepted)
    print(f"\nadvance → app callback: {(stack.backend.arrivals[0] - started) * 1000:.0f} ms")
    await rounds([notifier])
    assert stack.backend.bad_signatures == 0 and len(stack.backend.accepted) == 1
    body = stack.backend.accepted[0]
    assert body["type"] == "progress_reminder" and body["user_id"] == "user-42"
    assert body["application"]["number_masked"] == f"{number[:6]}****{number[-4:]}"
    assert number not in str(body)  # the full number never leaves
    assert body["application"]["item_name"] == item and item in body["text"]
    assert_conforms(body, "ProgressReminder")  # docs/app-api.yaml


async def test_app_answering_410_removes_the_users_reminders(stack, running) -> None:
    store = stack.store()
    (number, item), (other, other_item) = stack.numbers(2)
    stack.subscribe(store, "app:user-43", "app", number, item)
    stack.subscribe(store, "app:user-43", "app", other, other_item)
    stack.backend.gone = True
    notifier = running.start(Notifier(store, stack.settings()))
    stack.advance(number)
    await eventually(lambda: store.counts().get("cancelled") == 1)
    await rounds([notifier])
    assert store.listing("app:user-43") == [] and stack.backend.requests == 1


@pytest.mark.parametrize("catalog_db", ["sqlite", "postgresql"], indirect=True)
async def test_two_notifiers_send_each_change_once(stack, running) -> None:
    subscriptions = stack.numbers(6)
    first, second = stack.store(), stack.store()
    for index, (number, item) in enumerate(subscriptions):
        if index % 2:
            stack.subscribe(first, f"app:user-{index}", "app", number, item)
        else:
            stack.subscribe(first, f"oOpenid-{index}", "wechat", number, item, consents=5)
    notifiers = [running.start(Notifier(first, stack.settings())), running.start(Notifier(second, stack.settings()))]
    await rounds(notifiers, 1)
    for _ in range(2):  # two moves each: twelve changes, twelve messages
        for number, _item in subscriptions:
            stack.advance(number)
    await eventually(lambda: len(stack.wechat.messages) + len(stack.backend.accepted) >= 12)
    await rounds(notifiers, 5)
    assert len(stack.wechat.messages) == 6 and stack.backend.requests == 6 == len(stack.backend.accepted)
    assert first.counts() == {"sent": 12}


async def test_no_consent_left_keeps_the_news_for_the_next_reply(stack, running) -> None:
    store = stack.store()
    (number, item), = stack.numbers(1)
    stack.subscribe(store, "oOpenid-2", "wechat", number, item, consents=1)
    notifier = running.start(Notifier(store, stack.settings()))
    await rounds([notifier], 1)
    stack.advance(number)
    await eventually(lambda: stack.wechat.messages)
    stack.advance(number)  # no consent left for this one
    await eventually(lambda: store.counts().get("held") == 1)
    assert len(stack.wechat.messages) == 1
    held = store.take_held(user_hash("oOpenid-2"))
    assert len(held) == 1 and item in held[0] and "审查" in held[0]
    assert store.take_held(user_hash("oOpenid-2")) == []  # taken once


async def test_wechat_says_no_consent_the_news_is_held(stack, running) -> None:
    store = stack.store()
    (number, item), = stack.numbers(1)
    stack.subscribe(store, "oOpenid-3", "wechat", number, item, consents=3)  # we believe 3, WeChat says none
    stack.wechat.errcode = 43101
    running.start(Notifier(store, stack.settings()))
    stack.advance(number)
    await eventually(lambda: store.counts().get("held") == 1)
    assert stack.wechat.messages == [] and store.remaining_consents(user_hash("oOpenid-3")) == 0


async def test_unsubscribed_gets_nothing(stack, running) -> None:
    store = stack.store()
    (number, item), (other, other_item) = stack.numbers(2)
    stack.subscribe(store, "oOpenid-4", "wechat", number, item, consents=2)
    stack.subscribe(store, "oOpenid-4", "wechat", other, other_item)
    assert store.listing("oOpenid-4") == [(item, f"{number[:6]}****{number[-4:]}"),
                                          (other_item, f"{other[:6]}****{other[-4:]}")]
    assert store.cancel("oOpenid-4") == 2 and store.listing("oOpenid-4") == []
    notifier = running.start(Notifier(store, stack.settings()))
    stack.advance(number)
    stack.advance(other)
    await rounds([notifier], 5)
    assert stack.wechat.messages == [] and store.counts() == {}


async def test_unsubscribed_after_the_change_was_queued_is_cancelled(stack, running) -> None:
    store = stack.store()
    (number, item), = stack.numbers(1)
    stack.subscribe(store, "app:user-7", "app", number, item)
    notifier = Notifier(store, stack.settings())
    stack.advance(number)
    await notifier.follow_feed()  # queued, not yet sent
    store.cancel("app:user-7")
    await notifier.deliver_due()
    await notifier.close()
    assert stack.backend.requests == 0 and store.counts() == {"cancelled": 1}


async def test_backend_down_then_up_delivers_once_after_retry(stack, running) -> None:
    store = stack.store()
    (number, item), = stack.numbers(1)
    stack.subscribe(store, "app:user-9", "app", number, item)
    stack.backend.failures_left = 2  # 503, 503, then accepted
    notifier = running.start(Notifier(store, stack.settings()))
    stack.advance(number)
    await eventually(lambda: stack.backend.accepted)
    await rounds([notifier], 5)
    assert stack.backend.requests == 3 and len(stack.backend.accepted) == 1
    assert store.counts() == {"sent": 1}


async def test_backend_unreachable_then_started(stack, running, unused_tcp_port) -> None:
    from tests.reminders.conftest import FakeApp

    backend = FakeApp()
    store = stack.store()
    (number, item), = stack.numbers(1)
    stack.subscribe(store, "app:user-10", "app", number, item)
    url = f"http://127.0.0.1:{unused_tcp_port}/reminders"
    notifier = running.start(Notifier(store, stack.settings(app_callback_url=url, backoff_seconds=0.1)))
    stack.advance(number)
    await eventually(lambda: store.counts().get("pending") == 1 and notifier.rounds > 3)
    server = await serve(backend.app(), port=unused_tcp_port)
    try:
        await eventually(lambda: backend.accepted, timeout=15)
        await rounds([notifier], 5)
        assert backend.requests == 1 and len(backend.accepted) == 1 and store.counts() == {"sent": 1}
    finally:
        await server.close()


async def test_a_change_before_the_subscription_is_not_sent(stack, running) -> None:
    store = stack.store()
    (number, item), = stack.numbers(1)
    stack.advance(number)
    await asyncio.sleep(1.1)  # the feed's times have whole seconds
    stack.subscribe(store, "oOpenid-5", "wechat", number, item, consents=1)
    notifier = running.start(Notifier(store, stack.settings()))
    await rounds([notifier], 3)
    assert stack.wechat.messages == []


async def test_a_restarted_notifier_resumes_from_the_stored_cursor(stack) -> None:
    store = stack.store()
    (number, item), = stack.numbers(1)
    stack.subscribe(store, "app:user-11", "app", number, item)
    stack.advance(number)
    first = Notifier(store, stack.settings())
    await first.round()
    await first.close()
    cursor = store.cursor()
    assert cursor and stack.backend.requests == 1
    second = Notifier(stack.store(), stack.settings())
    started = time.monotonic()
    await second.round()
    await second.close()
    assert store.cursor() == cursor and stack.backend.requests == 1 and time.monotonic() - started < 5


async def test_a_notifier_without_the_callback_leaves_app_notices_to_one_that_has_it(stack, running) -> None:
    store = stack.store()
    (number, item), = stack.numbers(1)
    stack.subscribe(store, "app:user-12", "app", number, item)
    without = running.start(Notifier(store, stack.settings(app_callback_url=None)))
    stack.advance(number)
    await eventually(lambda: store.counts().get("pending") == 1)
    await rounds([without], 5)
    assert store.counts() == {"pending": 1} and stack.backend.requests == 0
    running.start(Notifier(stack.store(), stack.settings()))
    await eventually(lambda: store.counts() == {"sent": 1})
    assert stack.backend.requests == 1
