"""Public work codes: one policy for every play type.

A code is the play type's prefix and random characters of Crockford's base32 alphabet
(no I, L, O, U). Uniqueness is the unique index's job, never a check-then-insert: the
statement that sets the code runs in a savepoint, and a unique violation rolls back to
it and tries a new code, at most `MAX_ATTEMPTS` times. A work keeps its code for good
(unpublishing and publishing again reuse it).
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable

from db.errors import is_unique_violation
from db.transactions import current_transaction

CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
MAX_ATTEMPTS = 5


class PublicCodeExhausted(RuntimeError):
    """Every attempt collided: with 40+ random bits per code this means a broken generator."""


def new_public_code(prefix: str, length: int) -> str:
    return prefix + "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


async def assign_public_code(
    *,
    existing: str | None,
    prefix: str,
    length: int,
    write: Callable[[str], Awaitable[None]],
) -> str:
    """The work's code: `existing` when it has one, else a new one that `write(code)` stored.

    Call inside the publishing transaction; `write` is the one statement that sets the
    code column (a unique index guards it).
    """
    if existing:
        return existing
    transaction = current_transaction()
    for _ in range(MAX_ATTEMPTS):
        code = new_public_code(prefix, length)
        savepoint = await transaction.savepoint()
        try:
            await write(code)
        except Exception as error:
            if not is_unique_violation(error):
                raise
            await savepoint.rollback_to()
            continue
        await savepoint.release()
        return code
    raise PublicCodeExhausted(f"no free public code with prefix {prefix!r}")
