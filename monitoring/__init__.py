"""Health, readiness, Prometheus metrics and request logging for every process.

`sanic_ops` serves the action server (rasa-sdk's Sanic app) and Rasa (through
channels.ops); `aiohttp_ops` the console and the progress service; `logs.configure`
is core.logs plus the error counter of /metrics. Imports only `core` of our packages.
"""
