"""The web console (PRODUCT.md §7): agent assist, curation and the dashboard (aiohttp)."""
