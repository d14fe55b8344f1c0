"""Hypothesis strategies for the library's records, consistent by construction: a post starts
before the dossier's date and ends after it starts, a finding is established on or before it,
every row of a roster names a person and an organisation of that roster, and a tree's levels
nest (district → towns → villages and communities).

Registered through hypothesis's entry point (``[project.entry-points.hypothesis]``), so
``st.from_type(Dossier)`` draws from :func:`dossiers` once governance_core is installed.
Strategies derived from a loaded policy are in :mod:`governance_core.testing.derived`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import strategies as st

from governance_core.model import (
    Area,
    Document,
    Dossier,
    EffectKind,
    Finding,
    Grade,
    ImposedEffect,
    Organisation,
    OrgLevel,
    Person,
    Post,
    Roster,
)
from governance_core.rules.scoring import Ballots

__all__ = [
    "AS_OF",
    "ballots",
    "dates",
    "documents",
    "dossiers",
    "effects",
    "findings",
    "organisation_leaves",
    "organisation_trees",
    "people",
    "posts",
    "rosters",
]

AS_OF = date(2024, 6, 30)
"""The date the strategies build around unless told otherwise."""

# illustrative values only: a strategy's defaults, never policy content
_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
_GIVEN = "建国华明丽军芳强敏静伟秀英海燕志红平"
_EDUCATION = ("初中", "高中", "中专", "大专", "本科", "研究生")
_ROLES = ("党组织书记", "村委会主任", "两委成员", "第一书记")
_FINDING_KINDS = ("违纪", "长期不履职", "群众反映强烈", "工作不力")
_DOCUMENT_KINDS = ("党员关系", "教育学历", "奖励处分", "述职报告")
_GRADES = ("优秀", "称职", "基本称职", "不称职")
_KINDS = ("posts", "findings", "documents", "grades", "counts", "effects")


def dates(earliest: date = date(1990, 1, 1), latest: date = AS_OF) -> st.SearchStrategy[date]:
    """Days from ``earliest`` to ``latest``, both included."""
    return st.dates(min_value=earliest, max_value=latest)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@st.composite
def people(draw: st.DrawFn, person_id: str | None = None, *, as_of: date = AS_OF) -> Person:
    """A person aged 22 to 70 on ``as_of``; party membership, when any, after 18."""
    born = draw(dates(_years_before(as_of, 70), _years_before(as_of, 22)))
    member = draw(st.none() | dates(_years_before(born, -18), as_of))
    return Person(
        person_id or draw(st.integers(1, 99_999).map(lambda n: f"p{n:05d}")),
        draw(st.sampled_from(_SURNAMES)) + draw(st.text(_GIVEN, min_size=1, max_size=2)),
        birth_date=born,
        gender=draw(st.sampled_from(("男", "女"))),
        education=draw(st.sampled_from(_EDUCATION)),
        party_member_since=member,
    )


@st.composite
def organisation_trees(
    draw: st.DrawFn, *, towns: tuple[int, int] = (1, 4), villages: tuple[int, int] = (1, 6)
) -> tuple[Organisation, ...]:
    """A district, its towns, and their villages and communities; ids ``d``, ``t1``,
    ``t1v1``…"""
    tree = [Organisation("d", "示例区", OrgLevel.DISTRICT)]
    for t in range(1, draw(st.integers(*towns)) + 1):
        tree.append(Organisation(f"t{t}", f"示例{t}镇", OrgLevel.TOWN, "d"))
        for v in range(1, draw(st.integers(*villages)) + 1):
            level = draw(st.sampled_from((OrgLevel.VILLAGE, OrgLevel.COMMUNITY)))
            suffix = "村" if level is OrgLevel.VILLAGE else "社区"
            tree.append(Organisation(f"t{t}v{v}", f"示例{t}-{v}{suffix}", level, f"t{t}"))
    return tuple(tree)


@st.composite
def posts(
    draw: st.DrawFn,
    person_id: str,
    organisation_ids: Sequence[str] = ("t1v1",),
    *,
    as_of: date = AS_OF,
    roles: Sequence[str] = _ROLES,
    years: Sequence[int] = (),
    held: bool = False,
) -> Post:
    """A post started on or before ``as_of``, ending (if at all) after it started. ``years``
    are tenures worth hitting exactly (a threshold and its neighbours): the start is then
    often that many years back. ``held``: still held, in a known area."""
    near_threshold: bool = draw(st.booleans())
    if years and near_threshold:
        start = _years_before(as_of, max(draw(st.sampled_from(list(years))), 0))
    else:
        start = draw(dates(_years_before(as_of, 20), as_of))
    end = None if held else draw(st.none() | dates(start, _years_before(as_of, -2)))
    areas = st.sampled_from(Area)
    return Post(
        person_id,
        draw(st.sampled_from(list(roles))),
        draw(st.sampled_from(list(organisation_ids))),
        start,
        end,
        draw(areas if held else st.none() | areas),
    )


@st.composite
def findings(
    draw: st.DrawFn,
    person_id: str,
    *,
    as_of: date = AS_OF,
    kinds: Sequence[str] = _FINDING_KINDS,
) -> Finding:
    """A finding of one of ``kinds``, established on or before ``as_of``."""
    return Finding(
        draw(st.integers(1, 999_999).map(lambda n: f"F{n:06d}")),
        person_id,
        draw(st.sampled_from(list(kinds))),
        draw(dates(_years_before(as_of, 6), as_of)),
        "镇党委",
        evidence=draw(st.none() | st.just("认定文书")),
    )


@st.composite
def documents(
    draw: st.DrawFn, person_id: str, *, as_of: date = AS_OF, kinds: Sequence[str] = _DOCUMENT_KINDS
) -> Document:
    """A document of one of ``kinds``, dated on or before ``as_of``."""
    return Document(
        draw(st.integers(1, 999_999).map(lambda n: f"D{n:06d}")),
        person_id,
        draw(st.sampled_from(list(kinds))),
        draw(dates(_years_before(as_of, 10), as_of)),
    )


@st.composite
def effects(
    draw: st.DrawFn, person_id: str, *, as_of: date = AS_OF, names: Sequence[str] = ("—",)
) -> ImposedEffect:
    """An effect in force on ``as_of``: a bar on one of ``names`` or a label or duty whose id
    is one of them (the words a list's ``barred_from`` and ``has_effect`` ask about)."""
    kind = draw(st.sampled_from(list(EffectKind)))
    name = draw(st.sampled_from(list(names)))
    starts = draw(dates(_years_before(as_of, 2), as_of))
    return ImposedEffect(
        draw(st.integers(1, 999_999).map(lambda n: f"E{n:06d}")),
        name,
        person_id,
        kind,
        starts,
        ends=draw(st.none() | dates(as_of, date(as_of.year + 2, 12, 31))),
        bars=name if kind is EffectKind.BAR else None,
    )


@st.composite
def dossiers(
    draw: st.DrawFn,
    *,
    as_of: date = AS_OF,
    roles: Sequence[str] = _ROLES,
    finding_kinds: Sequence[str] = _FINDING_KINDS,
    document_kinds: Sequence[str] = _DOCUMENT_KINDS,
    grades: Sequence[str] = _GRADES,
    count_names: Sequence[str] = (),
    numbers: Sequence[int] = (),
    filled: Collection[str] = (),
    nothing_else: bool = False,
    effect_names: Sequence[str] = ("—",),
) -> Dossier:
    """What is known of one person on ``as_of``: posts, findings and documents (or None:
    not recorded), counts, last years' grades. ``numbers`` are values worth hitting exactly
    (thresholds): counts and tenures are often drawn from them.

    ``filled`` names kinds of fact (``posts``, ``findings``, ``documents``, ``grades``,
    ``counts``) recorded with at least one row each, posts still held in a known area and a
    grade for last year, ``effects`` in force (bars on, or effects of, ``effect_names``); with
    ``nothing_else`` every other kind is recorded empty. Both serve
    dossiers meant to meet a condition: the facts it reads, and nothing to spoil a merge."""

    def kind(name: str, rows: st.SearchStrategy[Any], empty: Any) -> Any:
        if name in filled:
            return draw(rows)
        if nothing_else:
            return empty
        return draw(rows if empty == {} else st.none() | rows)

    least = {name: 1 if name in filled else 0 for name in _KINDS}
    person = draw(people(as_of=as_of))
    near = sorted({n + d for n in numbers for d in (-1, 0, 1)} | {0})
    values = st.sampled_from(near) | st.integers(0, 12) if numbers else st.integers(0, 12)
    held = "posts" in filled
    post_rows = st.lists(
        posts(person.id, as_of=as_of, roles=roles, years=near, held=held),
        min_size=least["posts"],
        max_size=3,
    )
    found = kind(
        "findings",
        st.lists(
            findings(person.id, as_of=as_of, kinds=finding_kinds),
            min_size=least["findings"],
            max_size=3,
        ),
        (),
    )
    papers = kind(
        "documents",
        st.lists(
            documents(person.id, as_of=as_of, kinds=document_kinds),
            min_size=least["documents"],
            max_size=3,
        ),
        (),
    )
    imposed = kind(
        "effects",
        st.lists(
            effects(person.id, as_of=as_of, names=effect_names),
            min_size=least["effects"],
            max_size=2,
        ),
        (),
    )
    grade = st.sampled_from(list(grades))
    last = {as_of.year - 1: grade} if "grades" in filled else {}
    earlier = range(as_of.year - 3, as_of.year - (1 if last else 0))
    return Dossier(
        person=person,
        as_of=as_of,
        posts=tuple(p for p in kind("posts", post_rows, ()) or () if p.start <= as_of),
        findings=None if found is None else tuple(found),
        counts=kind(
            "counts",
            st.dictionaries(
                st.sampled_from(list(count_names) or ["次数"]), values, min_size=least["counts"]
            ),
            {},
        ),
        amounts={}
        if nothing_else
        else draw(
            st.dictionaries(
                st.just("金额"),
                st.decimals(0, 1_000_000, places=2, allow_nan=False).map(Decimal),
                max_size=1,
            )
        ),
        documents=None if papers is None else tuple(papers),
        effects=None if imposed is None else tuple(imposed),
        grades=kind(
            "grades",
            st.fixed_dictionaries(last, optional=dict.fromkeys(earlier, grade)),
            {},
        ),
    )


@st.composite
def ballots(
    draw: st.DrawFn, answers: Sequence[str] = ("满意", "基本满意", "不满意"), *, eligible: int = 0
) -> Ballots:
    """A vote's figures: those eligible, and ballots cast by answer, never more than them."""
    voters = eligible or draw(st.integers(1, 300))
    cast: dict[str, int] = {}
    left = voters
    for answer in answers:
        n = draw(st.integers(0, left))
        cast[answer] = n
        left -= n
    return Ballots(voters, cast)


@st.composite
def rosters(
    draw: st.DrawFn,
    *,
    as_of: date = AS_OF,
    people_count: tuple[int, int] = (1, 12),
    roles: Sequence[str] = _ROLES,
    finding_kinds: Sequence[str] = _FINDING_KINDS,
) -> Roster:
    """A roster whose every row names a person and an organisation it holds (``issues()``
    is empty): a tree, people, their posts, findings, documents and grades."""
    tree = draw(organisation_trees())
    places = [o.id for o in tree if o.level in (OrgLevel.VILLAGE, OrgLevel.COMMUNITY)]
    count = draw(st.integers(*people_count))
    # each strategy built once per roster, not once per person: hypothesis validates every
    # new strategy, which made a roster slow enough to fail its too_slow health check
    person = people("_", as_of=as_of)
    their_posts = st.lists(posts("_", places, as_of=as_of, roles=roles), max_size=2)
    their_findings = st.lists(findings("_", as_of=as_of, kinds=finding_kinds), max_size=2)
    their_documents = st.lists(documents("_", as_of=as_of), max_size=2)
    years = st.sets(st.sampled_from(range(as_of.year - 3, as_of.year)))
    grade = st.sampled_from(_GRADES)
    members = [attrs.evolve(draw(person), id=f"p{n:04d}") for n in range(1, count + 1)]
    held, found, papers, decided = [], [], [], []
    for member in members:
        held += [attrs.evolve(p, person=member.id) for p in draw(their_posts)]
        found += [attrs.evolve(f, person=member.id) for f in draw(their_findings)]
        papers += [attrs.evolve(d, person=member.id) for d in draw(their_documents)]
        for year in draw(years):
            decided.append(Grade(member.id, year, draw(grade), date(year + 1, 1, 20)))
    # drawn ids may collide: number them through the roster
    return Roster(
        people=tuple(members),
        organisations=tree,
        posts=tuple(held),
        findings=tuple(attrs.evolve(f, id=f"F{n:05d}") for n, f in enumerate(found, 1)),
        documents=tuple(attrs.evolve(d, id=f"D{n:05d}") for n, d in enumerate(papers, 1)),
        grades=tuple(decided),
    )


def organisation_leaves() -> st.SearchStrategy[Organisation]:
    """The last organisation of a drawn tree (a village under its town and district)."""
    return organisation_trees().map(lambda tree: tree[-1])
