"""Files with personal data are for the project's own user only: var/ is 0700, SQLite files 0600.

`progress.db` holds applicants' names and phone numbers, the conversation databases what
citizens typed, var/seal.key the key that unseals them. SQLite creates its files 0644
(less the umask), readable by every local user; these helpers create the directory 0700 and
the database file 0600 before SQLite opens it (SQLite gives its -wal and -shm files the mode
of the database file). Standard library only: every process and both environments use it.
"""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROJECT_VAR = ROOT / "var"
DIRECTORY_MODE = 0o700
FILE_MODE = 0o600


def private_directory(path: str | os.PathLike, project_var: Path = PROJECT_VAR) -> Path:
    """Create `path` and its missing parents 0700; the project's var/ (created by an older
    version with the default mode) is tightened to 0700 too. Directories that existed and
    are not var/ — /tmp, /srv/data — are left alone."""
    path = Path(path)
    missing: list[Path] = []
    current = path
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for directory in reversed(missing):
        try:
            directory.mkdir(mode=DIRECTORY_MODE)
        except FileExistsError:
            pass  # another process created it meanwhile
        os.chmod(directory, DIRECTORY_MODE)  # mkdir's mode is reduced by the umask; make it exact
    var = Path(project_var)
    if var.is_dir() and (path == var or var in path.parents):
        _tighten(var, DIRECTORY_MODE)
    return path


def private_file(path: str | os.PathLike, project_var: Path = PROJECT_VAR) -> Path:
    """Create the file 0600 if missing (its directory with private_directory); a file of the
    project's var/ that exists already is tightened to 0600 with its SQLite companions."""
    path = Path(path)
    private_directory(path.parent, project_var)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
    except FileExistsError:
        if Path(project_var) in path.parents:
            for companion in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
                if companion.exists():
                    _tighten(companion, FILE_MODE)
    return path


def private_sqlite(database: str | None, project_var: Path = PROJECT_VAR) -> None:
    """For a SQLite URL's database part: the file created 0600 before SQLite opens it."""
    if database and database != ":memory:" and not database.startswith("file:"):
        private_file(database, project_var)


def _tighten(path: Path, mode: int) -> None:
    try:
        if path.stat().st_uid == os.getuid() and path.stat().st_mode & 0o777 != mode:
            os.chmod(path, mode)
    except OSError:
        pass  # not ours to change: the directory's own mode still applies
