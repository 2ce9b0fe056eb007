from __future__ import annotations

from knowledge.normalize import compact, normalize, to_half_width


def test_traditional_to_simplified_and_full_width_to_half_width():
    assert normalize("駕駛證補辦　ＡＢＣ１２３") == "驾驶证补办 abc123"
    assert to_half_width("／ｒｅｑｕｅｓｔ") == "/request"


def test_compact_drops_spaces_and_punctuation():
    assert compact("開公司，要啥 材料？") == "开公司要啥材料"


def test_empty_text():
    assert normalize("") == "" and compact("  ") == ""
