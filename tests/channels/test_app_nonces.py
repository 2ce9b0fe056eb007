"""Replay protection: a nonce is accepted once while a request carrying it could still
pass the timestamp check, in one process (memory) or across several (Redis)."""
from __future__ import annotations

import uuid

from channels.app.nonces import MemoryNonces, RedisNonces
from tests.channels.wechat_fixtures import delete_keys


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


async def test_memory_nonces_expire_and_are_purged():
    clock = Clock()
    nonces = MemoryNonces(clock=clock, purge_every=4)
    assert await nonces.first_use("n-1", 600)
    assert not await nonces.first_use("n-1", 600)
    clock.now += 599
    assert not await nonces.first_use("n-1", 600)
    clock.now += 2
    assert await nonces.first_use("n-1", 600)  # expired: a request this old fails the timestamp check anyway
    for index in range(3):
        await nonces.first_use(f"other-{index}", 1)
    clock.now += 5
    for index in range(4):
        await nonces.first_use(f"later-{index}", 600)
    assert len(nonces) <= 5  # the expired ones were purged


async def test_redis_nonces_are_shared_by_processes(redis_url):
    prefix = f"yuban:test:app:{uuid.uuid4().hex[:8]}:"
    first, second = RedisNonces(redis_url, prefix=prefix), RedisNonces(redis_url, prefix=prefix)
    try:
        assert await first.first_use("shared-nonce-0001", 600)
        assert not await second.first_use("shared-nonce-0001", 600)
        assert await second.first_use("shared-nonce-0002", 600)
    finally:
        await first.close()
        await second.close()
        delete_keys(redis_url, prefix)


async def test_the_channel_uses_redis_when_configured(start_app, redis_url):
    from tests.channels.app_support import body_of, signed_headers

    first, second = await start_app(redis_url=redis_url), await start_app(redis_url=redis_url)
    body = body_of()
    headers = signed_headers(body)
    assert (await first.raw(body, headers)).status == 200
    replay = await second.raw(body, headers)
    assert (replay.status, replay.code) == (401, "replayed_nonce")
    assert second.bot.calls == []


async def test_an_unreachable_redis_is_a_503_and_nothing_reaches_the_bot(start_app):
    app = await start_app(redis_url="redis://127.0.0.1:1/0")
    reply = await app.signed()
    assert (reply.status, reply.code) == (503, "unavailable") and reply.headers.get("Retry-After") == "5"
    assert app.bot.calls == []
