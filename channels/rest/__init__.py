"""Rasa's REST channel with an answer for every turn (see channels/rest/channel.py)."""
from __future__ import annotations

from channels.rest.channel import GuardedRestInput

__all__ = ["GuardedRestInput"]
