"""Code every process may import: standard library only (opencc where text needs it).

`personal_data` (masking), `logs` (JSON log lines), `identity` (the one salted sender
hash) and `env` (numbers from environment variables). Nothing here imports another
package of this repository; tests/test_architecture.py checks it.
"""
