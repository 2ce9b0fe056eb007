"""The first NLU step: canonical text before tokenizing.

Traditional characters become simplified, full-width letters and digits half-width
(knowledge.normalize, shared with search). A message that starts with "/" is kept as
text: Rasa would otherwise read "/intent{...}" typed by a user as a forced intent, so
the leading slash is replaced by its full-width form, which the regex handler ignores.
"""
from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from knowledge.normalize import normalize

SLASH_GUARD = "／"


def normalize_user_text(text: str) -> str:
    result = normalize(text)
    stripped = result.lstrip()
    if stripped.startswith("/"):
        result = SLASH_GUARD + stripped[1:]
    return result


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER], is_trainable=False)
class TextNormalizer(GraphComponent):
    @classmethod
    def create(cls, config: Dict[Text, Any], model_storage: ModelStorage, resource: Resource,
               execution_context: ExecutionContext) -> TextNormalizer:
        return cls()

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        self.process(training_data.training_examples)
        return training_data

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if text:
                message.set(TEXT, normalize_user_text(text))
        return messages
