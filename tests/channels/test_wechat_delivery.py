"""The 5-second rule: passive answers within the budget, the customer-service API after
it, WeChat's retries answered once, the access token cached and refreshed, and the
five-message quota respected by merging."""
from __future__ import annotations

import asyncio

import pytest

from channels.wechat.rendering import TEXT_LIMIT_BYTES, TRUNCATED
from channels.wechat.redis_store import RedisStore
from tests.channels.wechat_fixtures import delete_keys
from tests.channels.wechat_support import OPENID, message_xml, unique


@pytest.fixture(params=["memory", "redis"])
def store_factory(request):
    """Run a test with the in-process store and (when Redis is reachable) the Redis one."""
    if request.param == "memory":
        yield lambda: None
        return
    url = request.getfixturevalue("redis_url")
    prefix = unique("yuban:wechat:test:") + ":"
    yield lambda: RedisStore(url, prefix)
    delete_keys(url, prefix)


def texts_of(sends):
    return [send["payload"]["text"]["content"] for send in sends]


async def test_slow_answer_is_acknowledged_then_sent_by_the_customer_service_api(start_wechat):
    wechat = await start_wechat("safe", budget=0.3)
    wechat.bot.delay = 0.8
    reply = await wechat.post(message_xml(Content="公积金怎么提取"))
    assert (reply.status, reply.text) == (200, "success") and reply.seconds < 0.8
    [send] = await wechat.wait_for_sends(1)
    assert send["payload"] == {"touser": OPENID, "msgtype": "text", "text": {"content": "收到：公积金怎么提取"}}
    assert wechat.api.token_requests == [{"grant_type": "client_credential", "appid": wechat.channel.config.appid,
                                          "secret": wechat.channel.config.appsecret}]


async def test_retry_during_a_slow_answer_gets_it_passively(start_wechat, store_factory):
    wechat = await start_wechat("plaintext", budget=0.5, store=store_factory())
    wechat.bot.delay = 1.0
    xml = message_xml(Content="社保卡补办", msg_id="9001")
    first = await wechat.post(xml)
    assert first.text == "success"
    await asyncio.sleep(0.3)
    retry = await wechat.post(xml)  # arrives while the bot still thinks
    assert wechat.opened(retry)["Content"] == "收到：社保卡补办"
    third = await wechat.post(xml)  # after the answer was delivered
    assert third.text == "success"
    await asyncio.sleep(0.6)
    assert len(wechat.bot.calls) == 1 and wechat.api.sends == []


async def test_retry_that_gives_up_leaves_the_answer_to_the_customer_service_api(start_wechat, store_factory):
    wechat = await start_wechat("plaintext", budget=0.3, store=store_factory())
    wechat.bot.delay = 1.2
    xml = message_xml(Content="办居住证", msg_id="9002")
    replies = [await wechat.post(xml)]
    await asyncio.sleep(0.1)
    replies.append(await wechat.post(xml))
    assert [r.text for r in replies] == ["success", "success"]
    sends = await wechat.wait_for_sends(1)
    await asyncio.sleep(0.5)
    assert texts_of(wechat.api.sends) == ["收到：办居住证"] and len(sends) == 1
    assert len(wechat.bot.calls) == 1


async def test_simultaneous_copies_get_exactly_one_answer(start_wechat, store_factory):
    wechat = await start_wechat("safe", budget=2.0, store=store_factory())
    wechat.bot.delay = 0.3
    xml = message_xml(Content="要跑几次", msg_id="9003")
    replies = await asyncio.gather(*(wechat.post(xml) for _ in range(3)))
    answered = [r for r in replies if r.text != "success"]
    assert len(answered) == 1 and wechat.opened(answered[0])["Content"] == "收到：要跑几次"
    await asyncio.sleep(0.3)
    assert len(wechat.bot.calls) == 1 and wechat.api.sends == []


async def test_repeated_events_are_answered_once(start_wechat, store_factory):
    wechat = await start_wechat("plaintext", store=store_factory())
    xml = message_xml("event", Event="subscribe", create_time=1700000000)
    first, second = await wechat.post(xml), await wechat.post(xml)
    assert "欢迎" in wechat.opened(first)["Content"] and second.text == "success"
    other_user = await wechat.post(message_xml("event", openid="oOther", Event="subscribe", create_time=1700000000))
    assert "欢迎" in wechat.opened(other_user)["Content"]


async def test_expired_token_is_refreshed_and_the_send_retried_once(start_wechat):
    wechat = await start_wechat("plaintext", budget=0.2)
    wechat.bot.delay = 0.4
    await wechat.post(message_xml(Content="第一问"))
    await wechat.wait_for_sends(1)
    wechat.api.expire_tokens()  # WeChat answers 42001 to the cached token
    await wechat.post(message_xml(Content="第二问"))
    await wechat.wait_for_sends(2)
    assert [(s["token"], s["accepted"]) for s in wechat.api.sends] == [
        ("TOKEN1", True), ("TOKEN1", False), ("TOKEN2", True)]
    assert texts_of(wechat.api.delivered) == ["收到：第一问", "收到：第二问"]
    assert len(wechat.api.token_requests) == 2


async def test_token_is_cached_across_messages(start_wechat):
    wechat = await start_wechat("plaintext", budget=0.2)
    wechat.bot.delay = 0.4
    await asyncio.gather(*(wechat.post(message_xml(Content=f"问题{i}")) for i in range(3)))
    await wechat.wait_for_sends(3)
    assert len(wechat.api.token_requests) == 1
    assert sorted(texts_of(wechat.api.delivered)) == ["收到：问题0", "收到：问题1", "收到：问题2"]


async def test_token_error_is_logged_and_nothing_breaks(start_wechat):
    wechat = await start_wechat("plaintext", budget=0.2)
    wechat.api.token_error = {"errcode": 40125, "errmsg": "invalid appsecret"}
    wechat.bot.delay = 0.4
    reply = await wechat.post(message_xml(Content="开公司"))
    assert reply.text == "success"
    await asyncio.sleep(0.8)
    assert wechat.api.sends == [] and len(wechat.api.token_requests) >= 1
    wechat.api.token_error = None
    wechat.bot.delay = 0
    assert wechat.opened(await wechat.post(message_xml(Content="再问")))["Content"] == "收到：再问"


async def test_many_bot_messages_merge_into_at_most_five_sends(start_wechat):
    wechat = await start_wechat("plaintext", budget=0.2)
    wechat.bot.delay = 0.4
    paragraphs = [f"第{i}条：" + "申请材料清单说明" * 30 for i in range(12)]  # ~730 bytes each
    wechat.bot.replies = [{"text": p} for p in paragraphs]
    await wechat.post(message_xml(Content="材料"))
    await wechat.wait_for_sends(5)
    await asyncio.sleep(0.3)
    sent = texts_of(wechat.api.sends)
    assert len(sent) == 5 and all(len(t.encode()) <= TEXT_LIMIT_BYTES for t in sent)
    assert "".join(sent).replace("\n", "") == "".join(paragraphs)  # merged in order, nothing lost


async def test_more_than_five_full_messages_are_truncated_visibly(start_wechat):
    wechat = await start_wechat("plaintext", budget=0.2)
    wechat.bot.delay = 0.3
    wechat.bot.replies = [{"text": "材" * 700} for _ in range(10)]  # 2,100 bytes each
    await wechat.post(message_xml(Content="材料"))
    await wechat.wait_for_sends(5)
    await asyncio.sleep(0.3)
    sent = texts_of(wechat.api.sends)
    assert len(sent) == 5 and sent[-1].endswith(TRUNCATED)
    assert all(len(t.encode()) <= TEXT_LIMIT_BYTES for t in sent)


async def test_long_fast_answer_is_split_passive_first_then_customer_service(start_wechat):
    wechat = await start_wechat("safe", budget=2.0)
    long_text = "\n".join(f"{i}. 营业执照😀原件及复印件，法定代表人身份证明。" for i in range(1, 120))
    wechat.bot.replies = [{"text": long_text}]
    answer = wechat.opened(await wechat.post(message_xml(Content="开公司要什么材料")))
    first = answer["Content"]
    assert len(first.encode()) <= TEXT_LIMIT_BYTES and first.startswith("1. 营业执照")
    await wechat.wait_for_sends(1)
    await asyncio.sleep(0.4)
    rest = texts_of(wechat.api.sends)
    assert all(len(t.encode()) <= TEXT_LIMIT_BYTES for t in rest)
    assert "\n".join([first] + rest) == long_text
