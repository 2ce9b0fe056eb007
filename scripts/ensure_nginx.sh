#!/usr/bin/env bash
# Prints the path of an nginx binary for the deployment tests (`nginx -t` on deploy/nginx.conf).
# Uses the one on PATH; otherwise, as root with apt, Debian's nginx package is downloaded and
# unpacked into a cache folder — not installed, so no service is started and nothing listens.
# Prints nothing (exit 1) when neither is possible; the tests then skip that check.
set -euo pipefail
if command -v nginx >/dev/null 2>&1; then
  command -v nginx
  exit 0
fi
cache="${XDG_CACHE_HOME:-$HOME/.cache}/yuban/nginx"
if [ -x "$cache/usr/sbin/nginx" ]; then
  echo "$cache/usr/sbin/nginx"
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && command -v dpkg-deb >/dev/null 2>&1; then
  echo "yuban: unpacking Debian's nginx package for the deployment tests into $cache" >&2
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && { apt-get download -q nginx >/dev/null 2>&1 \
     || { apt-get update -q >/dev/null 2>&1 && apt-get download -q nginx >/dev/null 2>&1; }; })
  deb="$(ls "$work"/nginx_*.deb 2>/dev/null | head -n 1)"
  if [ -n "$deb" ]; then
    mkdir -p "$cache"
    dpkg-deb -x "$deb" "$cache"
    if "$cache/usr/sbin/nginx" -v >/dev/null 2>&1; then
      echo "$cache/usr/sbin/nginx"
      exit 0
    fi
  fi
fi
echo "yuban: nginx is not available (sudo apt-get install nginx); the nginx -t check is skipped" >&2
exit 1
