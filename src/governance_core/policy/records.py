"""Parts every rule shares: a bilingual title, a citation, effective dates."""

from __future__ import annotations

from datetime import date
from typing import final

import attrs

__all__ = ["Citation", "Title", "in_effect"]


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
