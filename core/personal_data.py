"""Masking of personal data in free text: the one implementation used by logs, the
tracker store and the event broker, in both environments (pure standard library).

What is recognised (docs/operations.md, section Personal data; issue #8):
- 身份证号: 18 characters (17 digits + digit or X), also the old 15-digit form,
  optionally split by spaces or dashes;
- mainland mobile numbers 1[3-9]xxxxxxxxx, optionally +86/86 and 3-4-4 groups;
- application numbers (办件编号): CQ + 15 digits (progress_api/numbers.py);
- names after a marker: 姓名/我叫 (+ optional 是/为/：), or 名字/本人/申请人/联系人/办理人/户主
  followed by 是/为/叫/：, then 2-4 Chinese characters; after 我是 only when the next character is a common surname, so that
  "我是个体户" stays readable.

Limits (documented in docs/operations.md): a bare name without a marker ("张三的办件")
is not recognised, nor are addresses or bank cards. Full-width digits (０-９) count as
digits because `\\d` matches every Unicode decimal digit.
"""
from __future__ import annotations

import re
from typing import Any

ID_MASK = "[身份证号]"
PHONE_MASK = "[手机号]"
APPLICATION_MASK = "[办件编号]"
NAME_MASK = "[姓名]"

_SEP = r"[ \-－]?"
# Not preceded or followed by another digit: a longer number is something else. Letters
# around are allowed ("tel13912345678", escaped text such as "\\u662f13912345678").
_APPLICATION = re.compile(r"[CcＣｃ][QqＱｑ]" + rf"(?:{_SEP}\d){{15}}(?!\d)")
_ID18 = re.compile(r"(?<!\d)\d(?:" + _SEP + r"\d){16}" + _SEP + r"[\dXxＸｘ](?!\d)")
_ID15 = re.compile(r"(?<!\d)\d{6}\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?!\d)")
_PHONE = re.compile(r"(?<!\d)(?:\+?86[ \-]?)?[1１][3-9３-９]\d(?:[ \-]?\d{4}){2}(?!\d)")
_HAN = r"[\u4e00-\u9fff]"
_NAME_AFTER_MARKER = re.compile(
    r"(姓名|我叫|我的名字叫)(\s*(?:是|为)?\s*[:：]?\s*)(" + _HAN + r"{2,4})")
# Weaker markers ("本人想问…") need an explicit 是/为/叫/： before the name.
_NAME_AFTER_WEAK_MARKER = re.compile(
    r"(名字|本人|申请人|联系人|办理人|户主)(\s*(?:是|为|叫|[:：])\s*)(" + _HAN + r"{2,4})")
# The most common surnames (they cover the large majority of people in Chongqing).
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
            "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
            "向汤欧")
_NAME_AFTER_WO_SHI = re.compile(r"(我是)(\s*)([" + SURNAMES + r"]" + _HAN + r"{1,2})(?=$|[\s，。,.!！?？;；、)）]|的)")


def mask_text(text: str) -> str:
    """`text` with every recognised piece of personal data replaced by a typed placeholder.

    Idempotent: masking masked text changes nothing.
    """
    if not text:
        return text
    text = _APPLICATION.sub(APPLICATION_MASK, text)
    text = _ID18.sub(ID_MASK, text)
    text = _ID15.sub(ID_MASK, text)
    text = _PHONE.sub(PHONE_MASK, text)
    text = _NAME_AFTER_MARKER.sub(lambda m: m.group(1) + m.group(2) + NAME_MASK, text)
    text = _NAME_AFTER_WEAK_MARKER.sub(lambda m: m.group(1) + m.group(2) + NAME_MASK, text)
    text = _NAME_AFTER_WO_SHI.sub(lambda m: m.group(1) + m.group(2) + NAME_MASK, text)
    return text


def mask_value(value: Any) -> Any:
    """Masks every string inside lists, tuples and dicts (keys stay as they are)."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {key: mask_value(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(mask_value(item) for item in value)
    return value


def contains_personal_data(text: str) -> bool:
    return mask_text(text) != text
