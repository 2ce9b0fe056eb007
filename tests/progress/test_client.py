"""The action server's progress client against the real local service and failing servers."""
from __future__ import annotations

import asyncio
import json
import logging
import socket
import time

import pytest
from aiohttp import web

from actions import progress_client
from actions.progress_client import (
    Application, CircuitBreaker, InvalidQuery, MalformedResponse, NotFoundOrUnverified, PlatformUnavailable,
    ProgressClient, ProgressError, RateLimited,
)
from progress_api.numbers import make_number
from tests.progress.conftest import REFERENCE, pick, wrong_factor

NUMBER = make_number(REFERENCE.date(), 4321)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def clients():
    """Clients made in a test are closed after it."""
    made: list[ProgressClient] = []

    def factory(server, **kwargs) -> ProgressClient:
        url = str(server.make_url("")) if not isinstance(server, str) else server
        client = ProgressClient(url, **kwargs)
        made.append(client)
        return client

    yield factory
    for client in made:
        await client.close()


def counting(response_factory):
    """A handler that counts its calls and answers with `response_factory()`."""
    async def handler(_request: web.Request) -> web.StreamResponse:
        handler.calls += 1
        result = response_factory()
        return await result if asyncio.iscoroutine(result) else result
    handler.calls = 0
    return handler


async def test_lookup_happy_path(service, rows, clients) -> None:
    row = pick(rows, stage="decision", overdue=True)
    app = await clients(service).lookup(row.number.lower(), row.applicant_phone[-4:])
    assert isinstance(app, Application)
    assert app.number == row.number and app.item_code == row.item_code and app.body_name == row.body_name
    assert app.stage == "decision" and app.stage_name == "决定" and not app.completed
    assert [s.name for s in app.timeline] == ["申请", "受理", "审查", "决定", "制证/送达"]
    assert app.timeline[3].status == "current" and app.timeline[4].at is None
    assert app.overdue and app.overdue_days > 0 and app.promised_date == row.promised_date
    assert app.applicant_phone == f"{row.applicant_phone[:3]}****{row.applicant_phone[-4:]}"
    assert app.applicant_name.startswith(row.applicant_name[0]) and app.applicant_name.endswith("*")
    assert row.number not in repr(app) and app.applicant_phone not in repr(app)


async def test_not_found_and_wrong_factor(service, rows, clients) -> None:
    client = clients(service)
    row = pick(rows, stage="accepted")
    with pytest.raises(NotFoundOrUnverified):
        await client.lookup(row.number, wrong_factor(row))
    with pytest.raises(NotFoundOrUnverified):
        await client.lookup(NUMBER, row.applicant_phone[-4:])
    assert client.breaker.state == "closed"


async def test_invalid_input_is_refused_before_any_request(fake_platform, clients) -> None:
    handler = counting(lambda: web.json_response({}))
    client = clients(await fake_platform(handler))
    for number, factor in (("CQ202605140001234", "1234"), (NUMBER, "12"), (NUMBER, "abcd")):
        with pytest.raises(InvalidQuery):
            await client.lookup(number, factor)
    assert handler.calls == 0


async def test_applications_of_an_identity(service, rows, clients) -> None:
    apps = await clients(service).applications_of("wechat", "demo-wechat-openid-001")
    owned = {r.number for r in rows if r.identity_subject == "demo-wechat-openid-001"}
    assert {a.number for a in apps} == owned and len(apps) >= 2
    with pytest.raises(InvalidQuery):
        await clients(service).applications_of("sms", "x")


async def test_rate_limited(make_service, rows, clients) -> None:
    client = clients(await make_service(failed_verifications_per_hour=1))
    row = pick(rows, stage="review")
    with pytest.raises(NotFoundOrUnverified):
        await client.lookup(row.number, wrong_factor(row))
    with pytest.raises(RateLimited) as caught:
        await client.lookup(row.number, row.applicant_phone[-4:])
    assert caught.value.retry_after and caught.value.retry_after > 0


async def test_service_token_is_sent(make_service, rows, clients) -> None:
    server = await make_service(token="s3cret")
    row = pick(rows, stage="accepted")
    assert (await clients(server, token="s3cret").lookup(row.number, row.applicant_phone[-4:])).number == row.number
    with pytest.raises(PlatformUnavailable) as caught:
        await clients(server, token="wrong").lookup(row.number, row.applicant_phone[-4:])
    assert caught.value.reason == "unauthorized"


async def test_slow_platform_gives_up_within_three_seconds(fake_platform, clients) -> None:
    async def slow() -> web.Response:
        await asyncio.sleep(10)
        return web.json_response({})

    handler = counting(slow)
    client = clients(await fake_platform(handler))  # defaults: 2 s per attempt, 2.5 s budget
    started = time.monotonic()
    with pytest.raises(PlatformUnavailable) as caught:
        await client.lookup(NUMBER, "1234")
    assert time.monotonic() - started < 3.0
    assert caught.value.reason == "timeout" and handler.calls == 2  # retried once within the budget


async def test_server_error_is_retried_then_unavailable(fake_platform, clients) -> None:
    handler = counting(lambda: web.json_response({"error": {"code": "unavailable", "message": "x"}}, status=503))
    client = clients(await fake_platform(handler))
    with pytest.raises(PlatformUnavailable) as caught:
        await client.lookup(NUMBER, "1234")
    assert handler.calls == 3 and caught.value.reason == "http_503"


async def test_500_then_recovery_is_transparent(service, rows, fake_platform, clients) -> None:
    row = pick(rows, stage="review")
    answers = iter([web.Response(status=500, text="boom")])

    async def flaky(request: web.Request) -> web.StreamResponse:
        try:
            return next(answers)
        except StopIteration:  # then behave like the real service
            number = request.path.rsplit("/", 1)[-1]
            upstream = await clients(service).lookup(number, request.headers["X-Verification-Factor"])
            return web.json_response(_as_json(upstream))

    app = await clients(await fake_platform(flaky)).lookup(row.number, row.applicant_phone[-4:])
    assert app.number == row.number


def _as_json(app: Application) -> dict:
    """Just enough of the documented shape to be re-read by the client."""
    return {
        "number": app.number, "item": {"code": app.item_code, "name": app.item_name},
        "handling_body": {"name": app.body_name, "phone": app.body_phone, "region": app.region},
        "supervision_phone": app.supervision_phone, "stage": app.stage, "stage_name": app.stage_name,
        "status": "completed" if app.completed else "in_progress",
        "timeline": [{"stage": s.stage, "name": s.name, "status": s.status,
                      "at": s.at.isoformat() + "+08:00" if s.at else None} for s in app.timeline],
        "submitted_at": app.submitted_at.isoformat() + "+08:00", "promised_limit": app.promised_limit,
        "promised_date": app.promised_date.isoformat() if app.promised_date else None,
        "completed_at": None, "overdue": app.overdue, "overdue_days": app.overdue_days,
        "applicant": {"name": app.applicant_name, "phone": app.applicant_phone},
    }


@pytest.mark.parametrize("response", [
    lambda: web.Response(text="<html>proxy error</html>", content_type="text/html"),
    lambda: web.Response(text='{"number": ', content_type="application/json"),
    lambda: web.json_response({"number": NUMBER}),
    lambda: web.json_response([1, 2, 3]),
    lambda: web.json_response({"detail": "not found"}, status=404),  # 404 without the typed error body
])
async def test_malformed_responses(fake_platform, clients, response) -> None:
    handler = counting(response)
    with pytest.raises(MalformedResponse):
        await clients(await fake_platform(handler)).lookup(NUMBER, "1234")
    assert handler.calls == 1  # not retried


async def test_another_application_is_never_shown(service, rows, fake_platform, clients) -> None:
    other = pick(rows, stage="accepted")
    real = await clients(service).lookup(other.number, other.applicant_phone[-4:])
    client = clients(await fake_platform(counting(lambda: web.json_response(_as_json(real)))))
    with pytest.raises(MalformedResponse) as caught:
        await client.lookup(NUMBER, "1234")
    assert caught.value.reason == "wrong_application"


async def test_unmasked_data_from_a_platform_is_masked_again(service, rows, fake_platform, clients) -> None:
    row = pick(rows, stage="review")
    data = _as_json(await clients(service).lookup(row.number, row.applicant_phone[-4:]))
    data["applicant"] = {"name": row.applicant_name, "phone": row.applicant_phone}
    app = await clients(await fake_platform(counting(lambda: web.json_response(data)))).lookup(
        row.number, row.applicant_phone[-4:])
    assert app.applicant_phone == f"{row.applicant_phone[:3]}****{row.applicant_phone[-4:]}"
    assert app.applicant_name == row.applicant_name[0] + "*" * (len(row.applicant_name) - 1)


def _refused_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"  # nothing listens there any more


async def test_connection_refused_is_unavailable(clients) -> None:
    started = time.monotonic()
    with pytest.raises(PlatformUnavailable) as caught:
        await clients(_refused_url()).lookup(NUMBER, "1234")
    assert caught.value.reason == "connection" and time.monotonic() - started < 3.0


async def test_breaker_opens_fails_fast_and_half_opens(fake_platform, clients) -> None:
    clock = FakeClock()
    healthy = {"now": False}

    def answer() -> web.Response:
        if healthy["now"]:
            return web.json_response({"applications": []})
        return web.Response(status=500)

    handler = counting(answer)
    client = clients(await fake_platform(handler), breaker=CircuitBreaker(clock=clock), backoff=0.01)
    for _ in range(5):
        with pytest.raises(PlatformUnavailable):
            await client.applications_of("app", "u1")
    assert client.breaker.state == "open" and handler.calls == 15  # 5 calls x 3 attempts

    started = time.monotonic()
    with pytest.raises(PlatformUnavailable) as caught:
        await client.applications_of("app", "u1")
    assert caught.value.reason == "circuit_open" and handler.calls == 15 and time.monotonic() - started < 0.05

    clock.now += 29.9
    with pytest.raises(PlatformUnavailable):
        await client.applications_of("app", "u1")
    assert handler.calls == 15

    clock.now += 0.2  # half-open: one probe goes through; it fails, so the breaker re-opens
    assert client.breaker.state == "half_open"
    with pytest.raises(PlatformUnavailable):
        await client.applications_of("app", "u1")
    assert handler.calls == 18 and client.breaker.state == "open"

    clock.now += 30
    healthy["now"] = True  # the next probe succeeds and closes the breaker
    assert await client.applications_of("app", "u1") == []
    assert client.breaker.state == "closed"


def test_breaker_lets_one_probe_at_a_time() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(threshold=2, reset_after=30, clock=clock)
    breaker.failure()
    assert breaker.allow()
    breaker.failure()
    assert not breaker.allow()
    clock.now += 30
    assert breaker.allow() and not breaker.allow()  # the second caller fails fast during the probe
    breaker.release()  # the probe was cancelled
    assert breaker.allow()
    breaker.success()
    assert breaker.state == "closed" and breaker.allow()


async def test_not_found_and_rate_limits_do_not_trip_the_breaker(fake_platform, clients) -> None:
    body = json.dumps({"error": {"code": "not_found", "message": "x"}})
    client = clients(await fake_platform(counting(lambda: web.Response(status=404, text=body))))
    for _ in range(8):
        with pytest.raises(NotFoundOrUnverified):
            await client.lookup(NUMBER, "1234")
    assert client.breaker.state == "closed"


async def test_one_session_for_the_life_of_the_client(service, rows, clients) -> None:
    client = clients(service)
    row = pick(rows, stage="accepted")
    await client.lookup(row.number, row.applicant_phone[-4:])
    session = client._session
    await client.applications_of("app", "demo-app-user-001")
    assert client._session is session and not session.closed
    await client.close()
    assert session.closed


async def test_logs_hold_error_types_only(service, rows, fake_platform, clients, caplog) -> None:
    caplog.set_level(logging.DEBUG, logger="actions.progress_client")
    row = pick(rows, stage="review")
    for client, factor in ((clients(service), wrong_factor(row)),
                           (clients(await fake_platform(counting(lambda: web.Response(status=500)))), "1234"),
                           (clients(_refused_url()), "1234")):
        with pytest.raises(ProgressError) as caught:
            await client.lookup(row.number, factor)
        assert caught.value.__cause__ is None and caught.value.__suppress_context__
        assert row.number not in str(caught.value)
    text = "\n".join(r.getMessage() for r in caplog.records if r.name == "actions.progress_client")
    assert "NotFoundOrUnverified" in text and "PlatformUnavailable" in text
    assert row.number not in text and row.applicant_phone[-4:] not in text and "1234" not in text


async def test_times_in_other_offsets_become_chongqing_time(service, rows, fake_platform, clients) -> None:
    row = pick(rows, stage="review")
    data = _as_json(await clients(service).lookup(row.number, row.applicant_phone[-4:]))
    data["submitted_at"] = "2026-05-12T02:00:00Z"
    app = await clients(await fake_platform(counting(lambda: web.json_response(data)))).lookup(
        row.number, row.applicant_phone[-4:])
    assert app.submitted_at.isoformat() == "2026-05-12T10:00:00"


async def test_default_client_is_lazy_and_closed_on_shutdown(monkeypatch, service, rows) -> None:
    monkeypatch.setenv("YUBAN_PROGRESS_URL", str(service.make_url("")))
    monkeypatch.setattr(progress_client, "_default", None)
    client = progress_client.default_progress_client()
    assert progress_client.default_progress_client() is client and client._session is None
    row = pick(rows, stage="accepted")
    await client.lookup(row.number, row.applicant_phone[-4:])
    session = client._session
    await progress_client.close_default_client()
    assert session.closed and progress_client._default is None


def test_from_env(monkeypatch) -> None:
    monkeypatch.setenv("YUBAN_PROGRESS_URL", "http://platform.example:9000/")
    monkeypatch.setenv("YUBAN_PROGRESS_TIMEOUT", "1.5")
    client = ProgressClient.from_env()
    assert client.base_url == "http://platform.example:9000" and client.timeout == 1.5
    monkeypatch.setenv("YUBAN_PROGRESS_TIMEOUT", "soon")
    with pytest.raises(ValueError, match="YUBAN_PROGRESS_TIMEOUT"):
        ProgressClient.from_env()
