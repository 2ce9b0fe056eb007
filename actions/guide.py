"""Guide actions. Each is one turn of actions.turn: the intent the classifier chose names
the action, but what the message does is decided by the dialogue interpreter, so a
misclassified follow-up still reaches the item being discussed."""
from __future__ import annotations

from abc import ABCMeta, abstractmethod
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.deps import Catalog, default_catalog


class CatalogAction(Action, metaclass=ABCMeta):
    """Base of actions that read the catalog (abstract, so rasa_sdk does not register it)."""

    def __init__(self, catalog: Catalog | None = None):
        self._catalog = catalog

    @abstractmethod
    def name(self) -> str: ...

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            self._catalog = default_catalog()
        return self._catalog


class TurnAction(CatalogAction, metaclass=ABCMeta):
    """An action that handles the turn with the dialogue interpreter (actions.turn)."""

    def fallback(self, dispatcher: CollectingDispatcher, tracker: Tracker, result) -> list[dict[str, Any]] | None:
        """What to say when the message names nothing the catalog knows; None: "not found"."""
        return None

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        from actions.turn import handle

        own = type(self).fallback is not TurnAction.fallback
        return handle(dispatcher, self.catalog, tracker, fallback=self.fallback if own else None,
                      feedback_store=getattr(self, "_store", None))


class ActionAnswerGuide(TurnAction):
    def name(self) -> str:
        return "action_answer_guide"


class ActionSetDistrict(TurnAction):
    """"渝北区的呢?": remember the district and answer the pending or last aspect there."""

    def name(self) -> str:
        return "action_set_district"


class ActionMore(TurnAction):
    """"更多": the next page of a long material list or bundle reply."""

    def name(self) -> str:
        return "action_more"
