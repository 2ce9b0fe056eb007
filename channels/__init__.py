"""Rasa input channels, one module per platform (no knowledge imports)."""
