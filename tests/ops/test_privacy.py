"""Events as stored: masked, with the progress form's slots sealed and revealed again."""
from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from bot.ops.privacy import EventProtector
from bot.ops.sealing import SealError, Sealer, load_key


@pytest.fixture
def protector() -> EventProtector:
    return EventProtector(Sealer(Fernet.generate_key()))


def test_user_events_are_masked_everywhere(protector):
    event = {"event": "user", "text": "我叫张三 13812345678", "parse_data": {
        "text": "我叫张三 13812345678", "entities": [{"entity": "phone", "value": "13812345678"}]},
        "metadata": {"note": "身份证50010119900101123X"}, "input_channel": "rest"}
    stored = protector.protect(event)
    assert "13812345678" not in str(stored) and "张三" not in str(stored) and "50010119900101123X" not in str(stored)
    assert stored["input_channel"] == "rest" and stored["parse_data"]["entities"][0]["entity"] == "phone"
    assert event["text"] == "我叫张三 13812345678"  # the caller's event is not changed


def test_sealed_slots_round_trip_and_other_slots_are_masked(protector):
    stored = protector.protect({"event": "slot", "name": "application_number", "value": "CQ202605140001233"})
    assert stored["value"].startswith("sealed:v1:") and "CQ202605140001233" not in stored["value"]
    assert protector.reveal(stored)["value"] == "CQ202605140001233"
    other = protector.protect({"event": "slot", "name": "note", "value": "电话13812345678"})
    assert other["value"] == "电话[手机号]" and protector.reveal(other) == other


def test_a_value_sealed_with_another_key_is_forgotten_not_an_error(protector):
    foreign = EventProtector(Sealer(Fernet.generate_key())).protect(
        {"event": "slot", "name": "application_number", "value": "CQ202605140001233"})
    assert protector.reveal(foreign)["value"] is None


def test_protecting_twice_does_not_seal_twice(protector):
    once = protector.protect({"event": "slot", "name": "application_number", "value": "CQ202605140001233"})
    assert protector.protect(once) == once


def test_keys_come_from_configuration_or_a_private_file(tmp_path, monkeypatch):
    monkeypatch.delenv("YUBAN_SEAL_KEY", raising=False)
    with pytest.raises(SealError, match="YUBAN_SEAL_KEY"):
        load_key()
    key_file = tmp_path / "var" / "seal.key"
    key = load_key(key_file=key_file)
    assert load_key(key_file=key_file) == key and (key_file.stat().st_mode & 0o777) == 0o600
    monkeypatch.setenv("YUBAN_SEAL_KEY", "not-a-key")
    with pytest.raises(SealError, match="格式不对"):
        load_key(key_file=key_file)
