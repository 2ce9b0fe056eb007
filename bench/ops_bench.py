"""What the privacy and observability layer costs per turn (prints figures; no assertions).

    .venvs/actions/bin/python -m bench.ops_bench

- masking one user text (with and without personal data), µs;
- one JSON log line through core.logs.JsonFormatter (plain and Rasa-style escaped), µs;
- protecting (mask + seal) and revealing the events of one turn as the tracker store does, µs;
- the metrics middleware bookkeeping per request (observe_request), µs.
"""
from __future__ import annotations

import logging
import statistics
import time

from cryptography.fernet import Fernet

from bench.stats import percentile
from monitoring import metrics
from monitoring.logs import JsonFormatter
from core.personal_data import mask_text
from bot.ops.privacy import EventProtector
from bot.ops.sealing import Sealer

TEXTS = ["开公司要什么材料", "渝北区的营业执照在哪办", "我叫张三，电话13812345678，身份证50010119900101123X",
         "我的办件CQ202605140001233到哪一步了", "转人工", "公积金提取需要多久"]
TURN = [
    {"event": "user", "timestamp": 1.0, "text": TEXTS[2], "parse_data": {
        "intent": {"name": "inform", "confidence": 0.98}, "entities": [], "text": TEXTS[2],
        "intent_ranking": [{"name": "inform", "confidence": 0.98}]}, "input_channel": "rest",
     "metadata": {"model_id": "abc"}},
    {"event": "action", "timestamp": 1.1, "name": "progress_form", "policy": "RulePolicy", "confidence": 1.0},
    {"event": "slot", "timestamp": 1.2, "name": "application_number", "value": "CQ202605140001233"},
    {"event": "bot", "timestamp": 1.3, "text": "请输入申请时预留手机号的后四位。", "data": {"custom": None}},
    {"event": "action", "timestamp": 1.4, "name": "action_listen"},
]


def timed(function, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1e6)
    return samples


def report(name: str, samples: list[float]) -> None:
    print(f"{name:<48} median {statistics.median(samples):8.1f} µs   p95 {percentile(samples, 0.95):8.1f} µs")


def main() -> None:
    print("privacy and observability cost per operation (this machine)")
    report("mask_text, question without personal data", timed(lambda: mask_text(TEXTS[1]), 20000))
    report("mask_text, text with name, phone and ID", timed(lambda: mask_text(TEXTS[2]), 20000))
    formatter = JsonFormatter("bench")
    plain = logging.LogRecord("rasa.core.processor", logging.INFO, __file__, 1, "Received %s", (TEXTS[2],), None)
    escaped = logging.LogRecord("rasa.core.processor", logging.DEBUG, __file__, 1,
                                '{"parse_data_text": "' + TEXTS[2].encode("unicode_escape").decode() + '"}', (), None)
    report("JSON log line, plain message", timed(lambda: formatter.format(plain), 20000))
    report("JSON log line, escaped structlog event", timed(lambda: formatter.format(escaped), 20000))
    protector = EventProtector(Sealer(Fernet.generate_key()))
    protected = [protector.protect(event) for event in TURN]
    report("protect one turn (5 events, 1 sealed slot)", timed(lambda: [protector.protect(e) for e in TURN], 5000))
    report("reveal one turn", timed(lambda: [protector.reveal(e) for e in protected], 5000))
    report("metrics: observe one request", timed(
        lambda: metrics.observe_request("bench", "POST", "/webhooks/rest/webhook", 200, 0.12), 20000))


if __name__ == "__main__":
    main()
