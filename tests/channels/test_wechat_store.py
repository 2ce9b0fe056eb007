"""The store contract (in-process and Redis) and the access-token cache."""
from __future__ import annotations

import asyncio

import pytest

from channels.wechat import WeChatConfig
from channels.wechat.redis_store import RedisStore
from channels.wechat.sender import CustomerServiceClient
from channels.wechat.store import MemoryStore
from tests.channels.wechat_fixtures import credentials, delete_keys
from tests.channels.wechat_support import unique


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_700_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(params=["memory", "redis"])
async def store(request):
    if request.param == "memory":
        yield MemoryStore()
        return
    url = request.getfixturevalue("redis_url")
    prefix = unique("yuban:wechat:test:") + ":"
    redis_store = RedisStore(url, prefix)
    yield redis_store
    await redis_store.close()
    delete_keys(url, prefix)


async def test_claims_and_deliveries_are_granted_once(store):
    assert await store.claim("m1", 5) and not await store.claim("m1", 5)
    assert await store.claim("m2", 5)
    assert await store.claim_delivery("m1", 5) and not await store.claim_delivery("m1", 5)


async def test_waiting_for_a_reply(store):
    assert await store.wait_done("m1", 0.1) is None
    waiter = asyncio.ensure_future(store.wait_done("m1", 2))
    await asyncio.sleep(0.1)
    await store.finish("m1", ["答复一", "答复二"], 5)
    assert await waiter == ["答复一", "答复二"]
    assert await store.wait_done("m1", 0) == ["答复一", "答复二"]


async def test_waiter_deadline_keeps_the_latest(store):
    assert await store.waiter_deadline("m1") is None
    await store.add_waiter("m1", 100.5, 5)
    await store.add_waiter("m1", 99.0, 5)
    assert await store.waiter_deadline("m1") == 100.5


async def test_choices_and_token(store):
    assert await store.recall_choices("o1") == {}
    await store.remember_choices("o1", {"1": {"item_code": "A"}}, 5)
    assert await store.recall_choices("o1") == {"1": {"item_code": "A"}}
    await store.cache_token("T1", 5)
    await store.drop_token("T0")  # an older token: keep the current one
    assert await store.cached_token() == "T1"
    await store.drop_token("T1")
    assert await store.cached_token() is None
    assert await store.lock("token", 5) and not await store.lock("token", 5)
    await store.unlock("token")
    assert await store.lock("token", 5)


async def test_memory_store_entries_expire():
    clock = FakeClock()
    store = MemoryStore(clock=clock)
    assert await store.claim("m1", 10)
    clock.now += 11
    assert await store.claim("m1", 10)
    await store.cache_token("T1", 60)
    clock.now += 61
    assert await store.cached_token() is None


async def test_access_token_is_cached_until_shortly_before_expiry(wechat_api):
    clock = FakeClock()
    wechat_api.expires_in = 7200
    config = WeChatConfig.from_credentials(credentials("plaintext", api_base_url=wechat_api.url))
    client = CustomerServiceClient(config, MemoryStore(clock=clock))
    try:
        assert await client.access_token() == "TOKEN1"
        clock.now += 7200 - 301
        assert await client.access_token() == "TOKEN1"
        clock.now += 2  # within the last 5 minutes of its life: fetch a new one
        assert await client.access_token() == "TOKEN2"
        await client.send_text("oUser", "你好")
        assert [s["token"] for s in wechat_api.delivered] == ["TOKEN2"]
    finally:
        await client.close()
