"""Columns that may hold personal data: written through :func:`~governance_core.files.
protection.protect` and read through ``reveal``, so that with a personal-data key the
database holds ID-card and mobile numbers only encrypted (docs/security.md)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, Text
from sqlalchemy.types import TypeDecorator

from governance_core.files.protection import protect, reveal

__all__ = ["ProtectedText", "protected"]


class _Protected(TypeDecorator[str]):
    """A text column whose personal data is encrypted at rest when a key is in use."""

    impl: Any = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        return protect(value) if isinstance(value, str) else value

    def process_result_value(self, value: Any, dialect: Any) -> Any:
        return reveal(value) if isinstance(value, str) else value


class ProtectedText(_Protected):
    impl = Text
    cache_ok = True


class _ProtectedString(_Protected):
    impl = String
    cache_ok = True


def protected(length: int) -> TypeDecorator[str]:
    """A VARCHAR(length) column of :class:`ProtectedText`."""
    return _ProtectedString(length)
