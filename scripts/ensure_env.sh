#!/usr/bin/env bash
# Build (or reuse) one of the project's Python 3.10 environments from its lock file.
#   scripts/ensure_env.sh rasa|actions
# The environment is rebuilt only when requirements/<name>.lock.txt changed.
set -euo pipefail
name="${1:?usage: ensure_env.sh rasa|actions}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
lock="$root/requirements/$name.lock.txt"
venv="$root/.venvs/$name"
stamp="$venv/.lock-sha256"
[ -f "$lock" ] || { echo "yuban: no lock file $lock" >&2; exit 2; }
want="$(sha256sum "$lock" | cut -d' ' -f1)"
if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  exit 0
fi

find_python310() {
  local candidate
  if command -v pyenv >/dev/null 2>&1; then
    for candidate in "$(pyenv root)"/versions/3.10.*/bin/python3.10; do
      [ -x "$candidate" ] && { echo "$candidate"; return 0; }
    done
  fi
  for candidate in "${HOME}"/.pyenv/versions/3.10.*/bin/python3.10 python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 10)' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  return 1
}

python="$(find_python310)" || {
  cat >&2 <<'MSG'
yuban: Python 3.10 not found. Rasa 3.6 needs Python 3.10.
  Install it with pyenv:  pyenv install 3.10.13
  or your system's packages (python3.10 and python3.10-venv), then run the command again.
MSG
  exit 2
}
echo "yuban: building the $name environment with $python (once; this takes a few minutes)" >&2
rm -rf "$venv"
"$python" -m venv "$venv"
export PIP_DISABLE_PIP_VERSION_CHECK=1 RASA_TELEMETRY_ENABLED=false
"$venv/bin/pip" install --quiet --upgrade "pip==24.3.1" 2>&1 | grep -v '^WARNING: Location' >&2 || true
if ! "$venv/bin/pip" install --quiet --no-deps -r "$lock" 2> >(grep -v '^WARNING: Location' >&2); then
  echo "yuban: installing the $name environment failed (see the messages above)" >&2
  exit 1
fi
"$venv/bin/pip" check >/dev/null 2>&1 || "$venv/bin/pip" check 2>&1 | grep -v '^WARNING: Location' | head -5 >&2 || true
echo "$want" > "$stamp"
