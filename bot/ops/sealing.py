"""Sealing of slots in the tracker store: the implementation is core/sealing.py (shared
with the progress reminders, which seal what they store with the same key)."""
from __future__ import annotations

from core.sealing import PREFIX, SealError, Sealer, load_key

__all__ = ["PREFIX", "SealError", "Sealer", "load_key"]
