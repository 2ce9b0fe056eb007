"""`rasa` with TensorFlow imported lazily: the Rasa server's command (tooling/processes.py).

    python -m bot.ops.rasa_server run --model ... (the arguments of `rasa`)

Rasa 3.6 imports TensorFlow whatever the model holds (seconds and about 500 MB resident that
the server never uses: docs/performance.md, "Rasa without TensorFlow"), in two places:

1. Importing the server: `rasa.core.run` → ... → `rasa.nlu.extractors.extractor`
   (`import rasa.utils.train_utils`) → `rasa.utils.train_utils` (`from
   rasa.utils.tensorflow.callback import ...`) → `rasa.utils.tensorflow.callback` (`class
   RasaTrainingLogger(tf.keras.callbacks.Callback)`). `rasa.utils.train_utils` is imported
   lazily (bot/ops/lazy_imports.py): the modules the server imports reach it by `import
   module` statements, and its functions run only when a model with TensorFlow components
   trains or loads, which then gets the module, fully executed. A lazy `tensorflow` would not do: the class statement
   above reads it at once, as any `from module import name` does.
2. Loading the model: the metadata's train schema names the default recipe's validator,
   whose module imports DIET and TED; bot/ops/deferred_train_schema.py builds that schema
   when something first reads it (the server never does).

3. Not TensorFlow: `rasa.server` → `rasa.nlu.test` (`import rasa.utils.plotting as
   plot_utils`) → `rasa.utils.plotting` (`import matplotlib`), for the evaluation endpoints'
   plots, which the server turns off: lazy too (59 modules, about 9 MB).

skops' start (bot/ops/skops_start.py) reads every module of `sys.modules`; it skips a lazy
module that has not run, as if it were not imported.

Training has its own command with the same preparations and more (bot/ops/rasa_train.py).
At exit the server logs which lazy modules ran. Once the model is loaded the heap is frozen
(bot/ops/heap_freeze.py).
"""
from __future__ import annotations

import atexit
import logging
import sys

from bot.ops import deferred_train_schema, heap_freeze, lazy_imports, skops_start

LAZY_MODULES = ("rasa.utils.train_utils", "rasa.utils.plotting")

logger = logging.getLogger("bot.ops.rasa_server")  # not __name__: "__main__" under `python -m`


def _log_executed(finder: lazy_imports.LazyFinder) -> None:
    ran = lazy_imports.executed(finder)
    logger.info("lazy modules executed: %s", ", ".join(ran) if ran else "none")


def prepare() -> lazy_imports.LazyFinder:
    """Install what keeps TensorFlow out, before Rasa is imported (the server; bench.start_bench)."""
    if "rasa" in sys.modules:
        raise RuntimeError("bot.ops.rasa_server must be started before Rasa is imported")
    finder = lazy_imports.install(LAZY_MODULES)
    deferred_train_schema.install()
    # skops' start reads every module's attributes, which would run the lazy ones; its patch
    # skips them (also installed with the tracker store, which any model of ours has).
    skops_start.install()
    return finder


def main(argv: list[str]) -> int:
    """Rasa's own command line with `argv`, the lazy modules installed before Rasa is imported."""
    atexit.register(_log_executed, prepare())
    from rasa.__main__ import main as rasa_main

    heap_freeze.install()  # the loaded model out of later collections (bot/ops/heap_freeze.py)

    sys.argv = ["rasa", *argv]
    return rasa_main() or 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
