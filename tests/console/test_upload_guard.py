"""How the upload guard's child tells running out of memory from an ordinary failure: out of
memory, CPython sometimes raises SystemError or ImportError instead of MemoryError."""
from __future__ import annotations

import sys

from console import upload_guard


def test_a_memory_error_is_running_out_of_memory_whatever_the_ceiling():
    assert upload_guard.ran_out_of_memory(MemoryError(), limit_mb=10**6)


def test_any_failure_at_the_ceiling_counts_as_running_out_of_memory():
    peak = upload_guard._peak_address_space_mb()
    if peak is None:
        assert sys.platform != "linux"
        return
    error = SystemError("<built-in function compile> returned NULL without setting an exception")
    assert upload_guard.ran_out_of_memory(error, limit_mb=int(peak) + upload_guard.CEILING_MARGIN_MB // 2)


def test_an_ordinary_failure_far_below_the_ceiling_is_reported_as_itself():
    assert not upload_guard.ran_out_of_memory(ValueError("bad cell"), limit_mb=10**6)
