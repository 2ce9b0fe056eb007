"""What the Rasa server loads in the production profile (docs/deployment.md).

- `stores`: the tracker store, lock store and event broker named in deploy/endpoints.prod.yml
  (Rasa's SQL tracker store, Redis lock store and SQL event broker, made to ride out a
  database restart or a Redis outage);
- `errors`: the error a store raises when the conversation store is unreachable.

Settings, launcher and stack are tooling (tooling/prod/). No module does I/O at import time.
"""
