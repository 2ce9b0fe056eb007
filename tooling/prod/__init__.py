"""The production profile's tooling (docs/deployment.md): Rasa's own scale-out design.

- `settings`: configuration from the environment, checked once at start (PostgreSQL, Redis);
- `launch`: one process of the profile, as supervisord or a container starts it;
- `stack`: several Rasa servers and several action servers on one machine (`./yuban run --profile prod`).

The stores Rasa loads (tracker store, lock store, event broker) live in bot/prod/stores.py.
No module does I/O at import time.
"""
