"""Password hashing with argon2id (argon2-cffi), and the rules a new password must meet.

Argon2id won the Password Hashing Competition and is the first choice of the OWASP Password
Storage Cheat Sheet; argon2-cffi's defaults follow RFC 9106's recommended parameters.

References
----------
Biryukov, A., Dinu, D., Khovratovich, D. and Josefsson, S. (2021). RFC 9106: Argon2 Memory-Hard
Function for Password Hashing and Proof-of-Work Applications. IETF.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from advocacy.errors import UsageError

#: Shorter passwords are refused (NIST SP 800-63B asks for at least 8; we ask for 12).
MINIMUM_LENGTH = 12

_HASHER = PasswordHasher()


def check_password_rules(password: str) -> None:
    """Raise :class:`UsageError` for a password too short to resist guessing."""
    if len(password) < MINIMUM_LENGTH:
        raise UsageError(
            f"the password has {len(password)} characters; at least {MINIMUM_LENGTH} are needed",
            parameter="--password",
            fix=f"choose a passphrase of {MINIMUM_LENGTH} or more characters",
        )


def hash_password(password: str) -> str:
    """The argon2id hash of ``password`` (salted; includes its parameters)."""
    return _HASHER.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``stored_hash``; never raises on a mismatch."""
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


#: Verified against when the user does not exist, so a miss costs as long as a hit.
DUMMY_HASH = _HASHER.hash("advocacy-no-such-user")
