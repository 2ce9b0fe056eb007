"""What the conversation is about: the dialogue state the interpreter reads.

Built from Rasa slots by `actions.turn`; kept free of Rasa so it can be unit-tested
and reasoned about on its own.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Option:
    code: str
    name: str


@dataclass(frozen=True)
class DialogueState:
    """The current item, aspect, district and the menu on offer.

    `options` are the offered items (a menu, or a bundle's items); `menu_pending` is True
    when they were offered as a question ("which one?") and nothing was picked since.
    `answered` is True when the assistant's last reply answered something (a guide or a
    bundle), which is the only time "有用/没用" is feedback. `discussed` are the items answered
    earlier in the conversation, most recent first (the current one included): "刚才那个身份证",
    "通行证的呢" point back to one of them.
    """

    item_code: str | None = None
    item_name: str | None = None
    aspect: str | None = None
    district: str | None = None
    options: tuple[Option, ...] = field(default_factory=tuple)
    menu_pending: bool = False
    bundle_code: str | None = None
    answered: bool = False
    failed_turns: int = 0
    discussed: tuple[Option, ...] = field(default_factory=tuple)

    @property
    def has_topic(self) -> bool:
        """An item or a bundle is being discussed, so a bare follow-up has something to refer to."""
        return bool(self.item_code or self.bundle_code)
