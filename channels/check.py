"""Check a credentials file the way `rasa run` reads it, before any process starts.

    .venvs/rasa/bin/python -m channels.check var/credentials.yml    # exit 0, or 2 with the problems

Runs in the Rasa environment (the channels' configuration classes are Rasa's): `${NAME}`
values are substituted as Rasa does, every channel class is imported and its
`from_credentials` validation runs. A problem names the environment variable behind the
bad key when the file refers to one (tooling/channels_env.py writes such files).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml
from channels.messages import say

_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def problems(path: Path) -> list[str]:
    """Every channel of the file that Rasa could not build, one line each."""
    from rasa.core.channels import BUILTIN_CHANNELS
    from rasa.shared.exceptions import RasaException
    from rasa.shared.utils.common import class_from_module_path
    from rasa.shared.utils.io import read_config_file

    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    try:
        expanded = read_config_file(str(path))
    except (RasaException, ValueError, OSError) as error:  # e.g. a ${NAME} that is not set
        return [f"{path}: {error}"]
    found = []
    for name, block in expanded.items():
        try:  # as rasa.core.run does: a built-in channel's name, else a class path
            channel = BUILTIN_CHANNELS.get(name) or class_from_module_path(name)
        except (ImportError, AttributeError) as error:
            found.append(say("operator.no_channel_class", name=name, error=error))
            continue
        try:
            channel.from_credentials(block)
        except (RasaException, ValueError) as error:
            key = getattr(error, "key", None)
            source = (raw.get(name) or {}).get(key) if key else None
            variable = _VARIABLE.fullmatch(source) if isinstance(source, str) else None
            found.append(say("operator.bad_variable", variable=variable.group(1), name=name, key=key, error=error) if variable else f"{name}: {error}")
    return found


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m channels.check CREDENTIALS_FILE", file=sys.stderr)
        return 64
    found = problems(Path(args[0]))
    for line in found:
        print(f"yuban: {line}", file=sys.stderr)
    return 2 if found else 0


if __name__ == "__main__":
    sys.exit(main())
