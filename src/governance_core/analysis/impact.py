"""The impact of a change on real people (``governance diff``), as OpenFisca compares a reform
with its base over a population: two policy sets (the loaded one and one with overlays), or
one set on two dates, over the same roster and assessment inputs. Who changes outcome of
which list, and by which items; who changes grade or place, and by which rule; how many in
each town. And a structural diff of the two sets: the lists, items, parameters, grade
policies and procedure steps added, removed or changed, each with its citation."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, final

import attrs

from governance_core.engine import Engine
from governance_core.errors import Refusal
from governance_core.model import OrganisationTree, Roster
from governance_core.rules.criteria import ListVerdict
from governance_core.rules.criteria.kind import CRITERIA
from governance_core.rules.procedures.kind import PROCEDURES
from governance_core.rules.scoring import Assessment, Entry
from governance_core.rules.scoring.kind import SCORING
from governance_core.runtime import Actor, Permission, ProcessInstance, Runtime

Explain = Callable[[ListVerdict], str]
"""A verdict's outcome in words, for each side of a change."""

__all__ = [
    "GradeChange",
    "Impact",
    "OutcomeChange",
    "PointsChange",
    "StepChange",
    "StructureChange",
    "impact",
    "structure",
]


@final
@attrs.frozen(slots=True)
class OutcomeChange:
    """One person whose outcome of a list differs: before and after, the items whose
    status changed (item: before → after) and each side's explanation in words."""

    list: str
    person: str
    name: str
    town: str
    before: str
    after: str
    items: dict[str, tuple[str, str]]
    explained_before: str
    explained_after: str


@final
@attrs.frozen(slots=True)
class GradeChange:
    """One person whose grade or place under a grade policy differs, with the rule that
    decided each."""

    grade_policy: str
    person: str
    name: str
    town: str
    before: str | None
    after: str | None
    place_before: int | None
    place_after: int | None
    rule_before: str
    rule_after: str


@final
@attrs.frozen(slots=True)
class PointsChange:
    """One household whose points balance (or whether it is provisional) differs."""

    scheme: str
    household: str
    name: str
    town: str
    before: str
    after: str
    provisional_before: bool
    provisional_after: bool


@final
@attrs.frozen(slots=True)
class StepChange:
    """A step of an open procedure that one set allows and the other does not (for someone
    holding every role of the procedure: what differs is the state, the guards and the
    dates), with why the refusing set refuses: ``refusals`` by kind (what a program switches
    on), ``why`` their sentences."""

    instance: str
    process: str
    subject: str
    step: str
    before: bool
    after: bool
    why: tuple[str, ...]
    refusals: tuple[Refusal, ...] = ()


@final
@attrs.frozen(slots=True)
class StructureChange:
    """A record of the two sets added, removed or changed (``what`` says which part)."""

    section: str
    id: str
    change: str  # added | removed | changed
    what: str = ""
    citation: str = ""


@final
@attrs.frozen(slots=True)
class Impact:
    """Everything ``governance diff`` reports."""

    base_as_of: date
    other_as_of: date
    people: int
    outcomes: tuple[OutcomeChange, ...]
    grades: tuple[GradeChange, ...]
    points: tuple[PointsChange, ...]
    steps: tuple[StepChange, ...]
    by_town: dict[str, dict[str, int]]  # list or grade policy → town → people changed
    structure: tuple[StructureChange, ...]


def _towns(roster: Roster, day: date) -> dict[str, str]:
    tree = OrganisationTree(roster.organisations)
    towns: dict[str, str] = {}
    for post in roster.posts:
        if post.held_on(day) and post.person not in towns:
            town = tree.town_of(post.organisation)
            towns[post.person] = town.name if town is not None else ""
    return towns


def _changed(
    before: ListVerdict, after: ListVerdict, town: str, explain: Explain
) -> OutcomeChange | None:
    was = {i.id: i.status.value for i in before.items}
    now = {i.id: i.status.value for i in after.items}
    # in the list's order (the items removed last): a set's order would follow the hash seed
    order = [*now, *(k for k in was if k not in now)]
    items = {k: (was.get(k, "—"), now.get(k, "—")) for k in order if was.get(k) != now.get(k)}
    if before.outcome is after.outcome and before.conclusive == after.conclusive and not items:
        return None
    return OutcomeChange(
        after.list_id,
        after.person_id,
        after.person_name,
        town,
        before.outcome.value,
        after.outcome.value,
        items,
        explain(before),
        explain(after),
    )


def impact(
    base: Engine,
    other: Engine,
    roster: Roster,
    base_as_of: date,
    other_as_of: date,
    assessments: Sequence[tuple[str, Sequence[Entry]]] = (),
    explain: Explain = lambda verdict: verdict.outcome.value,
    *,
    ledgers: Sequence[Path] = (),
    recorded: Sequence[ListVerdict] = (),
    instances: Sequence[ProcessInstance] = (),
) -> Impact:
    """Every difference the two sets make for the people of ``roster`` (the entries of each
    assessment, by grade policy; the households of each ledger file). With ``recorded`` (a
    run's verdicts, as the store keeps them) the base is what was decided then; with
    ``instances`` (a store's open procedures) the steps each set allows on them.
    ``explain`` gives a verdict's outcome in words (the front end's: present.verdicts)."""
    towns = _towns(roster, other_as_of)
    outcomes: list[OutcomeChange] = []
    by_town: dict[str, Counter[str]] = {}
    for before, after in _pairs(base, other, roster, base_as_of, other_as_of, recorded):
        found = _changed(before, after, towns.get(after.person_id, ""), explain)
        if found is not None:
            outcomes.append(found)
            by_town.setdefault(found.list, Counter())[found.town] += 1
    grades = list(_grade_changes(base, other, assessments, base_as_of, other_as_of, towns, roster))
    for g in grades:
        by_town.setdefault(g.grade_policy, Counter())[g.town] += 1
    points = [c for path in ledgers for c in _points(base, other, path, base_as_of, other_as_of)]
    for c in points:
        by_town.setdefault(c.scheme, Counter())[c.town] += 1
    steps = list(_step_changes(base, other, roster, instances, base_as_of, other_as_of))
    return Impact(
        base_as_of,
        other_as_of,
        len(roster.people),
        tuple(outcomes),
        tuple(grades),
        tuple(points),
        tuple(steps),
        {k: dict(sorted(v.items())) for k, v in by_town.items()},
        tuple(structure(base, other)),
    )


def _allowed(
    engine: Engine, runtime: Runtime, instance: ProcessInstance, day: date
) -> dict[str, Permission]:
    """What ``runtime`` allows on ``instance`` on ``day`` for someone holding every role of
    its procedure, the instance taken as running under the loaded definition (a diff asks
    what the set would allow, not whether the instance was migrated)."""
    definition = engine.policies.of(PROCEDURES)[instance.process]
    pinned = attrs.evolve(
        instance, process_version=definition.version, definition_hash=definition.content_hash()
    )
    actor = Actor("diff", frozenset(r.id for r in definition.roles))
    at = datetime.combine(max(day, instance.entered_on), datetime.min.time())
    return {p.step: p for p in runtime.allowed(pinned, actor, at)}


def _step_changes(
    base: Engine,
    other: Engine,
    roster: Roster,
    instances: Sequence[ProcessInstance],
    base_as_of: date,
    other_as_of: date,
) -> Iterator[StepChange]:
    from governance_core.runtime import MemoryStore

    # runtimes in memory: a diff writes nothing to the store the instances come from
    before_rt = base.runtime(MemoryStore(), roster=roster)
    after_rt = other.runtime(MemoryStore(), roster=roster)
    shared = set(base.policies.of(PROCEDURES)) & set(other.policies.of(PROCEDURES))
    for instance in instances:
        if instance.process not in shared:
            continue
        before = _allowed(base, before_rt, instance, base_as_of)
        after = _allowed(other, after_rt, instance, other_as_of)
        for step in sorted(set(before) | set(after)):
            was, now = before.get(step), after.get(step)
            a, b = bool(was and was.allowed), bool(now and now.allowed)
            if a != b:
                refusing = now if a else was
                refusals = refusing.refusals if refusing is not None else ()
                yield StepChange(
                    instance.id,
                    instance.process,
                    instance.subject,
                    step,
                    a,
                    b,
                    tuple(r.message for r in refusals),
                    tuple(refusals),
                )


def _pairs(
    base: Engine,
    other: Engine,
    roster: Roster,
    base_as_of: date,
    other_as_of: date,
    recorded: Sequence[ListVerdict],
) -> Iterator[tuple[ListVerdict, ListVerdict]]:
    """Each person's verdict of each list under both sets (the base's as recorded, when a
    run's verdicts are given)."""
    if recorded:
        for list_id in sorted({v.list_id for v in recorded} & set(other.policies.of(CRITERIA))):
            was = [v for v in recorded if v.list_id == list_id]
            dossiers = roster.dossiers(other_as_of, people={v.person_id for v in was})
            now = {v.person_id: v for v in other.evaluate(list_id, dossiers, other_as_of)}
            yield from ((v, now[v.person_id]) for v in was if v.person_id in now)
        return
    before_dossiers = roster.dossiers(base_as_of)
    after_dossiers = roster.dossiers(other_as_of)
    for list_id in sorted(set(base.policies.of(CRITERIA)) & set(other.policies.of(CRITERIA))):
        befores = base.evaluate(list_id, before_dossiers, base_as_of)
        afters = other.evaluate(list_id, after_dossiers, other_as_of)
        yield from zip(befores, afters, strict=True)


def _points(
    base: Engine, other: Engine, path: Path, base_as_of: date, other_as_of: date
) -> Iterator[PointsChange]:
    before, after = base.read_ledger(path), other.read_ledger(path)
    for household in after.households():
        a = before.statement(household.id, base_as_of)
        b = after.statement(household.id, other_as_of)
        if (a.balance, a.provisional) != (b.balance, b.provisional):
            yield PointsChange(
                after.catalogue.scheme.id,
                household.id,
                household.name,
                household.town,
                str(a.balance),
                str(b.balance),
                a.provisional,
                b.provisional,
            )


def _grade_changes(
    base: Engine,
    other: Engine,
    assessments: Sequence[tuple[str, Sequence[Entry]]],
    base_as_of: date,
    other_as_of: date,
    towns: dict[str, str],
    roster: Roster,
) -> Iterator[GradeChange]:
    for policy, entries in assessments:
        before: Assessment = base.assess(policy, entries, base_as_of, roster=roster)
        after: Assessment = other.assess(policy, entries, other_as_of, roster=roster)
        was = {g.person_id: g for g in before.graded}
        for g in after.graded:
            old = was.get(g.person_id)
            if old is None or (old.grade, old.place) != (g.grade, g.place):
                yield GradeChange(
                    policy,
                    g.person_id,
                    g.name,
                    towns.get(g.person_id, "") or "·".join(g.group),
                    old.grade if old else None,
                    g.grade,
                    old.place if old else None,
                    g.place,
                    old.rule if old else "",
                    g.rule,
                )


# --- the structural diff -------------------------------------------------------------


def _cited(record: Any) -> str:
    citation = getattr(record, "citation", None)
    return str(citation) if citation is not None else ""


def structure(base: Engine, other: Engine) -> Iterator[StructureChange]:
    """What the two sets hold differently, record by record."""
    a, b = base.policies, other.policies
    sections: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
        (
            "lists",
            {k: v.criteria for k, v in a.of(CRITERIA).items()},
            {k: v.criteria for k, v in b.of(CRITERIA).items()},
        ),
        ("parameters", dict(a.parameters), dict(b.parameters)),
        ("grade_policies", dict(a.of(SCORING).grade_policies), dict(b.of(SCORING).grade_policies)),
        ("rubrics", dict(a.of(SCORING).rubrics), dict(b.of(SCORING).rubrics)),
        ("processes", dict(a.of(PROCEDURES)), dict(b.of(PROCEDURES))),
    ]
    for section, ours, theirs in sections:
        for key in sorted(set(ours) | set(theirs)):
            if key not in theirs:
                yield StructureChange(section, key, "removed", citation=_cited(ours[key]))
            elif key not in ours:
                yield StructureChange(section, key, "added", citation=_cited(theirs[key]))
            elif ours[key] != theirs[key]:
                yield from _parts(section, key, ours[key], theirs[key])


def _parts(section: str, key: str, ours: Any, theirs: Any) -> Iterator[StructureChange]:
    """The parts of one record that differ: a list's items, a procedure's steps, or the
    record's own fields."""
    parts = {"lists": "items", "processes": "steps"}.get(section)
    if parts is None:
        fields = [
            f.name
            for f in attrs.fields(type(ours))
            if getattr(ours, f.name) != getattr(theirs, f.name)
        ]
        yield StructureChange(section, key, "changed", ", ".join(fields), _cited(theirs))
        return
    was = {p.id: p for p in getattr(ours, parts)}
    now = {p.id: p for p in getattr(theirs, parts)}
    for part in sorted(set(was) | set(now)):
        if part not in now:
            yield StructureChange(section, f"{key}/{part}", "removed", parts, _cited(was[part]))
        elif part not in was:
            yield StructureChange(section, f"{key}/{part}", "added", parts, _cited(now[part]))
        elif was[part] != now[part]:
            fields = [
                f.name
                for f in attrs.fields(type(now[part]))
                if getattr(was[part], f.name) != getattr(now[part], f.name)
            ]
            yield StructureChange(
                section, f"{key}/{part}", "changed", ", ".join(fields), _cited(now[part])
            )
    rest = [
        f.name
        for f in attrs.fields(type(ours))
        if f.name != parts and getattr(ours, f.name) != getattr(theirs, f.name)
    ]
    if rest:
        yield StructureChange(section, key, "changed", ", ".join(rest), _cited(theirs))
