"""JSON log lines: one object per record, personal data masked in message, arguments and tracebacks."""
from __future__ import annotations

import io
import json
import logging

import pytest

from monitoring import logs


@pytest.fixture
def captured():
    stream = io.StringIO()
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    logs.configure("test", "DEBUG", stream=stream)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in saved[0]:
        root.addHandler(handler)
    root.setLevel(saved[1])


def test_a_record_is_one_json_object_with_the_agreed_fields(captured):
    logging.getLogger("yuban.test").info("user %s said %s", "u1", "我叫张三，电话13812345678")
    (entry,) = captured()
    assert entry["service"] == "test" and entry["level"] == "INFO" and entry["logger"] == "yuban.test"
    assert entry["message"] == "user u1 said 我叫[姓名]，电话[手机号]"
    assert entry["time"]


def test_tracebacks_and_escaped_text_are_masked(captured):
    try:
        raise ValueError("办件 CQ202605140001233 身份证 50010119900101123X")
    except ValueError:
        logging.getLogger("yuban.test").exception("failed for %r", "我叫李四".encode())
    logging.getLogger("yuban.test").debug('{"text": "\\u6211\\u53eb\\u674e\\u56db 13812345678"}')
    first, second = captured()
    assert "CQ202605140001233" not in first["exc"] and "[办件编号]" in first["exc"] and "[身份证号]" in first["exc"]
    assert "李四" not in first["message"] and "[姓名]" in first["message"]
    assert second["message"] == '{"text": "我叫[姓名] [手机号]"}'


def test_sender_ids_are_hashed_and_request_ids_kept(captured):
    token = logs.sender_id.set("oWechatOpenId123")
    request = logs.request_id.set("abc123")
    try:
        logging.getLogger("yuban.test").warning("hello")
    finally:
        logs.sender_id.reset(token)
        logs.request_id.reset(request)
    (entry,) = captured()
    assert entry["request"] == "abc123"
    assert entry["sender"] == logs.hash_id("oWechatOpenId123") and "oWechatOpenId123" not in json.dumps(entry)


def test_configure_replaces_other_handlers(captured):
    sanic_access = logging.getLogger("sanic.access")
    sanic_access.addHandler(logging.StreamHandler(io.StringIO()))
    logs.configure("test", "DEBUG", stream=io.StringIO())
    assert not sanic_access.handlers and sanic_access.propagate
    assert [handler.get_name() for handler in logging.getLogger().handlers] == ["yuban-json", "yuban-error-counter"]


def test_error_records_are_counted_for_metrics(captured):
    from monitoring.metrics import LOG_ERRORS

    counter = LOG_ERRORS.labels("test", "rasa.core")
    before = counter._value.get()
    logging.getLogger("rasa.core.processor").error("Encountered an exception while running action")
    logging.getLogger("rasa.core.processor").warning("only a warning")
    assert counter._value.get() == before + 1


def test_conversation_ids_mentioned_in_messages_are_replaced_by_their_hash(captured):
    logs.set_conversation("oWechatOpenId123", "app-conv-42", None, "x")
    try:
        logging.getLogger("rasa.core.lock_store").debug("Issuing ticket for conversation 'oWechatOpenId123'.")
        logging.getLogger("yuban.test").info("app-conversation:app-conv-42 said hi")
    finally:
        logs.set_conversation(None)
    first, second = captured()
    assert first["message"] == f"Issuing ticket for conversation '#{logs.hash_id('oWechatOpenId123')}'."
    assert second["message"] == f"app-conversation:#{logs.hash_id('app-conv-42')} said hi"


def test_conversation_ids_named_by_rasa_are_hashed_without_context(captured):
    logging.getLogger("rasa.core.lock_store").debug("Acquired lock for conversation 'app-conversation:c-77'.")
    logging.getLogger("rasa.core.tracker_store").debug("Tracker with sender_id 'u-13' stored to database")
    first, second = captured()
    assert first["message"] == f"Acquired lock for conversation '#{logs.hash_id('app-conversation:c-77')}'."
    assert second["message"] == f"Tracker with sender_id '#{logs.hash_id('u-13')}' stored to database"
