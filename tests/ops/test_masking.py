"""Masking of personal data: random numbers of every kind disappear, ordinary text stays."""
from __future__ import annotations

import string
from datetime import date

from hypothesis import given, settings, strategies as st

from core.personal_data import (
    APPLICATION_MASK, ID_MASK, NAME_MASK, PHONE_MASK, SURNAMES, contains_personal_data, mask_text, mask_value,
)
from progress_api.numbers import make_number

digits = st.text(alphabet=string.digits, min_size=1, max_size=1)
context = st.text(alphabet="，。？！ 我的是号码请问办理进度多少天材料", max_size=12)


@st.composite
def id_numbers(draw) -> str:
    body = "".join(draw(st.lists(digits, min_size=17, max_size=17)))
    return body + draw(st.sampled_from(list(string.digits) + ["X", "x"]))


@st.composite
def mobile_phones(draw) -> str:
    rest = "".join(draw(st.lists(digits, min_size=9, max_size=9)))
    return "1" + draw(st.sampled_from("3456789")) + rest


@st.composite
def application_numbers(draw) -> str:
    day = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
    return make_number(day, draw(st.integers(0, 999_999)))


@settings(max_examples=200)
@given(id_numbers(), context, context)
def test_id_numbers_are_masked_anywhere_in_a_sentence(number, before, after):
    masked = mask_text(f"{before}{number}{after}")
    assert number not in masked and ID_MASK in masked


@settings(max_examples=200)
@given(mobile_phones(), context, context, st.sampled_from(["", "+86", "86", "+86 "]))
def test_mobile_phones_are_masked_with_or_without_country_code(phone, before, after, prefix):
    masked = mask_text(f"{before}{prefix}{phone}{after}")
    assert phone not in masked and PHONE_MASK in masked


@given(mobile_phones())
def test_grouped_phones_are_masked(phone):
    for grouped in (f"{phone[:3]} {phone[3:7]} {phone[7:]}", f"{phone[:3]}-{phone[3:7]}-{phone[7:]}"):
        assert mask_text(f"电话{grouped}") == f"电话{PHONE_MASK}"


@settings(max_examples=200)
@given(application_numbers(), context, context)
def test_application_numbers_are_masked_in_any_case(number, before, after):
    for form in (number, number.lower(), " ".join([number[:2], number[2:10], number[10:]])):
        masked = mask_text(f"{before}{form}{after}")
        assert number[2:] not in masked.replace(" ", "") and APPLICATION_MASK in masked


def test_full_width_numbers_are_masked():
    assert mask_text("ＣＱ２０２６０５１４０００１２３３") == APPLICATION_MASK
    assert mask_text("手机１３８１２３４５６７８") == "手机" + PHONE_MASK


given_names = st.text(alphabet="明华建国丽娟伟芳秀英强磊军洋勇艳杰涛超", min_size=1, max_size=2)


@settings(max_examples=200)
@given(st.sampled_from(SURNAMES), given_names, st.sampled_from(["我叫", "姓名：", "姓名 ", "申请人是", "联系人：", "我是"]),
       st.sampled_from(["", "，", "。", "，电话多少"]))
def test_names_after_a_marker_are_masked(surname, given, marker, after):
    name = surname + given
    masked = mask_text(f"你好，{marker}{name}{after}")
    assert name not in masked and NAME_MASK in masked


def test_names_after_markers_are_masked():
    assert mask_text("我叫张三丰") == f"我叫{NAME_MASK}"
    assert mask_text("姓名：欧阳娜娜，电话13812345678") == f"姓名：{NAME_MASK}，电话{PHONE_MASK}"
    assert mask_text("申请人是李四") == f"申请人是{NAME_MASK}"
    assert mask_text("你好，我是王小明。") == f"你好，我是{NAME_MASK}。"


def test_ordinary_questions_stay_readable():
    for text in ["我是个体户，想开一家餐馆", "本人想问一下公积金", "开公司要什么材料", "事项编码500Z3300010000",
                 "咨询电话023-63852810", "12345 热线", "办理时限 20 个工作日", "我是想问社保卡怎么补办"]:
        assert mask_text(text) == text
        assert not contains_personal_data(text)


@given(st.text(max_size=60))
def test_masking_is_idempotent(text):
    once = mask_text(text)
    assert mask_text(once) == once


def test_nested_values_are_masked_and_keys_kept():
    value = {"text": "我叫张三", "entities": [{"value": "13812345678"}], "n": 3, "t": ("CQ202605140001233",)}
    assert mask_value(value) == {"text": f"我叫{NAME_MASK}", "entities": [{"value": PHONE_MASK}], "n": 3,
                                 "t": (APPLICATION_MASK,)}
