"""What the Rasa process does once instead of per message (bot/ops/rasa_speedups.py) gives
Rasa's own results (Rasa environment)."""
from __future__ import annotations

import copy

import pytest
from jsonschema import ValidationError

from bench.turn_fixtures import rasa_response
from bot.ops import rasa_speedups


@pytest.fixture
def originals():
    """Rasa's own functions, and the replacements installed afterwards (as the tracker store does)."""
    rasa_speedups.uninstall()
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.events import Event

    own = (RemoteAction._validate_action_result, Event.resolve_by_type)
    yield own
    rasa_speedups.install()


def _bad_responses() -> list:
    good = rasa_response()
    cases = []
    for change in (lambda r: r["events"].append({"event": "no_such_event"}),
                   lambda r: r["events"].append("slot"),
                   lambda r: r["events"].append({"event": "slot", "name": "x"}),  # no value
                   lambda r: r["events"].append({"event": "slot", "name": 3, "value": 1}),
                   lambda r: r["events"].append({"event": "user", "timestamp": "yesterday"}),
                   lambda r: r["events"].append({"event": ["slot"]}),
                   lambda r: r.update(events={"event": "slot"}),
                   lambda r: r.update(responses="text"),
                   lambda r: r["responses"].append(["not", "an", "object"])):
        response = copy.deepcopy(good)
        change(response)
        cases.append(response)
    return cases + [[], "events"]


def test_valid_responses_pass_without_rebuilding_the_validator(originals, monkeypatch):
    from jsonschema.validators import Draft202012Validator
    from rasa.core.actions.action import RemoteAction

    rasa_speedups.install()
    checks = []
    monkeypatch.setattr(Draft202012Validator, "check_schema", classmethod(lambda cls, schema: checks.append(1)))
    action = RemoteAction("action_guide", None)
    for turn in range(5):
        assert action._validate_action_result(rasa_response(turn)) is True
    assert action._validate_action_result({"events": [], "responses": []}) is True
    assert checks == []  # Rasa's jsonschema.validate checks the schema on every call


@pytest.mark.parametrize("response", _bad_responses())
def test_invalid_responses_raise_the_error_rasa_raises(originals, response):
    from rasa.core.actions.action import RemoteAction

    action = RemoteAction("action_guide", None)
    with pytest.raises(ValidationError) as rasa_error:
        originals[0](action, copy.deepcopy(response))
    rasa_speedups.install()
    with pytest.raises(ValidationError) as our_error:
        action._validate_action_result(copy.deepcopy(response))
    assert our_error.value.message == rasa_error.value.message
    assert list(our_error.value.path) == list(rasa_error.value.path)


def test_events_resolve_to_the_classes_rasa_finds(originals):
    import rasa.shared.utils.common
    from rasa.shared.core.events import Event

    names = {cls.type_name for cls in rasa.shared.utils.common.all_subclasses(Event)}
    expected = {name: originals[1](name) for name in names}
    rasa_speedups.install()
    assert {name: Event.resolve_by_type(name) for name in names} == expected
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", default=Event) is Event
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no_such_event")


def test_an_event_class_defined_later_is_found(originals):
    from rasa.shared.core.events import Event, SlotSet

    rasa_speedups.install()

    class LateEvent(SlotSet):
        type_name = "yuban_late_event"

    assert Event.resolve_by_type("yuban_late_event") is LateEvent


def test_events_deserialise_without_walking_the_class_tree(originals, monkeypatch):
    import rasa.shared.utils.common
    from rasa.shared.core.events import deserialise_events

    from bench.turn_fixtures import turn_events

    rasa_speedups.install()
    dumped = [event.as_dict() for turn in range(3) for event in turn_events(turn)]
    walks = []
    walk = rasa.shared.utils.common.all_subclasses
    monkeypatch.setattr(rasa.shared.utils.common, "all_subclasses", lambda cls: walks.append(cls) or walk(cls))
    events = deserialise_events(dumped)
    assert [event.as_dict() for event in events] == dumped
    assert walks == []
