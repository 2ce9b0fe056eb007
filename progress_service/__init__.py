"""Local stand-in for the approval platform's progress API (PRODUCT §5).

The assistant asks "where is my application?" over HTTP, using the API documented
in docs/progress-api.yaml. In production a platform adapter speaks that API; this
package implements it over its own SQLite database with demonstration data, so the
assistant can be developed, demonstrated and tested without the real platform.
It shares nothing with `knowledge` except the catalog YAML files it reads to seed.
"""
