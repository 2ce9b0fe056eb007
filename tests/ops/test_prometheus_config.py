"""deploy/prometheus: the scrape paths are the processes' real metrics endpoints and every
metric an alert uses is one the code exports (promtool is not available here)."""
from __future__ import annotations

import re

import yaml
from prometheus_client import REGISTRY

from tooling import services

FOLDER = services.ROOT / "deploy" / "prometheus"
METRICS_PATHS = {"rasa": "/webhooks/ops/metrics", "actions": "/metrics", "progress": "/metrics", "console": "/metrics"}


def exported_names() -> set[str]:
    import actions.metrics  # noqa: F401 - registers the action server's metrics
    import monitoring.metrics  # noqa: F401
    import progress_service.metrics  # noqa: F401

    names = set()
    for collector in list(REGISTRY._collector_to_names):
        for family in collector.collect():  # labelled metrics have no samples until first used
            suffixes = {"counter": ("_total",), "histogram": ("_bucket", "_count", "_sum")}.get(family.type, ("",))
            names.update(f"{family.name}{suffix}" for suffix in suffixes)
    return names


def test_every_process_is_scraped_on_its_metrics_path():
    config = yaml.safe_load((FOLDER / "prometheus.yml").read_text(encoding="utf-8"))
    jobs = {job["job_name"]: job for job in config["scrape_configs"]}
    assert set(jobs) == set(METRICS_PATHS)
    for name, job in jobs.items():
        assert job["metrics_path"] == METRICS_PATHS[name] and job["static_configs"][0]["targets"]
    assert (FOLDER / config["rule_files"][0]).exists()


def test_alerts_use_exported_metrics_and_say_what_is_wrong():
    rules = yaml.safe_load((FOLDER / "alerts.yml").read_text(encoding="utf-8"))["groups"][0]["rules"]
    exported = exported_names()
    for rule in rules:
        expr = rule["expr"]
        assert expr.count("(") == expr.count(")") and expr.count("{") == expr.count("}"), rule["alert"]
        for metric in re.findall(r"\byuban_[a-z_]+", expr):
            assert metric in exported, f"{rule['alert']}: {metric} is not exported"
        assert rule["labels"]["severity"] in ("page", "ticket") and rule["annotations"]["summary"]
