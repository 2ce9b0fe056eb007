"""Read an uploaded catalog file in a child process under a memory limit, before the console
reads it itself.

The readers are bounded (knowledge/workbook.py caps rows, columns and decompressed size;
knowledge/source_yaml.py refuses YAML aliases), but a console that serves every editor and
agent must not depend on every reader of every format being perfect: a file that needs more
than IMPORT_MEMORY_MB to read, or longer than IMPORT_SECONDS, is refused here and never
reaches the console process. Run as `python -m console.upload_guard FILE [--region R]`;
it prints one JSON line.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from pathlib import Path
from console.messages import message

IMPORT_MEMORY_MB = 1024  # address space of the child; Python with SQLAlchemy, openpyxl and YAML takes ~60 MB
IMPORT_SECONDS = 120
# Out of memory, CPython does not always raise MemoryError: a failed allocation inside the
# compiler or a C extension surfaces as SystemError ("returned NULL without setting an
# exception") or an ImportError. A child whose address space came this close to its ceiling
# when it failed is counted as having run out of memory, whatever the exception says.
CEILING_MARGIN_MB = 64
_REPORT_RESERVE_BYTES = 512 * 1024  # freed before the child reports, so that printing cannot fail too


async def check_file(path: Path, region: str | None, memory_mb: int | None = None,
                     seconds: float | None = None) -> str | None:
    """None when the file can be read within the limits; else the refusal for the editor."""
    memory_mb = memory_mb or IMPORT_MEMORY_MB
    seconds = seconds or IMPORT_SECONDS
    command = [sys.executable, "-m", "console.upload_guard", str(path), "--memory-mb", str(memory_mb)]
    if region:
        command += ["--region", region]
    root = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "PYTHONPATH": root + (os.pathsep + os.environ["PYTHONPATH"] if os.environ.get("PYTHONPATH") else "")}
    process = await asyncio.create_subprocess_exec(*command, stdout=asyncio.subprocess.PIPE,
                                                   stderr=asyncio.subprocess.PIPE, env=env, cwd=root)
    try:
        out, err = await asyncio.wait_for(process.communicate(), seconds)
    except asyncio.TimeoutError:
        process.kill()
        await process.wait()
        return message("upload.time_refusal", seconds=int(seconds))
    lines = out.decode("utf-8", "replace").strip().splitlines()
    result = _json(lines[-1]) if lines else None
    if process.returncode == 0 and result and result.get("ok"):
        return None
    if (result and result.get("memory")) or process.returncode in (-9, 137) or b"MemoryError" in err:
        return message("upload.memory_refusal", limit=memory_mb)
    detail = (result or {}).get("error") or message("upload.exit_code", code=process.returncode)
    return message("upload.crash_refusal", detail=detail)


def _json(line: str) -> dict | None:
    try:
        value = json.loads(line)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _limit_memory(megabytes: int) -> None:
    import resource

    limit = megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _peak_address_space_mb() -> float | None:
    """VmPeak of this process in MB (Linux); None where /proc does not say."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmPeak:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def ran_out_of_memory(error: BaseException, limit_mb: int) -> bool:
    """True for a MemoryError, or for any failure of a child that reached its ceiling."""
    if isinstance(error, MemoryError):
        return True
    peak = _peak_address_space_mb()
    return peak is not None and peak >= limit_mb - CEILING_MARGIN_MB


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="console.upload_guard")
    parser.add_argument("file", type=Path)
    parser.add_argument("--region")
    parser.add_argument("--memory-mb", type=int, default=IMPORT_MEMORY_MB)
    args = parser.parse_args(argv)
    reserve = bytearray(_REPORT_RESERVE_BYTES)
    try:
        # The limit applies to the imports too: they are part of what reading costs.
        _limit_memory(args.memory_mb)
        from knowledge.errors import CatalogValidationError
        from knowledge.importer import read_sources

        try:
            read_sources([args.file], region=args.region)
        except CatalogValidationError:
            pass  # an ordinary invalid file: the console's own dry run lists its problems
    except Exception as error:  # noqa: BLE001 — MemoryError included: everything is reported, not raised
        del reserve
        if ran_out_of_memory(error, args.memory_mb):
            print('{"ok": false, "memory": true}', flush=True)
            return 3
        print(json.dumps({"ok": False, "error": f"{type(error).__name__}: {error}"[:300]}, ensure_ascii=False), flush=True)
        return 4
    print(json.dumps({"ok": True}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
