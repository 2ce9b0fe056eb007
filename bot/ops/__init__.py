"""Operations support shared by every process: masking of personal data, JSON logs,
health/readiness/metrics endpoints (docs/operations.md).

`masking` and `logs` are pure standard library so both environments (Rasa's and the
action server's) use one implementation; the web helpers import their framework lazily.
"""
