"""Field parsing shared by the YAML and spreadsheet readers.

Each parser takes a raw value and returns the typed value or raises ValueError with
a Chinese message that says what is wrong; the readers turn that into a Problem
naming the file, row and field.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

POWER_TYPES = (
    "行政许可", "行政处罚", "行政强制", "行政征收", "行政给付", "行政检查", "行政确认",
    "行政奖励", "行政裁决", "其他行政权力", "公共服务", "其他",
)
FORMS = ("原件", "复印件", "原件和复印件")
MEDIA = ("纸质", "电子", "纸质或电子")
ONLINE_DEPTHS = ("一级", "二级", "三级", "四级")
FEES = ("收费", "不收费")
SCOPES = ("全渝通办", "跨省通办", "川渝通办")
AUDIENCES = ("个人", "法人")

# landlines (023-63961110, ext. allowed), mobiles, 5-digit service lines (12345, 023-96096), 400 numbers
PHONE_RE = re.compile(r"^(0\d{2,3}-?\d{7,8}(-\d{1,6})?|1[3-9]\d{9}|(0\d{2,3}-?)?\d{5}|400-?\d{3}-?\d{4})$")
URL_RE = re.compile(r"^https?://[\w.-]+(:\d+)?(/[^\s]*)?$")
BASIC_CODE_RE = re.compile(r"^[0-9A-Z][0-9A-Z-]{5,39}$")

_TRUE = {"true", "是", "yes", "y", "1", "有", "支持"}
_FALSE = {"false", "否", "no", "n", "0", "无", "不支持"}


def text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    result = str(value).strip()
    return result or None


def required_text(value: Any) -> str:
    result = text(value)
    if result is None:
        raise ValueError("不能为空")
    return result


ROW_ID_PREFIX = "ROW-"  # an item identified by its list's own row id (no national basic code)
_ROW_ID_RE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z_-]{0,33}$")


def row_id_code(value: Any) -> str:
    """The item code of a names-only row: the list's own row id, kept, behind `ROW_ID_PREFIX`.

    Official exports without a national basic code still carry their own row ids (序号, 事项ID);
    keeping that id makes a re-import update the same item, and `check` can name what is missing.
    """
    raw = required_text(value)
    if raw.endswith(".0") and raw[:-2].isdigit():  # spreadsheets turn 12 into 12.0
        raw = raw[:-2]
    if not _ROW_ID_RE.match(raw):
        raise ValueError(f"行号「{raw}」格式不对，应为字母、数字、连字符或下划线，至多 34 位")
    return ROW_ID_PREFIX + raw.upper().replace("_", "-")


def is_row_id_code(code: str) -> bool:
    return code.startswith(ROW_ID_PREFIX)


def code(value: Any) -> str:
    result = required_text(value).upper()
    if not BASIC_CODE_RE.match(result):
        raise ValueError(f"编码「{result}」格式不对，应为字母、数字和连字符，6-40位")
    return result


def choice(value: Any, allowed: tuple[str, ...]) -> str | None:
    result = text(value)
    if result is None:
        return None
    if result not in allowed:
        raise ValueError(f"「{result}」不是允许的取值（{'、'.join(allowed)}）")
    return result


def power_type(value: Any) -> str | None:
    result = text(value)
    if result is None:
        return None
    # Official exports sometimes carry a numeric type or a trailing qualifier.
    numeric = {"1": "行政许可", "2": "行政处罚", "3": "行政强制", "4": "行政征收", "5": "行政给付",
               "6": "行政检查", "7": "行政确认", "8": "行政奖励", "9": "行政裁决", "10": "其他行政权力",
               "20": "公共服务"}
    result = numeric.get(result, result)
    return choice(result, POWER_TYPES)


def boolean(value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    raw = str(value).strip().lower()
    if not raw:
        return None
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ValueError(f"「{value}」不是是/否")


def integer(value: Any, minimum: int = 0) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(f"「{value}」不是整数")
    try:
        number = int(str(value).strip().removesuffix("次").removesuffix("份"))
    except ValueError:
        raise ValueError(f"「{value}」不是整数") from None
    if number < minimum:
        raise ValueError(f"{number} 小于 {minimum}")
    return number


def day(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    raw = str(value).strip().replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat(raw[:10])
    except ValueError:
        raise ValueError(f"「{value}」不是日期（应为 YYYY-MM-DD）") from None


def string_list(value: Any) -> tuple[str, ...]:
    """A list from YAML, or a 、；;\n-separated cell from a spreadsheet."""
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        items = [text(v) for v in value]
    elif isinstance(value, str):
        items = [text(v) for v in re.split(r"[；;\n]|、(?![^（(]*[)）])", value)]
    else:
        raise ValueError(f"「{value}」应为列表")
    return tuple(i for i in items if i)


def limited_choices(values: tuple[str, ...], allowed: tuple[str, ...]) -> tuple[str, ...]:
    for v in values:
        if v not in allowed:
            raise ValueError(f"「{v}」不是允许的取值（{'、'.join(allowed)}）")
    return values


def is_valid_phone(value: str) -> bool:
    return all(PHONE_RE.match(p.strip()) for p in re.split(r"[，,、/；;]", value) if p.strip())


def is_valid_url(value: str) -> bool:
    return bool(URL_RE.match(value.strip()))


def line_list(value: Any) -> tuple[str, ...]:
    """A list from a cell of our own workbook: one entry per line, nothing else splits."""
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(t for t in (text(v) for v in value) if t)
    return tuple(t for t in (line.strip() for line in str(value).split("\n")) if t)
