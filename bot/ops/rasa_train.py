"""`rasa train` without TensorFlow, skops' slow start or Rasa's training cache (`./yuban train`).

    python -m bot.ops.rasa_train --config config.yml --domain ... (the arguments of `rasa train`)

Rasa's own command (`rasa train`) runs, with the same graph, components and data, so the model
is the one Rasa trains; what it no longer does (docs/performance.md, "Fifth session"):

1. **TensorFlow.** Training reached it three ways. (a) `rasa.utils.train_utils` through
   `rasa.validator` and the featurizers: lazy, as in the server (bot/ops/rasa_server.py).
   (b) The recipe's registry (`DefaultV1Recipe._from_registry`) imports every default
   component (rasa/engine/recipes/default_components.py: DIET, TED, ConveRT, ...) to find one
   name; here a name of Rasa's components imports only the module that defines it (the module
   is read from that file's own import statements), any other name goes to Rasa's function.
   (c) The default recipe's validator imports DIETClassifier, ResponseSelector and TEDPolicy
   only to compare the graph's component classes with them (`in`, `isdisjoint`, names in
   messages). When the configuration's components are resolved and such a module has still not
   been imported, no class of the graph is or derives from that class, so the validator gets a
   class of the same name that nothing is or derives from: every comparison gives what it would
   with Rasa's class. A module imported after that point (impossible once every component of
   the configuration is resolved) is refused with an error rather than validated wrongly.
2. **skops' start** scans every module for every ufunc name (bot/ops/skops_start.py): 5 s or
   more once Rasa is loaded, in the classifier's `persist`.
3. **Rasa's training cache.** `./yuban train` always trains in full (`--force`; tooling/services.py
   keeps its own fingerprint of the inputs), so the cache that Rasa fills for a later partial
   training is never read. It is turned off (`RASA_MAX_CACHE_SIZE=0`, Rasa's own switch), and
   the training hook that fingerprints every node's inputs and outputs for it (about a third of
   the graph run: every tracker and message hashed twice) does nothing while it is off.

4. **Each data file parsed once.** `rasa train` reads the domain and every data file twice
   (the validation's importer, then the training's), and each read validates the file against
   Rasa's schema (another parse, with line numbers, and pykwalify) before parsing it. Within this
   one process a text that passed the schema once passes again (the check is a function of the
   text and the schema), and a text parsed once with the plain ("safe") reader gives a deep copy
   of that result (callers may change what they get; anchors stay shared as in a new parse).
   Errors are not kept: a text that failed is checked again and fails with Rasa's error.

Rasa environment only.
"""
from __future__ import annotations

import ast
import copy
import functools
import importlib.util
import os
import sys
import types
from typing import Any, Dict

from bot.ops import rasa_server
from bot.ops.patching import Patch

VALIDATOR_MODULE = "rasa.graph_components.validators.default_recipe_validator"
DEFAULT_COMPONENTS_MODULE = "rasa.engine.recipes.default_components"
# The modules whose classes the validator only compares with, and which import TensorFlow.
COMPARED_ONLY = {
    "rasa.nlu.classifiers.diet_classifier": "DIETClassifier",
    "rasa.nlu.selectors.response_selector": "ResponseSelector",
    "rasa.core.policies.ted_policy": "TEDPolicy",
}
_stand_ins: Dict[str, type] = {}  # module -> the class the validator got instead of the module's own


class TrainingError(RuntimeError):
    pass


@functools.lru_cache(maxsize=None)
def default_component_modules() -> Dict[str, str]:
    """Class name -> module of Rasa's default components, from default_components.py's imports."""
    spec = importlib.util.find_spec(DEFAULT_COMPONENTS_MODULE)
    with open(spec.origin, encoding="utf-8") as source:
        tree = ast.parse(source.read())
    return {alias.asname or alias.name: node.module for node in tree.body if isinstance(node, ast.ImportFrom)
            for alias in node.names}


def _from_registry(cls: Any, name: str) -> Any:
    """As DefaultV1Recipe._from_registry, importing only the module of a default component."""
    module = default_component_modules().get(name)
    if name not in cls._registered_components and module is not None:
        importlib.import_module(module)  # registers the class (its decorator)
    if name in cls._registered_components:
        return cls._registered_components[name]
    if "." in name:
        from rasa.shared.utils.common import class_from_module_path

        registered = cls._registered_components.get(class_from_module_path(name).__name__)
        if registered is not None:
            return registered
    return _registry_patch.original.__func__(cls, name)  # unknown names: Rasa's own (and its error)


def _component_names(config: Dict[str, Any]) -> list[str]:
    return [item["name"] for key in ("pipeline", "policies") for item in (config.get(key) or [])
            if isinstance(item, dict) and isinstance(item.get("name"), str)]


def _graph_config_for_recipe(self: Any, config: Dict, *args: Any, **kwargs: Any) -> Any:
    """As DefaultV1Recipe.graph_config_for_recipe; the validator is imported after the components."""
    for name in _component_names(config):
        type(self)._from_registry(name)
    _import_validator()
    result = _graph_config_patch.original(self, config, *args, **kwargs)
    late = [module for module in _stand_ins if module in sys.modules]
    if late:
        raise TrainingError(f"{', '.join(late)} imported after the validator was built: train with `rasa train`")
    return result


def _import_validator() -> None:
    """Import the validator with classes nothing is or derives from for modules not yet imported."""
    if VALIDATOR_MODULE in sys.modules:
        return
    absent = {module: name for module, name in COMPARED_ONLY.items() if module not in sys.modules}
    for module, name in absent.items():
        stand_in = types.ModuleType(module)
        _stand_ins[module] = type(name, (), {"__module__": module, "__doc__": "never instantiated"})
        setattr(stand_in, name, _stand_ins[module])
        sys.modules[module] = stand_in
    try:
        importlib.import_module(VALIDATOR_MODULE)
    finally:
        for module in absent:
            sys.modules.pop(module, None)


def _training_hook_off(name: str) -> Any:
    def hook(self: Any, *args: Any, **kwargs: Any) -> Any:
        if self._cache._is_disabled():
            return {} if name == "on_before_node" else None  # nothing to cache, nothing to fingerprint
        return _hook_patches[name].original(self, *args, **kwargs)
    return hook


_validated: set = set()
_parsed: Dict[str, Any] = {}


def validate_yaml_schema(yaml_file_content: str, schema_path: str, *args: Any, **kwargs: Any) -> None:
    """As rasa.shared.utils.validation.validate_yaml_schema, checking a text once per schema."""
    key = (yaml_file_content, schema_path, *args, *sorted(kwargs.items()))
    if key in _validated:
        return
    _yaml_patches["validate"].original(yaml_file_content, schema_path, *args, **kwargs)
    _validated.add(key)


def read_yaml(content: str, reader_type: Any = "safe") -> Any:
    """As rasa.shared.utils.io.read_yaml; the safe reader parses a text once, then deep copies."""
    if reader_type != "safe":
        return _yaml_patches["read"].original(content, reader_type)
    if content not in _parsed:
        _parsed[content] = _yaml_patches["read"].original(content, reader_type)
    return copy.deepcopy(_parsed[content])


def _validation_module() -> Any:
    import rasa.shared.utils.validation
    return rasa.shared.utils.validation


def _io_module() -> Any:
    import rasa.shared.utils.io
    return rasa.shared.utils.io


def _recipe() -> type:
    from rasa.engine.recipes.default_recipe import DefaultV1Recipe
    return DefaultV1Recipe


def _training_hook() -> type:
    from rasa.engine.training.hooks import TrainingHook
    return TrainingHook


_registry_patch = Patch(_recipe, "_from_registry", classmethod(_from_registry))
_graph_config_patch = Patch(_recipe, "graph_config_for_recipe", _graph_config_for_recipe)
_hook_patches = {name: Patch(_training_hook, name, _training_hook_off(name))
                 for name in ("on_before_node", "on_after_node")}
_yaml_patches = {"validate": Patch(_validation_module, "validate_yaml_schema", validate_yaml_schema),
                 "read": Patch(_io_module, "read_yaml", read_yaml)}


def prepare() -> None:
    """Everything above, before Rasa is imported (raises if it already is)."""
    rasa_server.prepare()
    os.environ["RASA_MAX_CACHE_SIZE"] = "0"
    _registry_patch.install()
    _graph_config_patch.install()
    for patch in (*_hook_patches.values(), *_yaml_patches.values()):
        patch.install()


def main(argv: list[str]) -> int:
    """`rasa train` with `argv`, prepared as above."""
    prepare()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", "train", *argv]
    return rasa_main() or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
