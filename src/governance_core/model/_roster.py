"""A roster: the organisations, people, posts and facts of a district, and dossiers from it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Iterator, Sequence
from datetime import date
from typing import Any, Protocol, TypeVar, final

import attrs

from governance_core.model._organisations import Organisation, OrganisationTree
from governance_core.model._people import (
    Amount,
    Count,
    Document,
    Finding,
    Grade,
    Person,
    Post,
    Rank,
)
from governance_core.model.dossier import Dossier

__all__ = ["Roster", "RosterIssue"]


class _PersonRow(Protocol):
    @property
    def person(self) -> str: ...


R = TypeVar("R")
P = TypeVar("P", bound=_PersonRow)


@final
@attrs.frozen(slots=True)
class RosterIssue:
    """A broken reference or duplicate in a roster: ``section``, row ``index``, ``field``."""

    section: str
    index: int
    field: str
    message: str


@final
@attrs.frozen(slots=True)
class Roster:
    """The raw records of a district.

    ``findings`` and ``documents`` are None when the roster does not record them at all, which
    makes every expression that reads them *unknown* rather than "none found".
    """

    people: tuple[Person, ...]
    organisations: tuple[Organisation, ...] = ()
    posts: tuple[Post, ...] = ()
    findings: tuple[Finding, ...] | None = None
    counts: tuple[Count, ...] = ()
    amounts: tuple[Amount, ...] = ()
    documents: tuple[Document, ...] | None = None
    grades: tuple[Grade, ...] = ()
    ranks: tuple[Rank, ...] = ()

    def issues(self) -> list[RosterIssue]:
        """Duplicate ids, references to missing people or organisations, a misshapen tree."""
        found: list[RosterIssue] = []
        found += _duplicates("people", self.people, lambda p: p.id)
        found += _duplicates("organisations", self.organisations, lambda o: o.id)
        tree = OrganisationTree(self.organisations)
        for i, org in enumerate(self.organisations):
            found += [RosterIssue("organisations", i, "parent", m) for m in tree.problems(org)]
        people = {p.id for p in self.people}
        sections: Sequence[tuple[str, Sequence[Any]]] = (
            ("posts", self.posts),
            ("findings", self.findings or ()),
            ("counts", self.counts),
            ("amounts", self.amounts),
            ("documents", self.documents or ()),
            ("grades", self.grades),
            ("ranks", self.ranks),
        )
        for section, rows in sections:
            for i, row in enumerate(rows):
                if row.person not in people:
                    found.append(RosterIssue(section, i, "person", f"no person {row.person!r}"))
        for i, post in enumerate(self.posts):
            if post.organisation not in tree:
                found.append(
                    RosterIssue(
                        "posts", i, "organisation", f"no organisation {post.organisation!r}"
                    )
                )
            if post.end is not None and post.end < post.start:
                found.append(RosterIssue("posts", i, "end", "the post ends before it starts"))
        found += _duplicates("findings", self.findings or (), lambda f: f.id)
        found += _duplicates("documents", self.documents or (), lambda d: d.id)
        return found

    def dossier(self, person_id: str, as_of: date) -> Dossier | None:
        """What is known of one person on ``as_of``; None for a person not in the roster."""
        found = self.dossiers(as_of, people=(person_id,))
        return found[0] if found else None

    def dossiers(self, as_of: date, *, people: Collection[str] | None = None) -> list[Dossier]:
        """One dossier per person (of ``people``, when given), ordered by person id, holding
        what is known on ``as_of``."""
        if people is not None:
            return attrs.evolve(
                self, people=tuple(p for p in self.people if p.id in people)
            ).dossiers(as_of)
        posts = _by_person(p for p in self.posts if p.start <= as_of)
        findings = _by_person(f for f in self.findings or () if f.established_on <= as_of)
        documents = _by_person(d for d in self.documents or () if d.dated <= as_of)
        counts = _latest(self.counts, as_of, lambda c: c.recorded_on, lambda c: c.name)
        amounts = _latest(self.amounts, as_of, lambda a: a.recorded_on, lambda a: a.name)
        grades = _latest(self.grades, as_of, lambda g: g.decided_on, lambda g: g.year)
        ranks = _latest(self.ranks, as_of, lambda r: r.decided_on, lambda r: r.period)
        return [
            Dossier(
                person=person,
                as_of=as_of,
                posts=tuple(posts.get(person.id, ())),
                findings=None if self.findings is None else tuple(findings.get(person.id, ())),
                counts={k: c.value for k, c in counts.get(person.id, {}).items()},
                amounts={k: a.value for k, a in amounts.get(person.id, {}).items()},
                documents=None if self.documents is None else tuple(documents.get(person.id, ())),
                grades={k: g.grade for k, g in grades.get(person.id, {}).items()},
                ranks={k: r.rank for k, r in ranks.get(person.id, {}).items()},
            )
            for person in sorted(self.people, key=lambda p: p.id)
        ]


def _duplicates(section: str, rows: Sequence[R], key: Callable[[R], str]) -> list[RosterIssue]:
    first: dict[str, int] = {}
    issues = []
    for i, row in enumerate(rows):
        k = key(row)
        if k in first:
            issues.append(
                RosterIssue(section, i, "id", f"duplicate id {k!r} (first at row {first[k] + 1})")
            )
        else:
            first[k] = i
    return issues


def _by_person(rows: Iterator[P]) -> dict[str, list[P]]:
    grouped: dict[str, list[P]] = defaultdict(list)
    for row in rows:
        grouped[row.person].append(row)
    return grouped


def _latest(
    rows: Sequence[P], as_of: date, when: Callable[[P], date], name: Callable[[P], Any]
) -> dict[str, dict[Any, P]]:
    """Per person and name, the row with the latest date on or before ``as_of``."""
    latest: dict[str, dict[Any, P]] = defaultdict(dict)
    for row in rows:
        day = when(row)
        if day > as_of:
            continue
        slot = latest[row.person]
        held = slot.get(name(row))
        if held is None or when(held) <= day:
            slot[name(row)] = row
    return latest
