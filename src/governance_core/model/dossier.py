"""A dossier: what is known of one person as of one date."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import final

import attrs

from governance_core.model._effects import ImposedEffect
from governance_core.model._people import Document, Finding, Person, Post

__all__ = ["Dossier"]


@final
@attrs.frozen(slots=True)
class Dossier:
    """Everything an expression may read about ``person`` as of ``as_of``.

    ``findings`` and ``documents`` are None when the roster did not record them at all
    (unknown); an empty tuple means they were recorded and there are none. ``counts``,
    ``amounts``, ``grades`` (by year) and ``ranks`` (by period) hold the latest value recorded
    on or before ``as_of``; a name that is absent is unknown. ``effects`` are the person's
    effects in force on ``as_of`` (None: not known, as for findings).
    """

    person: Person
    as_of: date
    posts: tuple[Post, ...] = ()
    findings: tuple[Finding, ...] | None = None
    counts: Mapping[str, int] = attrs.field(factory=dict)
    amounts: Mapping[str, Decimal] = attrs.field(factory=dict)
    documents: tuple[Document, ...] | None = None
    grades: Mapping[int, str] = attrs.field(factory=dict)
    ranks: Mapping[str, int] = attrs.field(factory=dict)
    effects: tuple[ImposedEffect, ...] | None = None

    def current_posts(self) -> tuple[Post, ...]:
        """Posts held on ``as_of``."""
        return tuple(p for p in self.posts if p.held_on(self.as_of))
