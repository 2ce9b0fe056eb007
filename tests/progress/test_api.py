"""Every path of the progress API, bad input, and the "unknown = unverified" rule."""
from __future__ import annotations

import logging

import aiohttp
import pytest
import yaml
from sqlalchemy.exc import OperationalError

from progress_service import api
from progress_api.numbers import make_number
from progress_service.repository import ROOT
from tests.progress.conftest import REFERENCE, pick, wrong_factor

SPEC = yaml.safe_load((ROOT / "docs" / "progress-api.yaml").read_text(encoding="utf-8"))
UNKNOWN = make_number(REFERENCE.date(), 999_998)


async def get(server, path: str, factor: str | None = None, **kwargs) -> tuple[int, bytes, dict]:
    headers = {api.FACTOR_HEADER: factor} if factor is not None else {}
    headers.update(kwargs.pop("headers", {}))
    async with aiohttp.ClientSession() as session:
        async with session.get(server.make_url(path), headers=headers, **kwargs) as response:
            return response.status, await response.read(), dict(response.headers)


def error_code(body: bytes) -> str:
    return yaml.safe_load(body)["error"]["code"]


async def test_health(service) -> None:
    status, body, _ = await get(service, "/health")
    assert status == 200 and b'"ok"' in body


async def test_lookup_returns_the_documented_masked_application(service, rows) -> None:
    row = pick(rows, stage="review", overdue=True)
    status, body, headers = await get(service, f"/v1/applications/{row.number}", row.applicant_phone[-4:])
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    data = yaml.safe_load(body)
    schema = SPEC["components"]["schemas"]["Application"]
    assert set(schema["required"]) <= set(data)
    assert data["number"] == row.number and data["item"]["code"] == row.item_code
    assert data["stage"] == "review" and data["stage_name"] == "审查" and data["status"] == "in_progress"
    assert [s["name"] for s in data["timeline"]] == ["申请", "受理", "审查", "决定", "制证/送达"]
    assert [s["status"] for s in data["timeline"]] == ["done", "done", "current", "pending", "pending"]
    assert data["timeline"][2]["at"].endswith("+08:00") and data["timeline"][3]["at"] is None
    assert data["overdue"] is True and data["overdue_days"] == (REFERENCE.date() - row.promised_date).days > 0
    assert data["handling_body"] == {"name": row.body_name, "phone": row.body_phone, "region": row.region}
    assert data["applicant"] == {"name": row.applicant_name[0] + "*" * (len(row.applicant_name) - 1),
                                 "phone": f"{row.applicant_phone[:3]}****{row.applicant_phone[-4:]}"}
    assert row.applicant_name.encode() not in body and row.applicant_phone.encode() not in body


async def test_submitted_has_no_promised_date_and_delivered_is_completed(service, rows) -> None:
    submitted = pick(rows, stage="submitted")
    _, body, _ = await get(service, f"/v1/applications/{submitted.number}", submitted.applicant_phone[-4:])
    data = yaml.safe_load(body)
    assert data["promised_date"] is None and data["overdue"] is False and data["stage_name"] == "申请"
    late = pick(rows, stage="delivery", overdue=True)
    _, body, _ = await get(service, f"/v1/applications/{late.number}", late.applicant_phone[-4:])
    data = yaml.safe_load(body)
    assert data["status"] == "completed" and all(s["status"] == "done" for s in data["timeline"])
    assert data["overdue"] is True and data["completed_at"] is not None
    on_time = pick(rows, stage="delivery", overdue=False)
    _, body, _ = await get(service, f"/v1/applications/{on_time.number}", on_time.applicant_phone[-4:])
    assert yaml.safe_load(body)["overdue"] is False


async def test_unknown_number_and_wrong_factor_are_byte_identical(service, rows) -> None:
    row = pick(rows, stage="decision")
    wrong = await get(service, f"/v1/applications/{row.number}", wrong_factor(row))
    unknown = await get(service, f"/v1/applications/{UNKNOWN}", row.applicant_phone[-4:])
    assert wrong[0] == unknown[0] == 404
    assert wrong[1] == unknown[1]
    assert error_code(wrong[1]) == "not_found"
    drop = {"Date"}
    assert {k: v for k, v in wrong[2].items() if k not in drop} == {k: v for k, v in unknown[2].items() if k not in drop}


@pytest.mark.parametrize("number, factor", [
    ("CQ20260514000123", "1234"),        # too short
    ("CQ202605140001234", "1234"),       # wrong check digit
    ("cq202605140001233", "1234"),       # the API takes normalised numbers only
    ("CQ202602300000016", "1234"),       # no such date
    ("CQ202605140001233", "123"),        # factor too short
    ("CQ202605140001233", "12a4"),       # factor not digits
    ("CQ202605140001233", None),         # factor missing
])
async def test_malformed_lookup_is_400(service, number: str, factor: str | None) -> None:
    status, body, _ = await get(service, f"/v1/applications/{number}", factor)
    assert status == 400 and error_code(body) == "bad_request"


async def test_identity_lists_its_applications_newest_first(service, rows) -> None:
    owned = [r for r in rows if (r.identity_channel, r.identity_subject) == ("app", "demo-app-user-001")]
    status, body, _ = await get(service, "/v1/applications", params={"channel": "app", "subject": "demo-app-user-001"})
    apps = yaml.safe_load(body)["applications"]
    assert status == 200 and {a["number"] for a in apps} == {r.number for r in owned}
    assert [a["submitted_at"] for a in apps] == sorted((a["submitted_at"] for a in apps), reverse=True)
    assert all("*" in a["applicant"]["phone"] and "*" in a["applicant"]["name"] for a in apps)


async def test_identity_without_applications_is_an_empty_list(service) -> None:
    status, body, _ = await get(service, "/v1/applications", params={"channel": "wechat", "subject": "nobody"})
    assert status == 200 and yaml.safe_load(body) == {"applications": []}


@pytest.mark.parametrize("params", [{}, {"channel": "app"}, {"subject": "u1"}, {"channel": "sms", "subject": "u1"},
                                    {"channel": "app", "subject": "a" * 101}, {"channel": "app", "subject": "张三"},
                                    {"channel": "app", "subject": ""}])
async def test_malformed_identity_query_is_400(service, params) -> None:
    status, body, _ = await get(service, "/v1/applications", params=params)
    assert status == 400 and error_code(body) == "bad_request"


async def test_unknown_path_and_method_are_typed(service) -> None:
    status, body, _ = await get(service, "/v2/whatever")
    assert status == 404 and error_code(body) == "not_found"
    async with aiohttp.ClientSession() as session:
        async with session.post(service.make_url("/v1/applications"), json={}) as response:
            assert response.status == 405 and error_code(await response.read()) == "bad_request"


async def test_service_token(make_service, rows) -> None:
    server = await make_service(token="s3cret")
    row = pick(rows, stage="accepted")
    path = f"/v1/applications/{row.number}"
    assert (await get(server, path, row.applicant_phone[-4:]))[0] == 401
    wrong = await get(server, path, row.applicant_phone[-4:], headers={"Authorization": "Bearer nope"})
    assert wrong[0] == 401 and error_code(wrong[1]) == "unauthorized"
    ok = await get(server, path, row.applicant_phone[-4:], headers={"Authorization": "Bearer s3cret"})
    assert ok[0] == 200
    assert (await get(server, "/health"))[0] == 200  # health stays open for process managers


async def test_failed_verifications_are_limited_per_number_known_or_not(make_service, rows) -> None:
    server = await make_service(failed_verifications_per_hour=3)
    row = pick(rows, stage="accepted")
    for number in (row.number, UNKNOWN):
        for _ in range(3):
            assert (await get(server, f"/v1/applications/{number}", wrong_factor(row)))[0] == 404
        status, body, headers = await get(server, f"/v1/applications/{number}", row.applicant_phone[-4:])
        assert status == 429 and error_code(body) == "rate_limited" and int(headers["Retry-After"]) > 0
    other = pick(rows, stage="review")  # other numbers are unaffected
    assert (await get(server, f"/v1/applications/{other.number}", other.applicant_phone[-4:]))[0] == 200


async def test_requests_are_limited_per_client(make_service) -> None:
    server = await make_service(requests_per_minute=2)
    params = {"channel": "app", "subject": "demo-app-user-001"}
    assert [(await get(server, "/v1/applications", params=params))[0] for _ in range(3)] == [200, 200, 429]


async def test_the_assistant_is_limited_per_end_user_not_as_one_client(make_service) -> None:
    """All citizens reach the service through one action server: one of them hitting the
    limit must not block the others (issue #16, finding 5)."""
    server = await make_service(requests_per_minute=2)
    params = {"channel": "app", "subject": "demo-app-user-001"}

    async def as_user(user: str) -> int:
        return (await get(server, "/v1/applications", params=params, headers={api.END_USER_HEADER: user}))[0]

    assert [await as_user("citizen-aaaa") for _ in range(3)] == [200, 200, 429]
    assert await as_user("citizen-bbbb") == 200
    assert await as_user("x") == 400  # not an opaque id


async def test_broken_database_is_503(service, monkeypatch) -> None:
    def fail(*_args):
        raise OperationalError("select", {}, Exception("database is locked"))

    monkeypatch.setattr(service.app[api.REPOSITORY], "get", fail)
    monkeypatch.setattr(service.app[api.REPOSITORY], "ping", fail)
    status, body, _ = await get(service, f"/v1/applications/{UNKNOWN}", "1234")
    assert status == 503 and error_code(body) == "unavailable"
    assert (await get(service, "/health"))[0] == 503


async def test_logs_hold_no_numbers_factors_or_names(service, rows, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    row = pick(rows, stage="decision")
    await get(service, f"/v1/applications/{row.number}", row.applicant_phone[-4:])
    await get(service, f"/v1/applications/{row.number}", wrong_factor(row))
    await get(service, "/v1/applications", params={"channel": "app", "subject": "demo-app-user-002"})
    assert caplog.records  # the access log did write
    assert row.number not in caplog.text and "demo-app-user-002" not in caplog.text
    assert row.applicant_name not in caplog.text
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("progress_service"))
    assert row.applicant_phone[-4:] not in ours
