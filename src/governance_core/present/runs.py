"""A recorded run as a reader goes through it (the workbench's 运行 page): per group (a town),
each person's place, score and grade with the rule that decided it and, when it is not
settled, why; the verdicts it recorded; how the grades fall against the quotas the grade
policy sets; and where one person placed run after run of the same cycle."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any

import attrs

from governance_core.messages import _, in_language
from governance_core.present.rows import Marked, Rows, Tone
from governance_core.present.verdicts import Language
from governance_core.present.words import number_text
from governance_core.rules.scoring import GradePolicy
from governance_core.storage import RecordedScoreSheet, RecordedVerdict

__all__ = [
    "GradeBar",
    "PlacePoint",
    "grade_bars",
    "group_of",
    "place_points",
    "placing_rows",
    "run_grade_rows",
    "run_verdict_rows",
    "score_text",
]


def _graded(sheet: RecordedScoreSheet) -> Mapping[str, Any]:
    graded = sheet.body.get("graded")
    return graded if isinstance(graded, Mapping) else {}


def group_of(sheet: RecordedScoreSheet) -> str:
    """The group a sheet was ranked in (a town's name), as recorded."""
    return " / ".join(str(g) for g in _graded(sheet).get("group", ())) or "—"


def score_text(score: str | None) -> str:
    """A recorded score (exact, ``631/10``) as the one number formatter writes it."""
    if not score:
        return "—"
    try:
        return number_text(Fraction(score))
    except (ValueError, ZeroDivisionError):
        return score


def _settled(sheet: RecordedScoreSheet) -> Marked:
    if sheet.conclusive:
        return Marked.of(_("decided for good"), Tone.GOOD)
    notes = "；".join(str(n) for n in _graded(sheet).get("notes", ()))
    return Marked(((_("provisional"), Tone.DOUBT), (f"\n{notes}" if notes else "", Tone.PLAIN)))


def run_grade_rows(sheets: Sequence[RecordedScoreSheet], lang: Language) -> list[Rows]:
    """One table per grade policy and group: place, person, score, grade, the rule that
    decided it and whether it is settled."""
    by_group: dict[tuple[str, str], list[RecordedScoreSheet]] = defaultdict(list)
    for sheet in sheets:
        by_group[(sheet.policy_id, group_of(sheet))].append(sheet)
    with in_language(lang):
        headers = (
            _("Place"),
            _("Person"),
            _("Score"),
            _("Grade"),
            _("Decided by the rule"),
            _("Settled"),
        )
        tables = []
        for (policy_id, group), found in sorted(by_group.items()):
            found.sort(key=lambda s: (s.place is None, s.place or 0, s.person_id))
            rows = [
                (
                    str(s.place or "—"),
                    f"{_graded(s).get('name', '')}\n{s.person_id}",
                    score_text(s.score),
                    s.grade or "—",
                    str(_graded(s).get("rule", "")),
                    _settled(s),
                )
                for s in found
            ]
            tables.append(Rows.of(headers, rows, title=f"{group}  [{policy_id}]", separated=True))
        return tables


def run_verdict_rows(verdicts: Sequence[RecordedVerdict], lang: Language) -> Rows | None:
    """The verdicts a run recorded: list, person, outcome, whether settled, what it opened."""
    if not verdicts:
        return None
    with in_language(lang):
        headers = (_("List"), _("Person"), _("Outcome"), _("Settled"), _("Opened"))
        rows = [
            (
                v.list_id or "",
                v.person_id,
                v.outcome,
                Marked.of(_("decided for good"), Tone.GOOD)
                if v.conclusive
                else Marked.of(_("provisional"), Tone.DOUBT),
                v.instance or "",
            )
            for v in verdicts
        ]
        return Rows.of(headers, rows, title=_("Verdicts"))


@attrs.frozen(slots=True)
class GradeBar:
    """How many of a group got a grade, and what the grade policy's quota allows (None when
    it sets none for the grade, or a parameter the run read has no value here)."""

    group: str
    grade: str
    count: int
    of: int
    quota: str | None


def _quota_words(
    policy: GradePolicy, grade: str, group: int, values: Mapping[str, Any]
) -> str | None:
    """What the policy's quota for ``grade`` allows in a group of ``group`` people."""
    for quota in (*policy.top, *policy.bottom):
        if quota.grade != grade:
            continue
        size = quota.size(group, policy.rounding, values)
        if size is None:
            return _("{parameter} has no value on the day").format(parameter=quota.parameter)
        if quota.share is not None:
            share = number_text(Fraction(*quota.share) * 100)
            return _("at most {share}%: {count} people").format(share=share, count=size)
        return _("{count} people").format(count=size)
    return None


def grade_bars(
    sheets: Sequence[RecordedScoreSheet],
    policies: Mapping[str, GradePolicy],
    values: Mapping[str, Any],
    lang: Language,
) -> list[GradeBar]:
    """Per group and grade, in the grade policy's order, the count against the quota
    (``values``: the parameters on the run's day)."""
    found: list[GradeBar] = []
    by_group: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for sheet in sheets:
        by_group[(sheet.policy_id, group_of(sheet))][sheet.grade or "—"] += 1
    with in_language(lang):
        for (policy_id, group), counts in sorted(by_group.items()):
            policy = policies.get(policy_id)
            order = list(policy.grades) if policy is not None else sorted(counts)
            total = sum(counts.values())
            for grade in order + sorted(set(counts) - set(order)):
                quota = _quota_words(policy, grade, total, values) if policy else None
                found.append(GradeBar(group, grade, counts.get(grade, 0), total, quota))
    return found


def placing_rows(placings: Sequence[tuple[str, RecordedScoreSheet]], lang: Language) -> Rows | None:
    """Where one person placed in each run of a cycle (``(run, sheet)`` in run order)."""
    if not placings:
        return None
    with in_language(lang):
        headers = (_("Run"), _("Place"), _("Score"), _("Grade"))
        rows = [
            (run, str(s.place or "—"), score_text(s.score), s.grade or "—") for run, s in placings
        ]
        return Rows.of(headers, rows, title=_("Place run after run"))


@attrs.frozen(slots=True)
class PlacePoint:
    """A run's place as a point of a line drawn ``width`` by ``height``: the first place at
    the top."""

    x: float
    y: float
    run: str
    place: int


def place_points(
    placings: Sequence[tuple[str, RecordedScoreSheet]], width: int = 480, height: int = 160
) -> list[PlacePoint]:
    """The places of :func:`placing_rows` as points of a line (runs without a place left
    out), for a chart of the month-by-month rank."""
    placed = [(run, s.place) for run, s in placings if s.place is not None]
    if not placed:
        return []
    worst = max(place for _, place in placed)
    step = (width - 40) / max(len(placed) - 1, 1)
    return [
        PlacePoint(
            round(20 + n * step, 1),
            round(20 + (height - 40) * (place - 1) / max(worst - 1, 1), 1),
            run,
            place,
        )
        for n, (run, place) in enumerate(placed)
    ]
