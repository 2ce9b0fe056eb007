"""A bot message the tracker store replaces after a save (its text or card masked as a load gives
it, bot/ops/tracker_store.py) no longer sends the memos back to the beginning: after each turn
of a conversation whose answers carry phone numbers, the memos of bot/ops/incremental_states.py,
action_payload.py and tracker_copy.py are the same objects as before and give exactly what
Rasa's own functions (and memos built anew) give for the tracker as it is then (Rasa environment)."""
from __future__ import annotations

import asyncio

import pytest
from rasa.shared.core.events import ActionExecuted, BotUttered

from bot.ops import action_payload, incremental_states, tracker_copy
from tests.channels.test_tracker_store_turns import first_turn, store  # noqa: F401  (fixture)

OPTIONS = [(False, False), (False, True), (True, False), (True, True)]


def _masked_answer(number: int) -> list:
    return [BotUttered(f"请致电1381234{number:04d}咨询", {"custom": {"department": {"phone": f"1381234{number:04d}"}}}),
            ActionExecuted("action_listen")]


def _rasa_states(tracker, domain, omit, ignore):
    return incremental_states.rasa_past_states()(tracker, domain, omit_unset_slots=omit,
                                                 ignore_rule_only_turns=ignore)


@pytest.fixture
def installed():
    incremental_states.install()
    yield
    incremental_states.uninstall()


def test_memos_survive_a_replaced_bot_message_and_stay_rasas(store, installed):  # noqa: F811
    from bench.turn_fixtures import turn_events

    domain = store.domain
    asyncio.run(store.save(first_turn("r1")))
    kept, replaced = None, 0
    for number in range(1, 8):
        tracker = asyncio.run(store.retrieve("r1"))
        for event in [*turn_events(number), *_masked_answer(number)]:
            tracker.update(event)
        for option in OPTIONS:  # as the policies during the turn
            assert incremental_states.past_states(tracker, domain, *option) == _rasa_states(tracker, domain, *option)
        encoded = action_payload.encoded_events("r1", tracker.events, 0).json_text
        fresh = action_payload.EventsMemo()
        fresh.extend(list(tracker.events))
        assert encoded == fresh.encoded().json_text
        assert tracker_copy._replays_plainly(tracker)
        if kept is not None:  # the memos kept since the turn before, not started again
            assert kept == _memos(tracker)
        before = list(tracker.events)
        asyncio.run(store.save(tracker))
        replaced += sum(old is not new for old, new in zip(before, tracker.events))
        kept = _memos(tracker)
        # the memos hold the replaced messages: Rasa's states and applied events, a fresh request
        for option in OPTIONS:
            assert incremental_states.past_states(tracker, domain, *option) == _rasa_states(tracker, domain, *option)
        assert incremental_states.applied_events(tracker) == incremental_states.rasa_applied_events(tracker)
        fresh = action_payload.EventsMemo()
        fresh.extend(list(tracker.events))
        assert action_payload.encoded_events("r1", tracker.events, 1).json_text == fresh.encoded().json_text
        assert tracker_copy._replays_plainly(tracker)
        assert all(map(lambda a, b: a is b, tracker.__dict__[tracker_copy.CHECKED][0], tracker.events))
        assert kept == _memos(tracker)
    assert replaced == 7  # every turn's bot message was replaced by the masked one


def _memos(tracker) -> tuple:
    return ({key: id(run) for key, run in tracker.__dict__[incremental_states.MEMO].items()},
            id(tracker.__dict__[incremental_states.APPLIED]), id(action_payload._memos["r1"]),
            id(tracker.__dict__[tracker_copy.CHECKED]))
