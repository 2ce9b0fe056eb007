"""Application numbers (办件编号): format and check digit, shared by service and client.

Format: ``CQ`` + submission date ``YYYYMMDD`` + six-digit serial + one check digit,
17 characters, e.g. ``CQ202605140001233``. The check digit is the Luhn (mod 10) digit
over the 14 digits before it. Luhn rather than a plain digit sum because it catches
every single-digit typo and almost every swap of two neighbouring digits — the two
mistakes people make when reading a number off a receipt into a chat box.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date

PREFIX = "CQ"
LENGTH = 17
_PATTERN = re.compile(r"^CQ(\d{8})(\d{6})(\d)$")
_SEPARATORS = re.compile(r"[\s\-_—－·.]+")


def luhn_digit(digits: str) -> int:
    """The digit that makes ``digits + check`` pass the Luhn test."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        value = int(ch)
        if i % 2 == 0:  # positions doubled once the check digit is appended
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return (10 - total % 10) % 10


def make_number(submitted: date, serial: int) -> str:
    """The number of the ``serial``-th application submitted on ``submitted``."""
    if not 0 <= serial <= 999_999:
        raise ValueError("serial must have at most six digits")
    body = f"{submitted:%Y%m%d}{serial:06d}"
    return f"{PREFIX}{body}{luhn_digit(body)}"


def normalize(text: str) -> str:
    """What a person typed, as a candidate number: half-width, upper case, no separators.

    People paste numbers with spaces, dashes or full-width characters (ＣＱ２０２６…);
    normalising first keeps validation about the number, not about typing habits.
    """
    text = unicodedata.normalize("NFKC", text or "").strip().upper()
    return _SEPARATORS.sub("", text)


def is_valid(number: str) -> bool:
    """True for a well-formed number whose date exists and whose check digit matches."""
    match = _PATTERN.match(number or "")
    if not match:
        return False
    stamp, serial, check = match.groups()
    try:
        date(int(stamp[:4]), int(stamp[4:6]), int(stamp[6:]))
    except ValueError:
        return False
    return luhn_digit(stamp + serial) == int(check)


def parse(text: str) -> str | None:
    """The normalised number if ``text`` is a valid number, else None (for form validation)."""
    number = normalize(text)
    return number if is_valid(number) else None


def is_verification_factor(text: str) -> bool:
    """The demonstration verification factor: exactly four ASCII digits."""
    return len(text or "") == 4 and text.isascii() and text.isdigit()
