"""Memory given back after a large request: CPython keeps freed objects' memory for reuse and
the C library keeps freed heap pages, so a server that read one 8 MiB body would hold the
hundreds of megabytes its values took until it stops. After a request whose body was large,
the garbage is collected and the C library asked to return its free pages (``malloc_trim``,
where the C library has it)."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["LARGE_BODY", "Trimming"]

LARGE_BODY = 1024 * 1024
"""A body at least this large is followed by giving memory back."""


def _trimmer() -> Callable[[int], Any] | None:
    name = ctypes.util.find_library("c")
    try:
        return getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
    except OSError:
        return None


_TRIM = _trimmer()


class Trimming:
    """ASGI middleware: after a request whose declared body is :data:`LARGE_BODY` or more,
    collect the garbage and give the free heap back to the system."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        finally:
            if scope["type"] == "http" and _declared(scope) >= LARGE_BODY:
                gc.collect()
                if _TRIM is not None:
                    _TRIM(0)


def _declared(scope: Scope) -> int:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            return int(value) if value.isdigit() else 0
    return 0
