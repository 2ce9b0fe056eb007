#!/usr/bin/env bash
# The console's browser tests drive Debian's Chromium with its ChromeDriver (no browser
# downloads) and a Chinese font. Install them when they are missing and we may (root with apt); otherwise
# say so: the browser tests then fail with the same message.
set -euo pipefail
# A Chinese font too, or the screenshots the tests save show empty boxes for every character.
have_font() { command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list :lang=zh 2>/dev/null | head -n 1)" ]; }
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && have_font; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "yuban: installing Debian's chromium and chromium-driver for the console's browser tests" >&2
  export DEBIAN_FRONTEND=noninteractive
  packages="chromium chromium-driver fonts-wqy-microhei"
  apt-get install -y -q $packages >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q $packages >/dev/null; }
else
  echo "yuban: /usr/bin/chromium and /usr/bin/chromedriver are needed for the browser tests:" >&2
  echo "  sudo apt-get install chromium chromium-driver fonts-wqy-microhei" >&2
fi
