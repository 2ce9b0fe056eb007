"""The one parser of numbers in environment variables."""
from __future__ import annotations

import pytest

from core.env import EnvValueError, env_float, env_int


class OwnError(ValueError):
    pass


def test_unset_and_empty_give_the_default():
    assert env_int("X", 7, env={}) == 7
    assert env_int("X", 7, env={"X": "  "}) == 7
    assert env_float("X", 0.5, env={"X": ""}) == 0.5


def test_values_in_range_are_read():
    assert env_int("X", 7, 1, 16, env={"X": " 3 "}) == 3
    assert env_float("X", 0.5, 0.0, 1.0, env={"X": "0.25"}) == 0.25


@pytest.mark.parametrize("raw", ["abc", "1.5", "0", "17", "-3"])
def test_a_bad_integer_names_the_variable_and_the_value(raw):
    with pytest.raises(EnvValueError, match=r"YUBAN_RASA_PROCESSES.*1 到 16") as caught:
        env_int("YUBAN_RASA_PROCESSES", 2, 1, 16, env={"YUBAN_RASA_PROCESSES": raw})
    assert repr(raw) in str(caught.value)


@pytest.mark.parametrize("raw", ["nan", "inf", "x", "2"])
def test_a_bad_number_is_refused(raw):
    with pytest.raises(OwnError, match="YUBAN_LOW_CONFIDENCE"):
        env_float("YUBAN_LOW_CONFIDENCE", 0.6, 0.0, 1.0, env={"YUBAN_LOW_CONFIDENCE": raw}, error=OwnError)


def test_the_process_environment_is_the_default(monkeypatch):
    monkeypatch.setenv("YUBAN_SOME_PORT", "8123")
    assert env_int("YUBAN_SOME_PORT", 1, low=1) == 8123
