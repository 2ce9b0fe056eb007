"""The web console (docs/console.md): agent assist, curation and the dashboard (aiohttp)."""
