"""Rendering of bot messages for WeChat: byte-limit splitting, merging under the quota,
numbered choices, and CDATA-safe passive replies."""
from __future__ import annotations

import xmltodict
from hypothesis import given, settings
from hypothesis import strategies as st

from channels.wechat.rendering import (TEXT_LIMIT_BYTES, TRUNCATED, clean, pack, passive_text_xml, render,
                                       split_text, utf8_len)

MIXED = st.text(alphabet=st.sampled_from(list("办事材料营业执照身份证abcXYZ0123😀🏛️。，！？；、\n .,")), max_size=600)


def squeeze(text: str) -> str:
    return "".join(text.split())


@settings(max_examples=200, deadline=None, database=None)
@given(text=MIXED, limit=st.integers(min_value=4, max_value=300))
def test_split_never_exceeds_the_limit_nor_breaks_a_character(text, limit):
    pieces = split_text(text, limit)
    assert all(0 < utf8_len(piece) <= limit for piece in pieces)
    assert squeeze("".join(pieces)) == squeeze(text)


def test_split_prefers_line_ends_and_handles_four_byte_characters():
    text = "\n".join(["营业执照原件" * 20] * 10)  # lines of 360 bytes
    pieces = split_text(text, 1000)
    assert [utf8_len(p) for p in pieces][:2] == [721, 721]  # two whole lines each
    emoji = "😀" * 1000  # 4,000 bytes, no break anywhere
    assert [utf8_len(p) for p in split_text(emoji, TEXT_LIMIT_BYTES)] == [2048, 1952]
    assert split_text("😀", 3) == ["😀"]  # a limit below one character still terminates


def test_pack_merges_short_messages_and_caps_at_five():
    assert pack(["一", "二", "三"]) == ["一\n\n二\n\n三"]
    many = pack(["材" * 700] * 10)
    assert len(many) == 5 and many[-1].endswith(TRUNCATED)
    assert all(utf8_len(m) <= TEXT_LIMIT_BYTES for m in many)
    assert pack([]) == []


@settings(max_examples=100, deadline=None, database=None)
@given(texts=st.lists(MIXED, max_size=15))
def test_pack_always_fits_the_quota(texts):
    packed = pack(texts, limit=256, max_messages=5)
    assert len(packed) <= 5 and all(utf8_len(p) <= 256 for p in packed)


def test_render_keeps_bot_text_and_remembers_choices():
    rendered = render([
        {"text": "找到几个相关事项，请回复序号选择：\n1. 甲\n2. 乙",
         "custom": {"type": "choices", "options": [{"item_code": "A", "item_name": "甲"},
                                                    {"item_code": "B", "item_name": "乙"}, "junk"]}},
        {"custom": {"type": "guide", "item_code": "A"}},
        {"custom": {"type": "unknown_future_payload", "options": 3}},
        {"custom": {"type": "choices", "options": "not a list"}},
        {"text": "请选择", "buttons": [{"title": "是", "payload": "/affirm"}, {"title": "否", "payload": "/deny"}]},
        {"text": "http://127.0.0.1/map.png"},
    ])
    assert rendered.texts == ["找到几个相关事项，请回复序号选择：\n1. 甲\n2. 乙", "请选择\n1. 是\n2. 否",
                              "http://127.0.0.1/map.png"]
    assert rendered.choices == {"1": {"title": "是", "payload": "/affirm"}, "2": {"title": "否", "payload": "/deny"}}
    only_choices = render([{"custom": {"type": "choices", "options": [{"item_code": "A", "item_name": "甲"}]}}])
    assert only_choices.texts == [] and only_choices.choices == {"1": {"item_code": "A", "item_name": "甲"}}


def test_passive_reply_is_cdata_safe_and_clean():
    content = "a]]>b<c>&d\x00\x0be\u4e2d"
    xml = passive_text_xml("oUser", "gh_account", content, now=1700000000)
    parsed = xmltodict.parse(xml)["xml"]
    assert parsed == {"ToUserName": "oUser", "FromUserName": "gh_account", "CreateTime": "1700000000",
                      "MsgType": "text", "Content": "a]]>b<c>&de中"}
    assert clean("ok\ud800\ufffe") == "ok"
