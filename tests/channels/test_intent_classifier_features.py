"""bot/nlu/intent_classifier.py builds each message's row from its sentence features alone: the
same matrix as Rasa's `get_sparse_features`, so the same training matrix and the same intents
and confidences (on the trained model of this tree, when there is one)."""
from __future__ import annotations

import asyncio
from pathlib import Path

import numpy as np
import pytest
import scipy.sparse
from rasa.core.channels.channel import UserMessage
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, FEATURE_TYPE_SEQUENCE, INTENT, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.intent_classifier import OneVsRestIntentClassifier, sentence_features

ROOT = Path(__file__).resolve().parents[2]
MODEL = ROOT / "models" / "yuban.tar.gz"


def same_matrix(ours, rasa_s) -> bool:
    ours, rasa_s = scipy.sparse.coo_matrix(ours), scipy.sparse.coo_matrix(rasa_s)
    return (ours.shape == rasa_s.shape and ours.dtype == rasa_s.dtype and np.array_equal(ours.row, rasa_s.row)
            and np.array_equal(ours.col, rasa_s.col) and np.array_equal(ours.data, rasa_s.data))


def generated_message(rng: np.random.Generator, featurizers: int) -> Message:
    message = Message({TEXT: "x"})
    tokens = int(rng.integers(1, 6))
    for index in range(featurizers):
        width = int(rng.integers(1, 50))
        for kind, rows in ((FEATURE_TYPE_SEQUENCE, tokens), (FEATURE_TYPE_SENTENCE, 1)):
            matrix = scipy.sparse.random(rows, width, density=0.2, format="coo", random_state=int(rng.integers(1 << 30)))
            message.add_features(Features(matrix, kind, TEXT, f"featurizer{index}"))
    message.add_features(Features(scipy.sparse.random(1, 7, density=0.5, format="coo"), FEATURE_TYPE_SENTENCE,
                                  INTENT, "other attribute"))
    message.add_features(Features(np.ones((1, 3)), FEATURE_TYPE_SENTENCE, TEXT, "dense"))  # not sparse: left out
    return message


def test_generated_messages_give_rasas_sentence_matrix():
    rng = np.random.default_rng(5)
    for featurizers in (0, 1, 2, 3, 5):
        for _ in range(20):
            message = generated_message(rng, featurizers)
            rasa_s = message.get_sparse_features(attribute=TEXT)[1]
            if featurizers == 0:
                assert rasa_s is None and sentence_features(message) is None
            else:
                assert same_matrix(sentence_features(message), rasa_s.features)


@pytest.mark.skipif(not MODEL.exists(), reason="no trained model in this tree (./yuban train)")
def test_the_trained_model_gets_the_same_matrix_and_the_same_intents(monkeypatch):
    from rasa.core.agent import Agent

    agent = Agent.load(str(MODEL))
    runner = agent.processor.graph_runner
    classifier = next(node for name, node in runner._instantiated_nodes.items() if "IntentClassifier" in name)
    seen: list[Message] = []

    def keep(component, messages):
        seen.extend(messages)
        return original(component, messages)

    original, classifier._fn = classifier._fn, keep
    texts = sorted({m.get(TEXT) for m in load_data(str(ROOT / "data" / "nlu")).training_examples if m.get(TEXT)})
    assert len(texts) > 1000

    async def parse_all() -> None:
        tracker = await agent.processor.get_tracker("features")
        for text in texts[::3]:
            await agent.processor.parse_message(UserMessage(text), tracker)

    try:
        asyncio.run(parse_all())
    finally:
        classifier._fn = original
    component: OneVsRestIntentClassifier = classifier._component
    assert len(seen) == len(texts[::3])
    rasa_rows = scipy.sparse.vstack([m.get_sparse_features(attribute=TEXT)[1].features for m in seen], format="csr")
    ours = component._create_X(seen)
    assert same_matrix(ours, rasa_rows) and np.array_equal(ours.indptr, rasa_rows.indptr)
    rankings = [(m.get(INTENT), m.get("intent_ranking")) for m in seen]
    assert len({intent["name"] for intent, _ in rankings}) > 10
    # the rows as Rasa's get_sparse_features gives them: the same intents and confidences
    monkeypatch.setattr("bot.nlu.intent_classifier.sentence_features",
                        lambda message: message.get_sparse_features(attribute=TEXT)[1].features)
    again = [Message(data=dict(m.data), features=list(m.features)) for m in seen]
    component.process(again)
    assert [(m.get(INTENT), m.get("intent_ranking")) for m in again] == rankings
