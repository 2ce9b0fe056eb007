"""A loaded model's train schema, built when something first reads it (the Rasa server).

A Rasa model's metadata holds two graph schemas: the one the server runs (`predict_schema`)
and the one the model was trained with (`train_schema`). `ModelMetadata.from_dict` resolves
the class of every node of both when a model is loaded, which executes their modules. The
default recipe's train schema always holds `DefaultV1RecipeValidator`, whose module imports
DIETClassifier, ResponseSelector and TEDPolicy (rasa/graph_components/validators/
default_recipe_validator.py, lines 18-24), and so TensorFlow and Keras, whatever the model
holds: seconds and about 500 MB resident in a server that never runs the train schema
(Rasa's server reads `predict_schema` and the other fields only).

`install()` makes `ModelMetadata.from_dict` build everything as before except the train
schema, which is a `GraphSchema` that resolves its nodes with Rasa's own
`GraphSchema.from_dict` on first use (reading `nodes`, comparing, copying, serialising) and
is from then on an ordinary `GraphSchema`. That the module of every train node exists is
still checked at load (`importlib.util.find_spec`, which runs no module but its packages),
so a model naming a missing module is refused as before; a class missing from a module that
exists is reported when the schema is first used.
"""
from __future__ import annotations

import copy
import functools
import importlib.util
from typing import Any

_state: dict[str, Any] = {"original": None}


@functools.lru_cache(maxsize=None)
def _deferred_class() -> type:
    from rasa.engine.graph import GraphSchema

    class DeferredGraphSchema(GraphSchema):
        """Becomes the GraphSchema of `serialized` (class and all) on first use."""

        def __init__(self, serialized: dict[str, Any]):  # not the dataclass __init__: `nodes` stays unset
            self._serialized = serialized

        def _resolve(self) -> None:
            nodes = GraphSchema.from_dict(copy.deepcopy(self._serialized)).nodes
            del self._serialized
            self.__class__ = GraphSchema
            self.nodes = nodes

        def __getattr__(self, name: str) -> Any:  # attributes not found otherwise: `nodes` before resolution
            if name != "nodes" or "_serialized" not in self.__dict__:
                raise AttributeError(name)
            self._resolve()
            return self.nodes

        def __eq__(self, other: object) -> bool:
            self._resolve()
            return self == other

        __hash__ = None  # as GraphSchema's (a dataclass with eq)

        def __repr__(self) -> str:
            self._resolve()
            return repr(self)

        def __reduce_ex__(self, protocol):  # copies and pickles are of the resolved schema
            self._resolve()
            return self.__reduce_ex__(protocol)

    return DeferredGraphSchema


def check_modules(serialized: dict[str, Any]) -> None:
    """Every node's module can be found (as Rasa's loader would say it, without running it)."""
    from rasa.engine.exceptions import GraphSchemaException

    for node in serialized["nodes"].values():
        module_name = node["uses"].rpartition(".")[0]
        try:
            found = bool(module_name) and importlib.util.find_spec(module_name) is not None
        except ImportError:
            found = False
        if not found:
            raise GraphSchemaException(f"Error deserializing graph schema. Can't find class for graph component "
                                       f"type '{node['uses']}'.")


def deferred(serialized: dict[str, Any]) -> Any:
    """A GraphSchema equal to `GraphSchema.from_dict(serialized)`, built on first use."""
    check_modules(serialized)
    return _deferred_class()(serialized)


def install() -> None:
    """Model metadata loaded from now on defers its train schema (idempotent)."""
    from rasa.engine.storage.storage import ModelMetadata

    if _state["original"] is not None:
        return
    original = ModelMetadata.from_dict.__func__
    _state["original"] = original

    def from_dict(cls, serialized: dict[str, Any]) -> Any:
        metadata = original(cls, {**serialized, "train_schema": {"nodes": {}}})
        metadata.train_schema = deferred(serialized["train_schema"])
        return metadata

    ModelMetadata.from_dict = classmethod(from_dict)


def uninstall() -> None:
    from rasa.engine.storage.storage import ModelMetadata

    if _state["original"] is not None:
        ModelMetadata.from_dict = classmethod(_state["original"])
        _state["original"] = None
