"""The shipped reverse proxy (issue #16, finding 7): TLS with HSTS, HTTP only redirects, the
console, REST, /metrics and /ready on an internal listener only, request rate limits for
login and the webhooks, a large body only for the catalog upload — and nginx accepts it."""
from __future__ import annotations

import os
import re
import subprocess

import pytest
import yaml

from tooling import services

DEPLOY = services.ROOT / "deploy"
CONFIG = (DEPLOY / "nginx.conf").read_text(encoding="utf-8")
INTERNAL_ONLY = ("console", "/metrics", "/ready", "/login", "/webhooks/rest", "/webhooks/ops", "/catalog")


def without_comments(text: str) -> str:
    return re.sub(r"#[^\n]*", "", text)


def blocks(text: str, keyword: str) -> list[str]:
    """The bodies of every `keyword … { … }` block (braces matched)."""
    found = []
    for match in re.finditer(rf"(?<![\w-]){keyword}\b[^{{;]*\{{", text):
        depth, index = 1, match.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(text[index], 0)
            index += 1
        found.append(text[match.start():index])
    return found


SERVERS = blocks(without_comments(CONFIG), "server")


def servers_listening(port: int) -> list[str]:
    return [s for s in SERVERS if re.search(rf"listen\s+(\S+:)?{port}\b", s)]


def test_plain_http_only_redirects_to_https():
    (http,) = servers_listening(80)
    assert "return 301 https://$host$request_uri;" in http
    assert "proxy_pass" not in http and "location" not in http


def test_the_public_tls_server_has_hsts_and_only_the_channel_webhooks():
    (public,) = servers_listening(443)
    assert re.search(r"listen\s+443\s+ssl", public)
    assert "ssl_certificate " in public and "ssl_certificate_key " in public
    hsts = re.search(r'add_header Strict-Transport-Security "max-age=(\d+)[^"]*" always;', public)
    assert hsts and int(hsts.group(1)) >= 31536000
    proxied = [location for location in blocks(public, "location") if "proxy_pass" in location]
    assert len(proxied) == 1 and "(wechat|app)" in proxied[0]
    assert re.search(r"location / \{\s*return 404;\s*\}", public)
    for name in INTERNAL_ONLY:
        assert name not in public, f"{name} faces the internet"
    assert re.search(r"ssl_protocols TLSv1\.2 TLSv1\.3;", CONFIG)


def test_console_metrics_and_ready_are_on_the_internal_listener_only():
    (internal,) = servers_listening(8443)
    assert re.search(r"listen\s+8443\s+ssl", internal) and "Strict-Transport-Security" in internal
    assert "deny all;" in internal and "allow 0.0.0.0/0" not in internal and "allow all" not in internal
    assert "proxy_pass http://console;" in internal and "proxy_pass http://rasa;" in internal
    for location in blocks(internal, "location"):
        if "http://console" in location:
            assert "proxy_set_header X-Real-IP $remote_addr;" in location  # the login limit's address
    others = [s for s in SERVERS if s not in servers_listening(8443)]
    assert not any("http://console" in s for s in others)
    compose = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))
    ports = compose["services"]["nginx"]["ports"]
    assert "127.0.0.1:8443:8443" in ports and not any(str(p).endswith(":8443") and not str(p).startswith("127.")
                                                       for p in ports)


def test_login_and_webhooks_are_rate_limited():
    zones = dict(re.findall(r"limit_req_zone \$binary_remote_addr zone=(\w+):\w+ rate=(\d+r/[sm]);", CONFIG))
    assert {"login", "webhooks"} <= set(zones)
    text = without_comments(CONFIG)
    login = [b for b in blocks(text, "location") if b.startswith("location = /login")]
    assert login and all("limit_req zone=login" in b for b in login)
    webhooks = [b for b in blocks(text, "location") if "/webhooks/" in b.split("{", 1)[0] or "(wechat|app)" in b]
    assert webhooks and all("limit_req zone=webhooks" in b for b in webhooks)
    assert "limit_req_status 429;" in CONFIG


def test_the_body_limit_is_raised_only_for_the_catalog_upload():
    text = without_comments(CONFIG)
    http_level = re.search(r"http \{(.*?)upstream", text, re.DOTALL).group(1)
    assert "client_max_body_size 1m;" in http_level
    raised = [b for b in blocks(text, "location") if "client_max_body_size" in b]
    assert len(raised) == 1 and raised[0].startswith("location = /catalog/upload")
    assert "client_max_body_size 50m;" in raised[0]


def nginx_binary() -> str | None:
    result = subprocess.run(["bash", str(services.ROOT / "scripts" / "ensure_nginx.sh")], capture_output=True,
                            text=True, timeout=300)
    return result.stdout.strip() or None


def test_nginx_accepts_the_configuration(tmp_path):
    binary = nginx_binary()
    if binary is None:
        if os.environ.get("CI") == "true":
            pytest.fail("nginx is needed in CI (scripts/ensure_nginx.sh)")
        pytest.skip("nginx is not available (scripts/ensure_nginx.sh)")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=yuban.test",
                    "-keyout", str(tmp_path / "privkey.pem"), "-out", str(tmp_path / "fullchain.pem")],
                   check=True, capture_output=True, timeout=60)
    config = CONFIG.replace("/etc/nginx/tls/", f"{tmp_path}/")
    config = re.sub(r"server (rasa-\d|console):", "server 127.0.0.1:", config)  # compose names do not resolve here
    temp = "".join(f"    {name}_temp_path {tmp_path}/{name};\n" for name in
                   ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    temp += f"    access_log {tmp_path}/access.log;\n"
    config = config.replace("http {\n", "http {\n" + temp, 1)
    (tmp_path / "nginx.conf").write_text(config, encoding="utf-8")
    result = subprocess.run([binary, "-t", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-e", "stderr",
                             "-g", f"pid {tmp_path}/nginx.pid;"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr
