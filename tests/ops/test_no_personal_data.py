"""Personal data sent through every channel ends up in no log, no tracker row, no event.

The suite's stack (tests/ops/stack.py: progress service, action server, Rasa with the
REST, WeChat, app and ops channels, DEBUG logs, so Rasa logs user texts). Each
channel gets its own ID number, phone, name and application number; the REST and app
conversations also run the progress form with a real number, which must survive between
turns (sealed in the tracker store) and still never be stored in clear.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import sqlite3
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from tests.ops.stack import APP_SECRET, RASA_PORT, WECHAT_TOKEN

PERSONS = {
    "rest": {"name": "欧阳明远", "id": "50010119850615002X", "phone": "13987654321"},
    "wechat": {"name": "上官婉清", "id": "500103199202028765", "phone": "15023456789"},
    "app": {"name": "司马建国", "id": "500105197707073126", "phone": "18623456789"},
}


def _texts(person: dict[str, str], number: str) -> list[str]:
    return [f"你好，我叫{person['name']}，身份证号{person['id']}",
            f"我的手机是{person['phone']}，办件编号{number}",
            f"姓名：{person['name']}，电话 {person['phone']}"]


def _post(path: str, body: bytes, headers: dict[str, str], query: str = "") -> tuple[int, str]:
    request = urllib.request.Request(f"http://127.0.0.1:{RASA_PORT}{path}{query}", data=body, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def rest(sender: str, text: str) -> str:
    status, body = _post("/webhooks/rest/webhook", json.dumps({"sender": sender, "message": text}).encode(),
                         {"Content-Type": "application/json"})
    assert status == 200, body
    return "\n".join(message.get("text", "") for message in json.loads(body))


def wechat(openid: str, text: str) -> str:
    timestamp, nonce = str(int(time.time())), uuid.uuid4().hex[:10]
    signature = hashlib.sha1("".join(sorted([WECHAT_TOKEN, timestamp, nonce])).encode()).hexdigest()
    xml = (f"<xml><ToUserName><![CDATA[gh_leaktest]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
           f"<CreateTime>{timestamp}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
           f"<Content><![CDATA[{text}]]></Content><MsgId>{uuid.uuid4().int % 10**18}</MsgId></xml>")
    query = f"?signature={signature}&timestamp={timestamp}&nonce={nonce}&openid={openid}"
    status, body = _post("/webhooks/wechat/webhook", xml.encode(), {"Content-Type": "text/xml"}, query)
    assert status == 200, body
    return body


def app(conversation: str, text: str) -> str:
    body = json.dumps({"conversation_id": conversation, "message": text}, ensure_ascii=False).encode()
    timestamp, nonce = str(int(time.time())), uuid.uuid4().hex
    signed = hmac.new(APP_SECRET.encode(), timestamp.encode() + b"\n" + nonce.encode() + b"\n" + body,
                      hashlib.sha256).hexdigest()
    status, answer = _post("/webhooks/app/webhook", body, {
        "Content-Type": "application/json", "X-Yuban-Timestamp": timestamp, "X-Yuban-Nonce": nonce,
        "X-Yuban-Signature": signed})
    assert status == 200, answer
    return answer


def _forms(value: str) -> set[str]:
    """A value as it could appear in a file: as is, lower case (Rasa's normaliser), only its
    digits, JSON-escaped and as the repr of its UTF-8 bytes (names)."""
    escaped = json.dumps(value)[1:-1]
    forms = {value, value.lower(), escaped, escaped.replace("\\", "\\\\"), str(value.encode())[2:-1]}
    digits = "".join(ch for ch in value if ch.isdigit())
    if len(digits) >= 11:
        forms.add(digits)
    return forms


def _table_texts(path: Path) -> list[str]:
    texts = []
    with sqlite3.connect(path) as connection:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in tables:
            for row in connection.execute(f'SELECT * FROM "{table}"'):
                for cell in row:
                    if isinstance(cell, str):
                        texts.append(cell)
                        try:
                            texts.append(json.dumps(json.loads(cell), ensure_ascii=False))
                        except ValueError:
                            pass
    return texts


@pytest.fixture(scope="module")
def stack(ops_stack):
    return ops_stack


@pytest.fixture(scope="module")
def conversations(stack):
    """Talk through the three channels; returns the secrets used and the answers."""
    examples = stack["examples"]
    numbers = {"rest": examples[0], "wechat": examples[1], "app": examples[2]}
    answers: dict[str, list[str]] = {"rest": [], "wechat": [], "app": []}
    sender = f"leak-rest-{uuid.uuid4().hex[:6]}"
    for text in _texts(PERSONS["rest"], numbers["rest"][0]):
        answers["rest"].append(rest(sender, text))
    # The progress form across three turns: the number must be usable in the next turn.
    answers["rest"].append(rest(sender, "查一下我的办件进度"))
    answers["rest"].append(rest(sender, numbers["rest"][0]))
    answers["rest"].append(rest(sender, numbers["rest"][1]))
    openid = f"oLeak{uuid.uuid4().hex[:20]}"
    for text in _texts(PERSONS["wechat"], numbers["wechat"][0]):
        answers["wechat"].append(wechat(openid, text))
    conversation = f"leak-app-{uuid.uuid4().hex[:6]}"
    for text in _texts(PERSONS["app"], numbers["app"][0]) + ["查办件进度", numbers["app"][0], numbers["app"][1]]:
        answers["app"].append(app(conversation, text))
    secrets = {channel: {**PERSONS[channel], "number": numbers[channel][0]} for channel in PERSONS}
    return {"secrets": secrets, "answers": answers, "rest_sender": sender,
            "conversation_ids": [sender, openid, conversation]}


def test_every_channel_answered_and_the_progress_form_works_across_turns(conversations):
    answers = conversations["answers"]
    assert all(answers["rest"]) and all("<Content>" in answer for answer in answers["wechat"])
    assert all(json.loads(answer).get("messages") for answer in answers["app"])
    # The application number given in one turn was used in the next (sealed in between).
    assert "【办件进度】" in answers["rest"][-1]
    assert "progress" in answers["app"][-1]


def test_no_personal_data_in_any_log(stack, conversations):
    log_dir = stack["folder"] / "log"
    files = sorted(log_dir.glob("*.log"))
    assert {path.name.split("-")[0] for path in files} >= {"rasa", "actions", "progress"}
    content = "\n".join(path.read_text(encoding="utf-8", errors="replace") for path in files)
    # The conversations were logged (Rasa at DEBUG logs the user texts), masked:
    assert "[手机号]" in content and "[身份证号]" in content
    for channel, secrets in conversations["secrets"].items():
        for kind, value in secrets.items():
            for form in _forms(value):
                assert form not in content, f"{channel} {kind} found in the logs"
    # Conversation ids are logged as hashes only (the "sender" field and inside messages).
    for conversation_id in conversations["conversation_ids"]:
        assert conversation_id not in content


def test_no_personal_data_in_tracker_store_or_event_broker(stack, conversations):
    for name in ("YUBAN_TRACKER_DB", "YUBAN_EVENTS_DB"):
        texts = _table_texts(Path(stack["env"][name]))
        joined = "\n".join(texts)
        assert "[办件编号]" in joined and "[姓名]" in joined, f"{name}: the conversations were not stored"
        for channel, secrets in conversations["secrets"].items():
            for kind, value in secrets.items():
                for form in _forms(value):
                    assert form not in joined, f"{channel} {kind} found in {name}"


def test_the_application_number_slot_is_stored_sealed(stack, conversations):
    with sqlite3.connect(stack["env"]["YUBAN_TRACKER_DB"]) as connection:
        rows = [json.loads(data) for (data,) in connection.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'slot'", (conversations["rest_sender"],))]
    values = [row["value"] for row in rows if row.get("name") == "application_number" and row.get("value")]
    assert values and all(value.startswith("sealed:v1:") for value in values)


def test_every_process_logs_json_lines_once_serving(stack, conversations):
    fields = {"time", "level", "service", "logger", "message"}
    markers = {"rasa": "Rasa server is up and running", "actions": "Goin' Fast", "progress": '{"time"'}
    for name, marker in markers.items():
        [path] = (stack["folder"] / "log").glob(f"{name}-*.log")
        lines = path.read_text(encoding="utf-8").splitlines()
        # While a process starts, Python and jieba may print plain text (import warnings,
        # dictionary loading); once it serves, every line is one JSON object.
        start = next(i for i, line in enumerate(lines) if marker in line)
        served = [json.loads(line) for line in lines[start:]]
        assert len(served) > 3 and all(fields <= set(entry) and entry["service"] == name for entry in served)
