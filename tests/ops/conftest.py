"""One stack for the ops suite (tests/ops/stack.py), started once for the package."""
from __future__ import annotations

import pytest

from tooling import services
from tests.ops.stack import start_stack


@pytest.fixture(scope="package")  # stopped when tests/ops is done, before the next suite
def ops_stack(tmp_path_factory):
    if not services.MODEL.exists():
        pytest.fail("no trained model: run `./yuban train`")
    started = start_stack(tmp_path_factory.mktemp("ops"))
    try:
        yield started
    finally:
        started["stack"].stop()
