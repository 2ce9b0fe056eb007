"""The first admin account, made by `make run` when none exists.

Its password is generated, printed once on the terminal and must be changed at the
first login (the console opens no other page until it is); it is never written to a
file or a log.
"""
from __future__ import annotations

from console.accounts import AccountError, AccountStore, generate_password
from console.messages import message

FIRST_ADMIN = "admin"


def ensure_first_admin(store: AccountStore, username: str = FIRST_ADMIN) -> tuple[str, str] | None:
    """(username, one-time password) when an admin was created now; None when one exists."""
    if store.has_admin():
        return None
    password = generate_password()
    name = username
    for suffix in range(1, 100):
        try:
            store.create(name, "admin", password, must_change=True)
            return name, password
        except AccountError:  # a disabled or non-admin account already has the name
            name = f"{username}{suffix}"
    raise AccountError(message("accounts.cannot_bootstrap"))
