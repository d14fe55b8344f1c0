"""Parts every rule shares: a bilingual title, a citation, effective dates."""

from __future__ import annotations

import enum
from datetime import date
from typing import final

import attrs

__all__ = ["Citation", "Supplier", "SupplierKind", "Title", "in_effect"]


@final
@attrs.frozen(slots=True)
class Title:
    """A rule's title: Chinese exactly as the source writes it, and English."""

    zh: str
    en: str

    def in_language(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@final
@attrs.frozen(slots=True)
class Citation:
    """Where a rule comes from: document title, article or paragraph, source file.

    ``note`` records what the source leaves unsaid and how the encoding handles it.
    """

    document: str
    article: str
    source: str
    note: str | None = None

    def __str__(self) -> str:
        return f"《{self.document}》{self.article} ({self.source})"


def in_effect(day: date, start: date | None, end: date | None) -> bool:
    """Whether ``day`` lies in the inclusive range [start, end]; None is open-ended."""
    return (start is None or start <= day) and (end is None or day <= end)


class SupplierKind(enum.Enum):
    """Where a rule came from."""

    BUILT_IN = "built-in"
    PLUGIN = "plugin"
    OVERLAY = "overlay"
    FILE = "file"


@final
@attrs.frozen(slots=True, order=True)
class Supplier:
    """Who supplied a rule, and which version: a plugin (its distribution's version), an
    overlay file (the version it declares), a policy file passed directly, or the library.
    Shown beside every item of a verdict."""

    kind: SupplierKind = attrs.field(order=lambda k: k.value)
    name: str
    version: str = ""

    def __str__(self) -> str:
        version = f" {self.version}" if self.version else ""
        return f"{self.kind.value} {self.name}{version}"
