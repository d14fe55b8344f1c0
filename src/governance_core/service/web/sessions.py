"""Signing in to the workbench: a person gives their token once and gets a session cookie
(HttpOnly, SameSite=Strict, Secure behind https) whose random id names a session the store
keeps (``SqlStore.sessions``, shared by every worker; the id hashed, the token by its id,
never its secret). Each form carries the session's CSRF token, checked on every POST; the
sign-in form itself a double-submit one. Every request checks the token again, so a token
revoked or expired ends its sessions at once."""

from __future__ import annotations

import hmac
import secrets
import string
from typing import final

import attrs

__all__ = ["COOKIE", "LOGIN_COOKIE", "Session", "new_key", "same"]

COOKIE = "governance_session"
LOGIN_COOKIE = "governance_signin"
_LETTERS = string.ascii_letters


def new_key(length: int = 40) -> str:
    """A random key of letters only: masking of ID-card and mobile numbers, which reads
    digits, can never touch it in a page."""
    return "".join(secrets.choice(_LETTERS) for _ in range(length))


def same(given: str | None, expected: str) -> bool:
    """Whether a submitted token is the expected one (compared in constant time)."""
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


@final
@attrs.frozen(slots=True)
class Session:
    """One signed-in browser: its session's id (the cookie) and its forms' CSRF token."""

    id: str
    csrf: str
