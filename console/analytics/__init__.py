"""Conversation analytics for the console: the dashboard (效能) and the curation queue.

Rasa's SQL event broker writes every event to its `events` table; `ingest` turns them,
incrementally, into one row per user turn (`tables`), which `queries` (dashboard) and
`curation_queue` aggregate. `service` runs ingestion inside the console.
"""
