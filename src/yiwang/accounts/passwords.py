"""Password hashing (argon2id) and the rules a new password must meet."""

from __future__ import annotations

import asyncio
import secrets

from pwdlib import PasswordHash

from yiwang.kit.errors import AppError, Invalid
from yiwang.kit.i18n import N_

_hasher = PasswordHash.recommended()
# Verified against when the login is unknown, so both paths cost the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


async def hash_password(password: str) -> str:
    # Argon2 takes tens of milliseconds of CPU: off the event loop.
    return await asyncio.to_thread(_hasher.hash, password)


async def verify_password(password: str, hashed: str | None) -> bool:
    return await asyncio.to_thread(_hasher.verify, password, hashed or _DUMMY_HASH)


def password_problems(password: str, field: str = "password") -> list[AppError]:
    if len(password) < 10:
        return [Invalid(N_("The password needs at least 10 characters."), field=field)]
    if password.isdigit() or password.isalpha():
        return [Invalid(N_("Use both letters and digits in the password."), field=field)]
    return []
