"""The Rasa server's loaded model left out of later garbage collections (Rasa process only).

After the model and the modules are loaded the heap holds about 490,000 long-lived objects
(the graph, the featurizers' vocabularies, the classifier, the domain, Sanic, SQLAlchemy …).
Every full collection walks all of them: 0.8–1.2 s of a 3.0 s profile of conversation saves
(docs/performance.md, "Fifth session: the save and the guide load"), a stall of whichever
message triggers it. `gc.freeze()` once the agent is loaded moves them to the permanent
generation: they are still freed by reference counting, only not scanned. The action server
does the same after its search index loads (actions/server.py).

Installed by bot/ops/rasa_server.py: Rasa's `load_agent_on_start` (the "before_server_start"
listener of `rasa run`) is wrapped, so the freeze follows the load before the first message.
A model replaced at run time (PUT /model, which we do not use) would leave the old one in the
permanent generation until the process ends.
"""
from __future__ import annotations

import gc
import logging

from bot.ops.patching import Patch

logger = logging.getLogger(__name__)


async def load_agent_then_freeze(*args, **kwargs):
    """Rasa's `load_agent_on_start`, then a collection and a freeze of what is left."""
    agent = await _patch.original(*args, **kwargs)
    gc.collect()
    gc.freeze()
    logger.info("heap frozen after the model loaded: %d objects", gc.get_freeze_count())
    return agent


def _run_module():
    import rasa.core.run

    return rasa.core.run


_patch = Patch(_run_module, "load_agent_on_start", load_agent_then_freeze)


def install() -> None:
    """Wrap `rasa.core.run.load_agent_on_start` (idempotent)."""
    _patch.install()


def uninstall() -> None:
    _patch.uninstall()
