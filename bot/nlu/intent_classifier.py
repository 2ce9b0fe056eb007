"""Rasa's logistic-regression intent classifier with one-vs-rest confidences.

Rasa's LogisticRegressionClassifier (liblinear, one-vs-rest) reports `predict_proba`, which
divides each class's sigmoid by their sum. When no class claims a message (a text whose
words the training data never had: "阿巴阿巴咕噜咕噜"), every sigmoid is small, and the
division still gives the largest of them a confident-looking share — usually the catch-all
class out_of_scope. Here each intent's confidence is its own classifier's sigmoid, so
"no intent recognises this" stays a low confidence and the FallbackClassifier catches it.
Training, features and the stored model are Rasa's own.

Rasa stores the model with skops, whose first import reaches numpy.distutils.log, which
sets the root logger to WARNING and swaps its class for one that prints plain text: after
the model loads, `rasa run` would drop the INFO lines logged through the root logger
("Rasa server is up and running") or print them outside the JSON log format. Loading and
storing keep the root logger as it was.

Rasa builds the feature matrix one message at a time (a sparse row stacked with an empty
dense row, for each of ~2,300 examples): 4 of the classifier's 5 seconds of training went
there, 0.4 s to liblinear. With sparse sentence features only, the rows are stacked at once,
each built from the sentence features alone (`sentence_features`).
"""
from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, List

import numpy as np
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.classifiers.logistic_regression_classifier import LogisticRegressionClassifier
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.utils.tensorflow.constants import RANKING_LENGTH
from scipy.sparse import csr_matrix, hstack, spmatrix, vstack


@contextmanager
def root_logger_kept() -> Iterator[None]:
    root = logging.getLogger()
    kind, level = root.__class__, root.level
    try:
        yield
    finally:
        root.__class__ = kind
        root.setLevel(level)


def sentence_features(message: Message) -> spmatrix | None:
    """The matrix of `message.get_sparse_features(TEXT)[1].features`, by the same hstack calls in
    the same order, without what that call also does and the classifier never reads: combining
    the sequence features and deep-copying the first featurizer's matrix (about 0.5 ms of the
    classifier's 1 ms per message; tests/channels/test_intent_classifier_features.py)."""
    combined = None
    for feature in message.features:
        if feature.attribute == TEXT and feature.is_sparse() and feature.type == FEATURE_TYPE_SENTENCE:
            combined = feature.features if combined is None else hstack([combined, feature.features])
    return combined


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class OneVsRestIntentClassifier(LogisticRegressionClassifier):
    """The confidence of an intent is P(this intent | message) from its own binary classifier."""

    @classmethod
    def load(cls, *args: Any, **kwargs: Any) -> OneVsRestIntentClassifier:
        with root_logger_kept():
            return super().load(*args, **kwargs)

    def persist(self) -> None:
        with root_logger_kept():
            super().persist()

    def _create_X(self, messages: List[Message]) -> csr_matrix:
        rows = [sentence_features(message) for message in messages]
        if any(row is None for row in rows) or any(message.get_dense_features(attribute=TEXT)[1] is not None
                                                   for message in messages):
            return super()._create_X(messages)  # dense features in the pipeline: Rasa's own way
        return vstack(rows, format="csr")

    def process(self, messages: List[Message]) -> List[Message]:
        scores = np.atleast_2d(self.clf.decision_function(self._create_X(messages)))
        if scores.shape[1] == 1:  # two intents only: one binary classifier for the second class
            scores = np.hstack([-scores, scores])
        confidences = 1.0 / (1.0 + np.exp(-scores))
        for message, row in zip(messages, confidences):
            ranking = sorted(({"name": name, "confidence": float(value)} for name, value in zip(self.clf.classes_, row)),
                             key=lambda entry: -entry["confidence"])
            message.set("intent", ranking[0], add_to_output=True)
            if self.config[RANKING_LENGTH] > 0:
                ranking = ranking[: self.config[RANKING_LENGTH]]
            message.set("intent_ranking", ranking, add_to_output=True)
        return messages
