"""Application numbers and phone digits found in whatever people type (issue #18 item 4)."""
from __future__ import annotations

from datetime import date

import pytest

from actions.progress_extract import extract, find_factor
from progress_api.numbers import make_number

NUMBER = make_number(date(2026, 5, 14), 123)  # CQ202605140001233


@pytest.mark.parametrize("text", [
    NUMBER,
    NUMBER.lower(),
    "麻烦帮我查一下 " + NUMBER + " 这个件",
    "编号：" + " ".join([NUMBER[:6], NUMBER[6:10], NUMBER[10:14], NUMBER[14:]]),
    NUMBER[:2] + "-" + NUMBER[2:10] + "-" + NUMBER[10:],
    "".join(chr(ord(ch) + 0xFEE0) for ch in NUMBER),  # full width, as some phone keyboards type it
    NUMBER[2:] + " 是回执上的号",  # without the CQ
])
def test_the_number_is_found_in_any_spelling(text):
    assert extract(text).number == NUMBER


@pytest.mark.parametrize("text, factor", [
    (f"查进度 {NUMBER} 手机尾号5245", "5245"),
    (f"{NUMBER}，预留电话后4位是 0917", "0917"),
    (f"我的件 {NUMBER} 到哪了 手机13912345245", "5245"),
    (f"{NUMBER} 139-1234-5245", "5245"),
    (f"{NUMBER} 5245", "5245"),
    (f"看下{NUMBER}办得怎么样 2026年申请的", None),  # a year is no phone digits
    (f"{NUMBER}", None),
])
def test_phone_digits_next_to_the_number(text, factor):
    found = extract(text)
    assert (found.number, found.factor) == (NUMBER, factor)


def test_bare_digits_count_only_when_asked_or_said_to_be_phone_digits():
    assert find_factor("5245") == "5245"
    assert find_factor("尾号是5245吧") == "5245"
    assert find_factor("１３８１２３４５２４５") == "5245"
    assert find_factor("我2026年去办的") is None
    assert find_factor("去3301窗口办的") is None
    assert find_factor("去3301窗口办的", asked=True) == "3301"
    assert find_factor("12 34") is None and find_factor("12345") is None


def test_a_wrong_number_is_malformed_not_found():
    broken = NUMBER[:-1] + str((int(NUMBER[-1]) + 1) % 10)
    assert extract(f"查一下{broken}").number is None and extract(f"查一下{broken}").malformed_number
    assert extract("CQ2026").malformed_number
    assert extract("CQ2026 尾号5245").factor is None  # digits are not taken from a broken number's message


@pytest.mark.parametrize("text", ["我不记得编号了", "编号找不到了怎么办", "受理回执弄丢了", "忘记办件号了",
                                  "不知道申请号是多少", "办件编号在哪里看"])
def test_no_number_is_recognised(text):
    assert extract(text).no_number and extract(text).number is None


def test_a_message_with_a_number_is_never_no_number():
    assert not extract(f"之前忘了编号，现在找到了 {NUMBER}").no_number
