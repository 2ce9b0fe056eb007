"""Application numbers (format, Luhn check digit) and masking of personal data."""
from __future__ import annotations

from datetime import date

import pytest

from progress_api.masking import is_masked_name, is_masked_phone, mask_name, mask_phone
from progress_api.numbers import is_valid, is_verification_factor, luhn_digit, make_number, normalize, parse

NUMBER = "CQ202605140001233"  # the example in docs/progress-api.yaml


def test_documented_example_is_valid() -> None:
    assert make_number(date(2026, 5, 14), 123) == NUMBER
    assert is_valid(NUMBER)


def test_luhn_digit_known_value() -> None:
    assert luhn_digit("7992739871") == 3  # the textbook Luhn example


@pytest.mark.parametrize("position", range(2, 16))
def test_every_single_digit_typo_is_caught(position: int) -> None:
    for replacement in "0123456789":
        if replacement != NUMBER[position]:
            typo = NUMBER[:position] + replacement + NUMBER[position + 1:]
            assert not is_valid(typo), typo


def test_adjacent_swaps_are_caught() -> None:
    number = make_number(date(2026, 5, 14), 918273)
    for i in range(2, 16):
        swapped = number[:i] + number[i + 1] + number[i] + number[i + 2:]
        if swapped != number and {number[i], number[i + 1]} != {"0", "9"}:  # Luhn's one blind spot
            assert not is_valid(swapped), swapped


@pytest.mark.parametrize("text", ["", "CQ", "CQ20260514000123", "CQ2026051400012333", "XX202605140001233",
                                  "CQ2026051400012a3", "CQ202613140001230", None])
def test_malformed_numbers(text) -> None:
    assert not is_valid(text)


def test_impossible_date_is_invalid_even_with_right_check_digit() -> None:
    body = "20260230" + "000001"  # 30 February
    assert not is_valid(f"CQ{body}{luhn_digit(body)}")


def test_normalize_accepts_how_people_type_numbers() -> None:
    assert normalize("ｃｑ２０２６ ０５１４-０００１２３３") == NUMBER
    assert parse(" cq-20260514-000123-3 ") == NUMBER
    assert parse("CQ202605140001234") is None


def test_serial_range() -> None:
    with pytest.raises(ValueError):
        make_number(date(2026, 5, 14), 1_000_000)


@pytest.mark.parametrize("text, ok", [("1234", True), ("0000", True), ("123", False), ("12345", False),
                                      ("12a4", False), ("１２３４", False), ("", False)])
def test_verification_factor(text: str, ok: bool) -> None:
    assert is_verification_factor(text) is ok


@pytest.mark.parametrize("name, masked", [("张三", "张*"), ("张小明", "张**"), ("欧阳娜娜", "欧***"), ("张", "张*"),
                                          ("张*", "张*"), ("", "")])
def test_mask_name(name: str, masked: str) -> None:
    assert mask_name(name) == masked


@pytest.mark.parametrize("phone, masked", [("13812341234", "138****1234"), ("138 1234 1234", "138****1234"),
                                           ("138****1234", "138****1234"), ("023-63961110", "****1110"),
                                           ("123", "****"), ("", "****")])
def test_mask_phone(phone: str, masked: str) -> None:
    assert mask_phone(phone) == masked


def test_masked_predicates() -> None:
    assert is_masked_name("张*") and not is_masked_name("张三") and not is_masked_name("张")
    assert is_masked_phone("138****1234") and not is_masked_phone("13812341234")
