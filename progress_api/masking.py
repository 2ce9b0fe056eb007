"""Masking of personal data: the only form in which names and phones leave the service.

The API promises never to return unmasked personal data, so masking happens in one
place, on the way out, and the client applies the same functions again as a second
line of defence against a platform adapter that forgets.
"""
from __future__ import annotations

MASK = "*"


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧***: only the surname's first character stays."""
    name = (name or "").strip()
    if not name:
        return ""
    if len(name) > 1 and set(name[1:]) <= {MASK}:
        return name  # already masked
    return name[0] + MASK * max(1, len(name) - 1)


def mask_phone(phone: str) -> str:
    """13812341234 → 138****1234; other phones keep only the last four digits (****1110).

    A value that already contains the mask character is returned unchanged so that
    masking twice is harmless.
    """
    phone = (phone or "").strip()
    if MASK in phone:
        return phone
    digits = "".join(ch for ch in phone if ch.isdigit())
    if len(digits) == 11 and digits[0] == "1":  # a mainland mobile number
        return f"{digits[:3]}{MASK * 4}{digits[-4:]}"
    if len(digits) > 4:  # landlines and the rest: the length is hidden too
        return MASK * 4 + digits[-4:]
    return MASK * 4


def is_masked_name(name: str) -> bool:
    return len(name) > 1 and set(name[1:]) <= {MASK}


def is_masked_phone(phone: str) -> bool:
    return MASK in phone and sum(ch.isdigit() for ch in phone) <= 7


def mask_application_number(number: str) -> str:
    """CQ202605140001233 → CQ2026****1233: enough to recognise, not enough to reuse."""
    return f"{number[:6]}****{number[-4:]}" if len(number) > 10 else "****"
