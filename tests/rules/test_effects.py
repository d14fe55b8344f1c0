"""Effects of decisions (docs/effects.md): declared in policy files, checked where they are
written, imposed by a grade with their end and due day counted, and read by lists through
``barred_from`` and ``has_effect``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from governance_core import Engine, PolicyError
from governance_core.jobs.effects import of_assessment
from governance_core.model import (
    EffectKind,
    ImposedEffect,
    Organisation,
    OrgLevel,
    Person,
    Post,
    Roster,
)
from governance_core.rules.calendar import CALENDAR
from governance_core.rules.criteria.verdicts import Outcome
from governance_core.rules.effects import EFFECTS
from governance_core.rules.scoring import Entry
from tests.support import CITATION

Write = Callable[..., Path]

POLICY = f"""\
parameters:
  - id: bar_months
    title: {{zh: 限制期限, en: Months barred}}
    kind: number
    citation: {CITATION}
    values: []
  - id: talk_days
    title: {{zh: 谈话期限, en: Days to talk}}
    kind: number
    citation: {CITATION}
    values:
      - {{value: 5}}
grade_policies:
  - id: t.bottom
    title: {{zh: 末位, en: Bottom}}
    citation: {CITATION}
    composite: given
    grades: [其他, 末位]
    group_by: [town]
    bottom:
      - {{grade: 末位, share: [1, 3]}}
    rest: 其他
    rounding: floor
    ties: withhold
    vetoed_slot: refill
lists:
  - id: t.awards
    title: {{zh: 评先资格, en: Awards}}
    citation: {CITATION}
    declared_size: 1
    effect: disqualify
    hit_policy: any
    items:
      - id: barred
        number: 1
        title: {{zh: 受限制, en: Barred}}
        citation: {CITATION}
        expression: barred_from("awards")
effects:
  - id: t.awards_bar
    title: {{zh: 不得评先, en: No awards}}
    kind: bar
    bars: awards
    subject: person
    imposed_by: [{{grade_policy: t.bottom, grade: 末位}}]
    lasts: {{years: 2}}
    citation: {CITATION}
  - id: t.unpublished_bar
    title: {{zh: 期限未公布的限制, en: A bar of unpublished length}}
    kind: bar
    bars: promotion
    subject: person
    imposed_by: [{{grade_policy: t.bottom, grade: 末位}}]
    lasts: {{parameter: bar_months}}
    citation: {CITATION}
  - id: t.talk
    title: {{zh: 谈话, en: A talk}}
    kind: duty
    subject: person
    imposed_by: [{{grade_policy: t.bottom, grade: 末位}}]
    lasts: {{until_lifted: true}}
    due: {{parameter: talk_days}}
    citation: {CITATION}
  - id: t.lagging
    title: {{zh: 后进村, en: Lagging village}}
    kind: label
    subject: organisation
    imposed_by: [{{grade_policy: t.bottom, grade: 末位}}]
    lasts: {{months: 3}}
    citation: {CITATION}
"""

DAY = date(2024, 9, 30)  # a Monday before the National Day holiday (2024-10-01..07)
ENTRIES = [
    Entry("p1", "甲", {"town": "t"}, score=Decimal(90)),
    Entry("p2", "乙", {"town": "t"}, score=Decimal(80)),
    Entry("p3", "丙", {"town": "t"}, score=Decimal(70)),
]
ROSTER = Roster(
    people=tuple(Person(p, n) for p, n in (("p1", "甲"), ("p2", "乙"), ("p3", "丙"))),
    organisations=(
        Organisation("d", "区", OrgLevel.DISTRICT),
        Organisation("t", "镇", OrgLevel.TOWN, "d"),
        Organisation("v3", "丙村", OrgLevel.VILLAGE, "t"),
    ),
    posts=(Post("p3", "党组织书记", "v3", date(2020, 1, 1)),),
)


def _imposed(write: Write) -> dict[str, ImposedEffect]:
    engine = Engine.from_files([write(POLICY)])
    result = engine.assess("t.bottom", ENTRIES, DAY, roster=ROSTER)
    imposed = of_assessment(engine, result, "run/bottom/2024Q3", ROSTER)
    assert imposed.not_applied == ()
    return {e.effect: e for e in imposed.effects}


def test_the_last_of_the_town_gets_every_effect_of_the_grade(write: Write) -> None:
    found = _imposed(write)
    assert {e.person for e in found.values()} == {"p3"}
    bar = found["t.awards_bar"]
    assert bar.id == "run/bottom/2024Q3/t.awards_bar/p3"
    assert (bar.kind, bar.bars, bar.starts) == (EffectKind.BAR, "awards", DAY)
    assert bar.ends == date(2026, 9, 29)  # 两年内: the day before the second anniversary
    assert found["t.lagging"].organisation == "v3"
    assert found["t.lagging"].ends == date(2024, 12, 29)


def test_an_unpublished_length_leaves_the_end_open_and_says_so(write: Write) -> None:
    unpublished = _imposed(write)["t.unpublished_bar"]
    assert (unpublished.ends, unpublished.end_unknown) == (None, True)
    assert unpublished.in_force(date(2040, 1, 1))


def test_a_duty_is_due_in_working_days_on_the_official_calendar(write: Write) -> None:
    talk = _imposed(write)["t.talk"]
    # five working days after Monday 30 September 2024: the holiday runs 1–7 October and
    # Saturday 12 October is a make-up working day, so 8, 9, 10, 11, 12 October
    assert talk.due == date(2024, 10, 12)
    assert talk.due_provisional_year is None


def test_an_inconclusive_grade_imposes_nothing(write: Write) -> None:
    engine = Engine.from_files([write(POLICY)])
    entries = [*ENTRIES[:2], Entry("p3", "丙", {"town": "t"})]  # no score: no grade
    result = engine.assess("t.bottom", entries, DAY, roster=ROSTER)
    imposed = of_assessment(engine, result, "run/bottom/2024Q3", ROSTER)
    assert all(e.person != "p3" for e in imposed.effects)


def test_an_effect_on_an_organisation_without_a_post_is_not_applied_and_said(
    write: Write,
) -> None:
    engine = Engine.from_files([write(POLICY)])
    result = engine.assess("t.bottom", ENTRIES, DAY, roster=ROSTER)
    imposed = of_assessment(engine, result, "run", Roster(people=ROSTER.people))
    (missed,) = imposed.not_applied
    assert (missed.effect, missed.person) == ("t.lagging", "p3") and "t.lagging" in missed.why
    assert "t.lagging" not in {e.effect for e in imposed.effects}


def test_a_list_reads_the_bars_in_force(write: Write) -> None:
    engine = Engine.from_files([write(POLICY)])
    bar = _imposed(write)["t.awards_bar"]
    roster = ROSTER.with_effects([bar])

    def outcome(person: str, day: date) -> Outcome:
        (verdict,) = engine.evaluate("t.awards", roster.dossiers(day, people={person}), day)
        return verdict.outcome

    assert outcome("p3", date(2025, 6, 1)) is Outcome.HIT
    assert outcome("p3", date(2026, 9, 30)) is Outcome.NOT_HIT  # ended the day before
    assert outcome("p1", date(2025, 6, 1)) is Outcome.NOT_HIT
    # a roster that gives no effects at all: unknown, not "not barred"
    day = date(2025, 6, 1)
    unknown = engine.evaluate("t.awards", ROSTER.dossiers(day, people={"p3"}), day)
    assert [v.outcome for v in unknown] == [Outcome.UNKNOWN]


def test_the_explained_hit_names_the_effect(write: Write) -> None:
    engine = Engine.from_files([write(POLICY)])
    bar = _imposed(write)["t.awards_bar"]
    day = date(2025, 6, 1)
    dossiers = ROSTER.with_effects([bar]).dossiers(day, people={"p3"})
    (verdict,) = engine.evaluate("t.awards", dossiers, day, explain=True)
    assert bar.id in str(verdict.items[0])


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("    bars: awards\n", ""), "a bar names what it bars"),
        (("kind: duty\n", "kind: label\n    bars: x\n"), "a bar names what it bars"),
        (("lasts: {until_lifted: true}", "lasts: {years: 2, months: 1}"), "give one of years"),
        (("lasts: {years: 2}", "lasts: {years: 0}"), "from 1 to 100"),
        (
            ("grade: 末位}]\n    lasts: {years", "grade: 最后}]\n    lasts: {years"),
            "no grade '最后'",
        ),
        (
            (
                "{grade_policy: t.bottom, grade: 末位}]\n    lasts: {months",
                "{list: t.nolist}]\n    lasts: {months",
            ),
            "no lists 't.nolist'",
        ),
        (("due: {parameter: talk_days}", "due: {parameter: nothing}"), "no parameter 'nothing'"),
        (
            ("due: {parameter: talk_days}", "due: {working_days: 3, parameter: talk_days}"),
            "either working_days",
        ),
        (("subject: organisation", "subject: village"), "village"),
        (
            (
                "imposed_by: [{grade_policy: t.bottom, grade: 末位}]\n    lasts: {months",
                "imposed_by: []\n    lasts: {months",
            ),
            "at least one decision",
        ),
    ],
)
def test_a_bad_effect_is_a_located_problem(
    write: Write, change: tuple[str, str], expected: str
) -> None:
    old, new = change
    assert old in POLICY
    path = write(POLICY.replace(old, new, 1))
    with pytest.raises(PolicyError) as caught:
        Engine.from_files([path])
    text = str(caught.value)
    assert expected in text and f"{path}:" in text


def test_the_calendar_counts_the_due_day() -> None:
    # the effects kind counts on the calendar the policy set holds, not on plain weekdays
    calendar = Engine.from_files([]).policies.of(CALENDAR)
    assert calendar.add_working_days(DAY, 5).day == date(2024, 10, 12)
    assert Engine.from_files([]).policies.of(EFFECTS).effects == {}
