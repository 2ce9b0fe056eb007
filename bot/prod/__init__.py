"""The production profile (PRODUCT.md §8, docs/deployment.md): Rasa's own scale-out design.

- `settings`: configuration from the environment, checked once at start (PostgreSQL, Redis);
- `stores`: the tracker store, lock store and event broker named in deploy/endpoints.prod.yml
  (Rasa's SQL tracker store, Redis lock store and SQL event broker, made to ride out a
  database restart or a Redis outage);
- `stack`: several Rasa servers and several action servers on one machine (`./yuban run --profile prod`).

`errors` and `stores` are imported by Rasa (its environment); `settings` and `stack` by the
command line (the action server's environment). No module does I/O at import time.
"""
