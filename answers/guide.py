"""Which region's facts a guide answer shows, and what it says about that first.

An item is implemented per region (实施清单). The answer must never pass one district's
facts off as the answer for another, nor print "no fee" when the fee depends on the
district. The rules:

- district known and it has an entry: its facts, headed with its name;
- district known without an entry: say so first, then the city-level facts, else the
  facts every district shares (an official import usually holds district entries only);
- district unknown: the city-level facts, labelled 市级, and when the asked facts differ
  between districts say so and ask for the district; with no city-level entry show only
  the facts every district shares and ask for the district instead of guessing one.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from answers.cards import guide_card
from answers.rendering import (
    aspect_label,
    consult_phone,
    depends_on_district,
    footer,
    heading,
    render_body,
    varying_fields,
)
from answers.templates import label, say
from knowledge.records import CITY_CODE, Implementation, Item
from knowledge.regions import Region, load_regions

COMMON = ""  # region_code of the facts every region shares (no single region's entry)


@dataclass(frozen=True)
class Choice:
    """The implementation an answer shows and how to label it."""

    impl: Implementation | None
    place: str | None  # what the heading names: the district, 市级, or the only region
    district: str | None  # the district whose own entry is shown (None otherwise)
    notice: str | None  # said before the facts


@dataclass(frozen=True)
class GuideReply:
    text: str
    next_offset: int | None
    district: str | None  # the district whose own facts are shown
    district_needed: bool  # the facts differ by district and none is known: the text asks for it
    card: dict[str, Any]


def common_facts(item: Item) -> Implementation | None:
    """The facts all of an item's implementations share; the others are left empty."""
    if not item.implementations:
        return None
    changes = {}
    for field in dataclasses.fields(Implementation):
        if field.name in varying_fields(item):
            changes[field.name] = field.default if field.default is not dataclasses.MISSING else field.default_factory()
    return dataclasses.replace(item.implementations[0], region_code=COMMON, **changes)


def choose(item: Item, district: Region | None) -> Choice:
    impl = item.implementation_for(district.code if district else None)
    if district is not None and impl is not None and impl.region_code == district.code:
        return Choice(impl, district.name, district.name, None)
    if impl is not None:
        city = label("city_level") if district is not None or len(item.implementations) > 1 else None
        notice = say("guide.no_entry_city", district=district.name, item=item.name) if district else None
        return Choice(impl, city, None, notice)
    if len(item.implementations) == 1:  # one region handles it: its facts, saying so first
        only = item.implementations[0]
        region = load_regions().by_code.get(only.region_code)
        name = region.name if region else only.region_code
        notice = (say("guide.no_entry_only", district=district.name, item=item.name, region=name) if district
                  else say("guide.only_region", region=name))
        return Choice(only, name, None, notice)
    notice = say("guide.no_entry_common", district=district.name, item=item.name) if district and item.implementations else None
    return Choice(common_facts(item), None, None, notice)


def withheld(item: Item, aspect: str, impl: Implementation | None) -> bool:
    """Shared facts only, and the asked ones differ between districts: show none of them."""
    return (impl is not None and impl.region_code == COMMON and aspect != "overview"
            and depends_on_district(item, aspect))


def section(item: Item, aspect: str, choice: Choice, district: Region | None, offset: int = 0,
            needed: str = "guide.district_needed") -> tuple[str, int | None]:
    """One aspect's body for the chosen facts; `needed` is what to say instead of facts that
    differ by district while none is known (the citizen is asked, the agent told to choose)."""
    if not withheld(item, aspect, choice.impl):
        return render_body(item, aspect, choice.impl, offset)
    if district is not None:
        return say("guide.no_entry_none", district=district.name, item=item.name, phone=consult_phone(None)), None
    return say(needed, item=item.name, aspect=aspect_label(aspect)), None


def guide_reply(item: Item, aspect: str, district: Region | None, offset: int = 0,
                with_footer: bool = True) -> GuideReply:
    """The reply to one aspect of an item: text, next materials offset and the app's card."""
    choice = choose(item, district)
    needed = district is None and depends_on_district(item, aspect)
    hidden = withheld(item, aspect, choice.impl)
    body, next_offset = section(item, aspect, choice, district, offset)
    lines = [heading(item, aspect, choice.place)]
    if choice.notice and not (hidden and district is not None):  # else the no-entry sentence is the body
        lines.append(choice.notice)
    if needed and choice.impl is not None and choice.impl.region_code == CITY_CODE:
        lines.append(say("guide.city_level_first", aspect=aspect_label(aspect)))
    lines.append(body)
    if with_footer:
        lines.append(footer(item, choice.impl))
    if needed and not hidden:
        lines.append(say("guide.ask_district", item=item.name))
    card = guide_card(item, choice.impl, aspect, choice.district, needed)
    return GuideReply("\n".join(lines), next_offset, choice.district, needed, card)



def fact_not_held(item: Item, impl: Implementation | None) -> str:
    """A question about a fact no guide holds ("产假多少天"): say so, with the phone to call,
    rather than answer another field of the item."""
    return say("guide.fact_not_held", item=item.name, phone=consult_phone(impl))


def alternatives_line(names: list[str]) -> str:
    """The close alternatives listed after an answer (answer first, never a menu)."""
    return say("guide.alternatives", items=label("alternative_separator").join(
        say("guide.alternative", number=number, item=name) for number, name in enumerate(names, 1)))
