"""skops' type tables built by bot/ops/skops_start.py's `whichmodule` are skops' own (Rasa
environment; a fresh interpreter with Rasa's server modules loaded, as in `rasa run`)."""
from __future__ import annotations

import json
import subprocess
import sys

from tooling import services

_CHILD = """
import importlib.util, json, sys, time
import numpy, scipy.special
import rasa.core.run
from bot.ops import skops_start
skops_start.install()
began = time.perf_counter()
import skops.io
from skops.io import _trusted_types, _utils
seconds = time.perf_counter() - began
spec = importlib.util.spec_from_file_location("skops_utils_original", _utils.__file__,
                                              submodule_search_locations=None)
original = importlib.util.module_from_spec(spec)
original.__package__ = "skops.io"
sys.modules["skops_utils_original"] = original
spec.loader.exec_module(original)
patched = _utils.whichmodule
probes = [(numpy.add, "add"), (scipy.special.erf, "erf"), (numpy.add, "no_such_name"), (numpy.add, "linalg.norm"),
          (numpy.linalg.norm, "linalg.norm"), (numpy.add, "f.<locals>.g"), (json.dumps, "dumps")]
_utils.whichmodule = original.whichmodule
tables = {name: _utils.get_public_type_names(module, numpy.ufunc) for name, module in
          (("numpy", numpy), ("scipy", scipy.special))}
print(json.dumps({"patched_is_ours": patched is skops_start.whichmodule, "seconds": seconds,
                  "same_numpy": tables["numpy"] == _trusted_types.NUMPY_UFUNC_TYPE_NAMES,
                  "same_scipy": tables["scipy"] == _trusted_types.SCIPY_UFUNC_TYPE_NAMES,
                  "count": len(tables["numpy"]) + len(tables["scipy"]),
                  "probes": [[patched(o, n), original.whichmodule(o, n)] if "<locals>" not in n
                             else [patched(o, n), "__main__"] for o, n in probes]}))
"""


def test_the_tables_and_answers_are_skops_own():
    result = subprocess.run([sys.executable, "-c", _CHILD], cwd=services.ROOT, capture_output=True, text=True,
                            timeout=600, check=True)
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["patched_is_ours"]
    assert found["same_numpy"] and found["same_scipy"] and found["count"] > 300
    assert all(ours == theirs for ours, theirs in found["probes"]), found["probes"]
