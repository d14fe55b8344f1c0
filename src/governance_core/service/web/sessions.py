"""Signing in to the workbench: a person gives their token once and gets a session cookie
(HttpOnly, SameSite=Strict, Secure behind https), whose id names the token in the server's
memory, never in the browser. Each form carries the session's CSRF token, checked on every
POST; the sign-in form itself a double-submit one. Every request checks the token again, so
a token revoked or expired ends its sessions at once."""

from __future__ import annotations

import hmac
import secrets
import string
import threading
import time
from collections import OrderedDict
from typing import final

import attrs

__all__ = ["COOKIE", "LOGIN_COOKIE", "Session", "Sessions", "new_key"]

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
    """One signed-in browser: the token it signed in with and its forms' CSRF token."""

    id: str
    token: str
    csrf: str
    last_seen: float


@final
class Sessions:
    """The signed-in sessions of one service, in memory: a restart signs everyone out. At most
    ``most`` (the oldest is dropped), each ended after ``idle_seconds`` without a request."""

    __slots__ = ("_by_id", "_lock", "idle_seconds", "most")

    def __init__(self, idle_seconds: float = 8 * 3600, most: int = 10_000) -> None:
        self.idle_seconds, self.most = idle_seconds, most
        self._by_id: OrderedDict[str, Session] = OrderedDict()
        self._lock = threading.Lock()

    def open(self, token: str) -> Session:
        """A new session for ``token`` (which the caller has verified)."""
        session = Session(new_key(), token, new_key(), time.monotonic())
        with self._lock:
            self._by_id[session.id] = session
            while len(self._by_id) > self.most:
                self._by_id.popitem(last=False)
        return session

    def find(self, session_id: str | None) -> Session | None:
        """The live session of ``session_id``, its idle time restarted; None when there is
        none or it has been idle too long."""
        if not session_id:
            return None
        now = time.monotonic()
        with self._lock:
            found = self._by_id.get(session_id)
            if found is None:
                return None
            if now - found.last_seen > self.idle_seconds:
                del self._by_id[session_id]
                return None
            renewed = attrs.evolve(found, last_seen=now)
            self._by_id[session_id] = renewed
            self._by_id.move_to_end(session_id)
            return renewed

    def close(self, session_id: str | None) -> None:
        """End a session (signing out)."""
        with self._lock:
            self._by_id.pop(session_id or "", None)
