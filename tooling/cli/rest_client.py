"""A small synchronous client of the Rasa REST channel for the terminal chat and evaluations."""
from __future__ import annotations

import json
import urllib.error
import urllib.request


class RestClient:
    def __init__(self, base_url: str = "http://127.0.0.1:5005", timeout: float = 30.0):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    def is_up(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.base_url}/", timeout=3) as response:
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def send(self, sender: str, text: str) -> list[dict]:
        body = json.dumps({"sender": sender, "message": text}).encode()
        request = urllib.request.Request(f"{self.base_url}/webhooks/rest/webhook", data=body,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            return json.loads(response.read().decode() or "[]")

    def custom_payloads(self, sender: str, text: str) -> list[dict]:
        return [m["custom"] for m in self.send(sender, text) if isinstance(m.get("custom"), dict)]
