"""The dialogue state names its options (menu or alternatives) without loading their guides."""
from __future__ import annotations

from actions.turn import state_of
from tests.actions.conftest import FakeCatalog, tracker


class NamesOnly(FakeCatalog):
    """Loading a whole item is what the state must not need."""

    def item(self, code: str):
        raise AssertionError(f"state_of loaded the whole item {code}")


def test_options_are_named_from_the_index_and_an_unknown_code_keeps_an_empty_name(catalog):
    names_only = NamesOnly(list(catalog.items.values()))
    codes = sorted(catalog.items)[:2]
    for slot in ("choices", "alternatives"):
        state = state_of(tracker("第二个", "choose", {slot: [*codes, "500X0000000000"]}), names_only)
        assert [(o.code, o.name) for o in state.options] == [
            *((code, catalog.items[code].name) for code in codes), ("500X0000000000", "")]
    assert state_of(tracker("你好", "greet"), names_only).options == ()
