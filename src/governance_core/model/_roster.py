"""A roster: the organisations, people, posts and facts of a district, and dossiers from it."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import date
from typing import Any, Protocol, TypeVar, final

import attrs

from governance_core.messages import _
from governance_core.model._effects import ImposedEffect
from governance_core.model._organisations import (
    Organisation,
    OrganisationRecord,
    OrganisationTree,
)
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
    makes every expression that reads them *unknown* rather than "none found". ``effects``
    likewise: None when neither the roster nor a store gives them (a store's effects are
    added with :meth:`with_effects`).
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
    effects: tuple[ImposedEffect, ...] | None = None
    organisation_records: tuple[OrganisationRecord, ...] = ()
    # every person's rows, built on first use; not a field of the file format (init=False
    # fields are neither read nor written) and not part of equality
    _index: dict[str, _Rows] = attrs.field(init=False, factory=dict, eq=False, repr=False)

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
            ("effects", self.effects or ()),
        )
        for section, rows in sections:
            for i, row in enumerate(rows):
                if row.person not in people:
                    found.append(
                        RosterIssue(
                            section,
                            i,
                            "person",
                            _("no person {person!r}").format(person=row.person),
                        )
                    )
        for i, post in enumerate(self.posts):
            if post.organisation not in tree:
                found.append(
                    RosterIssue(
                        "posts",
                        i,
                        "organisation",
                        _("no organisation {organisation!r}").format(
                            organisation=post.organisation
                        ),
                    )
                )
            if post.end is not None and post.end < post.start:
                found.append(RosterIssue("posts", i, "end", _("the post ends before it starts")))
        found += _duplicates("findings", self.findings or (), lambda f: f.id)
        found += _duplicates("effects", self.effects or (), lambda e: e.id)
        found += _duplicates("documents", self.documents or (), lambda d: d.id)
        found += _duplicates("organisation_records", self.organisation_records, lambda r: r.id)
        for i, record in enumerate(self.organisation_records):
            if record.organisation not in tree:
                message = _("no organisation {organisation!r}").format(
                    organisation=record.organisation
                )
                found.append(RosterIssue("organisation_records", i, "organisation", message))
        return found

    def with_effects(self, effects: Sequence[ImposedEffect]) -> Roster:
        """This roster with ``effects`` added to its own (a store's, known even when empty);
        an effect it holds already (the same id) is not added twice."""
        held = self.effects or ()
        ids = {e.id for e in held}
        return attrs.evolve(self, effects=(*held, *(e for e in effects if e.id not in ids)))

    def dossier(self, person_id: str, as_of: date) -> Dossier | None:
        """What is known of one person on ``as_of``; None for a person not in the roster.
        Reads only that person's rows (an index built once per roster), so a guard asking
        about one subject does not walk a roster of 100,000."""
        rows = self._rows().get(person_id)
        return None if rows is None else rows.dossier(as_of, self)

    def dossiers(self, as_of: date, *, people: Collection[str] | None = None) -> list[Dossier]:
        """One dossier per person (of ``people``, when given), ordered by person id, holding
        what is known on ``as_of``."""
        index = self._rows()
        chosen = sorted(index) if people is None else sorted(p for p in index if p in people)
        return [index[person_id].dossier(as_of, self) for person_id in chosen]

    def _rows(self) -> dict[str, _Rows]:
        """Every person's rows, by person id, in the roster's order (built on first use; the
        roster is frozen, so it never goes stale)."""
        if not self._index:
            index = {p.id: _Rows(p) for p in self.people}
            sections = (
                ("posts", self.posts),
                ("findings", self.findings or ()),
                ("documents", self.documents or ()),
                ("effects", self.effects or ()),
                ("counts", self.counts),
                ("amounts", self.amounts),
                ("grades", self.grades),
                ("ranks", self.ranks),
            )
            for name, rows in sections:
                for row in rows:
                    held = index.get(row.person)
                    if held is not None:  # a row of someone not in the roster: issues() says so
                        getattr(held, name).append(row)
            self._index.update(index)
        return self._index


@attrs.define(slots=True)
class _Rows:
    """One person's rows of each section, in the roster's order."""

    person: Person
    posts: list[Post] = attrs.field(factory=list)
    findings: list[Finding] = attrs.field(factory=list)
    documents: list[Document] = attrs.field(factory=list)
    counts: list[Count] = attrs.field(factory=list)
    amounts: list[Amount] = attrs.field(factory=list)
    grades: list[Grade] = attrs.field(factory=list)
    ranks: list[Rank] = attrs.field(factory=list)
    effects: list[ImposedEffect] = attrs.field(factory=list)

    def dossier(self, as_of: date, roster: Roster) -> Dossier:
        # most people have few rows of each kind: an empty section costs nothing
        return Dossier(
            person=self.person,
            as_of=as_of,
            posts=tuple(p for p in self.posts if p.start <= as_of) if self.posts else (),
            findings=None
            if roster.findings is None
            else tuple(f for f in self.findings if f.established_on <= as_of),
            counts=_latest(self.counts, as_of, _COUNT) if self.counts else {},
            amounts=_latest(self.amounts, as_of, _AMOUNT) if self.amounts else {},
            documents=None
            if roster.documents is None
            else tuple(d for d in self.documents if d.dated <= as_of),
            grades=_latest(self.grades, as_of, _GRADE) if self.grades else {},
            ranks=_latest(self.ranks, as_of, _RANK) if self.ranks else {},
            effects=None
            if roster.effects is None
            else tuple(e for e in self.effects if e.in_force(as_of)),
        )


def _duplicates(section: str, rows: Sequence[R], key: Callable[[R], str]) -> list[RosterIssue]:
    first: dict[str, int] = {}
    issues = []
    for i, row in enumerate(rows):
        k = key(row)
        if k in first:
            issues.append(
                RosterIssue(
                    section,
                    i,
                    "id",
                    _("duplicate id {k!r} (first at row {value})").format(k=k, value=first[k] + 1),
                )
            )
        else:
            first[k] = i
    return issues


# per dated section: the row's date, the name it is kept under, the value a dossier holds
_COUNT = (lambda c: c.recorded_on, lambda c: c.name, lambda c: c.value)
_AMOUNT = (lambda a: a.recorded_on, lambda a: a.name, lambda a: a.value)
_GRADE = (lambda g: g.decided_on, lambda g: g.year, lambda g: g.grade)
_RANK = (lambda r: r.decided_on, lambda r: r.period, lambda r: r.rank)


def _latest(
    rows: Sequence[P],
    as_of: date,
    read: tuple[Callable[[P], date], Callable[[P], Any], Callable[[P], Any]],
) -> dict[Any, Any]:
    """Per name, the value of the row with the latest date on or before ``as_of`` (of one
    person's rows; of two on the same day, the later in the roster)."""
    when, name, value = read
    latest: dict[Any, P] = {}
    for row in rows:
        day = when(row)
        if day > as_of:
            continue
        held = latest.get(name(row))
        if held is None or when(held) <= day:
            latest[name(row)] = row
    return {k: value(row) for k, row in latest.items()}
