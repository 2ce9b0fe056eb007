"""The project's own dialogues (dialogues.yml), turn by turn through the actions and the
demonstration catalog, judged on the payloads (item, aspect, district) by the same rules
as `./yuban eval dialogues`. No Rasa: the classifier's intent is left neutral, so what is
tested is the dialogue state and the interpreter."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.turn import handle
from tooling.cli.dialogue_eval import fill, needless_menu, side_misfire, turn_passes
from knowledge.importer import read_sources
from knowledge.service import DEMO_CATALOG
from tests.actions.conftest import FakeCatalog, FakeFeedback

DIALOGUES = yaml.safe_load((Path(__file__).with_name("dialogues.yml")).read_text(encoding="utf-8"))["dialogues"]


@pytest.fixture(scope="module")
def demo_catalog() -> FakeCatalog:
    sources = read_sources(sorted(DEMO_CATALOG.glob("*.yml")))
    return FakeCatalog(sources.items, sources.bundles)


class Conversation:
    """Slots carried from turn to turn, as Rasa's tracker would."""

    def __init__(self, catalog: FakeCatalog):
        self.catalog = catalog
        self.slots: dict = {}
        self.events: list[dict] = []  # the slot events so far, as Rasa sends them (items pointed back to)
        self.feedback = FakeFeedback()

    def send(self, text: str, intent: str = "nlu_fallback") -> list[dict]:
        tracker = Tracker.from_dict({
            "sender_id": "dialogue-test", "slots": dict(self.slots),
            "latest_message": {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []},
            "events": list(self.events), "paused": False, "followup_action": None, "active_loop": {},
            "latest_action_name": "action_listen"})
        dispatcher = CollectingDispatcher()
        events = handle(dispatcher, self.catalog, tracker, feedback_store=self.feedback)
        for event in events:
            if event.get("event") == "slot":
                self.slots[event["name"]] = event["value"]
                self.events.append(event)
        return dispatcher.messages


def test_there_are_at_least_sixty_dialogues():
    assert len(DIALOGUES) >= 60 and len({d["id"] for d in DIALOGUES}) == len(DIALOGUES)


@pytest.mark.parametrize("dialogue", DIALOGUES, ids=[d["id"] for d in DIALOGUES])
def test_dialogue(demo_catalog, dialogue):
    conversation = Conversation(demo_catalog)
    last_options: list[dict] = []
    for turn in dialogue["turns"]:
        messages = conversation.send(fill(turn["user"], None, last_options, turn["expect"]))  # {PICK}: menu order
        payloads = [m["custom"] for m in messages if isinstance(m.get("custom"), dict)]
        last_options = next((p["options"] for p in payloads if p.get("type") == "choices"), last_options)
        texts = "\n".join(m.get("text") or "" for m in messages)
        shown = [{k: p.get(k) for k in ("type", "item_name", "bundle_name", "aspect", "district") if p.get(k)}
                 for p in payloads] or texts[:80]
        assert turn_passes(turn["expect"], payloads, texts), (turn["user"], turn["expect"], shown)
        assert not side_misfire(turn["expect"], payloads), (turn["user"], shown)
        assert not needless_menu(turn["expect"], payloads), (turn["user"], shown)
