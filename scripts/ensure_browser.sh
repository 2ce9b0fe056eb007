#!/usr/bin/env bash
# The console's browser tests drive Debian's Chromium with its ChromeDriver (no browser
# downloads). Install both when they are missing and we may (root with apt); otherwise
# say so: the browser tests then fail with the same message.
set -euo pipefail
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "yuban: installing Debian's chromium and chromium-driver for the console's browser tests" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q chromium chromium-driver >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium chromium-driver >/dev/null; }
else
  echo "yuban: /usr/bin/chromium and /usr/bin/chromedriver are needed for the browser tests:" >&2
  echo "  sudo apt-get install chromium chromium-driver" >&2
fi
