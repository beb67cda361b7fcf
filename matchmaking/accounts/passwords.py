"""The password policy: 10 to 128 characters, not the e-mail, not a common one."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from matchmaking.i18n import lazy_gettext as _l

MIN_LENGTH = 10
MAX_LENGTH = 128
COMMON_PASSWORDS = Path(__file__).resolve().parent.parent / "data" / "common-passwords.txt"


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line and not line.startswith("#"))


def password_problem(password: str, email: str | None = None) -> str | None:
    """The first thing wrong with ``password``, in words for the user, or None."""
    if len(password) < MIN_LENGTH:
        return str(_l("The password must have at least %(n)d characters.", n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        return str(_l("The password can have at most %(n)d characters.", n=MAX_LENGTH))
    lowered = password.strip().lower()
    if email and lowered in {email.strip().lower(), email.strip().lower().split("@")[0]}:
        return str(_l("The password must not be your e-mail address."))
    if lowered in common_passwords():
        return str(_l("This password is too common and easy to guess. Choose another."))
    return None
