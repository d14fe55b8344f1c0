"""People, the posts they hold, and what organs have established about them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import final

import attrs

from governance_core.model._organisations import Area

__all__ = ["Amount", "Count", "Document", "Finding", "Grade", "Person", "Post", "Rank"]


@final
@attrs.frozen(slots=True)
class Person:
    """A person. Optional facts left out are *unknown*, never assumed."""

    id: str
    name: str
    birth_date: date | None = None
    gender: str | None = None
    education: str | None = None
    party_member_since: date | None = None


@final
@attrs.frozen(slots=True)
class Post:
    """A role held in an organisation from ``start`` to ``end`` (inclusive; None = still held).

    Roles are the source's words (e.g. "党组织书记", "第一书记", "两委成员"). ``area`` says
    whether the post is rural (a village) or urban (a city community), where rules differ
    (9 or 7 basic conditions); None when the roster does not say.
    """

    person: str
    role: str
    organisation: str
    start: date
    end: date | None = None
    area: Area | None = None

    def held_on(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@final
@attrs.frozen(slots=True)
class Finding:
    """A fact an organ established on a date: a violation, a verified complaint, a commendation.

    ``kind`` is the condition's title as the district's registry names it (e.g. "涉黑涉恶").
    ``evidence`` references the file or decision that proves it.
    """

    id: str
    person: str
    kind: str
    established_on: date
    organ: str
    text: str = ""
    evidence: str | None = None


@final
@attrs.frozen(slots=True)
class Count:
    """How many times something happened, as recorded on a date (e.g. meetings missed)."""

    person: str
    name: str
    value: int
    recorded_on: date


@final
@attrs.frozen(slots=True)
class Amount:
    """A sum of money or other quantity, as recorded on a date; exact (Decimal)."""

    person: str
    name: str
    value: Decimal
    recorded_on: date
    unit: str = "元"


@final
@attrs.frozen(slots=True)
class Document:
    """A document on file (调研报告, 民情日记, one of the 12 personnel-file categories, …)."""

    id: str
    person: str
    kind: str
    dated: date


@final
@attrs.frozen(slots=True)
class Grade:
    """An annual assessment grade (e.g. 优秀, 称职) decided on a date."""

    person: str
    year: int
    grade: str
    decided_on: date


@final
@attrs.frozen(slots=True)
class Rank:
    """A place in a ranking for a period label (e.g. "2024-05", "2024-Q2")."""

    person: str
    period: str
    rank: int
    decided_on: date
    group: str | None = None
