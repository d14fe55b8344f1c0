"""A district's cycle: what is run when. Each step has a cadence (or a parameter that will give
it, when the source does not), what it applies (a grade policy, a criteria list, a points
scheme's statements, or a procedure opened for each hit of a list), its deadline as a dated,
cited parameter, and the inputs it needs. Declared by plugins from their sources (cycles:)."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator, Mapping
from typing import final

import attrs

from governance_core.files import did_you_mean
from governance_core.messages import _
from governance_core.model import OrgLevel
from governance_core.rules.common import Citation, Title
from governance_core.rules.cycles._periods import Cadence
from governance_core.rules.parameters import ParameterKind, parameter_problem
from governance_core.rules.provenance import Found

__all__ = [
    "Applies",
    "Cycle",
    "CycleStep",
    "DeadlineKind",
    "Input",
    "StepDeadline",
    "cycle_problems",
    "reference_problems",
]


class DeadlineKind(enum.Enum):
    """What a deadline parameter's value (a number) counts."""

    DAY_OF_FOLLOWING_MONTH = "day_of_following_month"  # 每月10日前通报 the month before
    DAY_OF_MONTH = "day_of_month"  # the 28th of the occurrence's last month
    WORKING_DAYS_AFTER = "working_days_after"  # working days after it ends (official calendar)


class Input(enum.Enum):
    """What a step reads besides the policies."""

    ROSTER = "roster"
    SCORES = "scores"  # a score per person, given (a monthly or quarterly assessment)
    RUBRIC_INPUTS = "rubric_inputs"
    BALLOTS = "ballots"
    LEDGER = "ledger"


@final
@attrs.frozen(slots=True)
class StepDeadline:
    """The step's announcement or completion deadline: the number ``parameter`` has on the
    day the occurrence ends, counted as ``counts`` says."""

    parameter: str
    counts: DeadlineKind


@final
@attrs.frozen(slots=True)
class Applies:
    """What a step applies: exactly one of a grade policy, a list, a points scheme, or the
    ``records`` an organisation keeps (a kind of organisation record, each organisation of
    ``levels`` to hold one in every occurrence, or as many as the number parameter
    ``at_least`` gives; ``under``: only those within the organisation of that name, for a
    practice of one town); with ``procedure``, that procedure is opened for each person the
    ``list`` hits."""

    grade_policy: str | None = None
    list: str | None = None
    points_scheme: str | None = None
    procedure: str | None = None
    records: str | None = None
    levels: tuple[OrgLevel, ...] = ()
    at_least: str | None = None
    under: str | None = None

    def named(self) -> dict[str, str]:
        """Each reference given, by the section of policy files it names."""
        sections = {
            "grade_policies": self.grade_policy,
            "lists": self.list,
            "points_schemes": self.points_scheme,
            "processes": self.procedure,
        }
        return {section: ref for section, ref in sections.items() if ref is not None}


@final
@attrs.frozen(slots=True)
class CycleStep:
    """One step of a cycle. ``cadence`` as the source gives it, or ``cadence_parameter``: a
    text parameter that will hold it (without values when the source does not say)."""

    id: str
    title: Title
    citation: Citation
    applies: Applies
    cadence: Cadence | None = None
    cadence_parameter: str | None = None
    day: str | None = None  # MM-DD, for cadence on_date
    deadline: StepDeadline | None = None
    inputs: tuple[Input, ...] = ()


@final
@attrs.frozen(slots=True)
class Cycle:
    """A district's cycle: its steps, each cited."""

    id: str
    title: Title
    citation: Citation
    steps: tuple[CycleStep, ...]


_DAY = re.compile(r"(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])")


def _step_problems(step: CycleStep) -> Iterator[Found]:
    if (step.cadence is None) == (step.cadence_parameter is None):
        yield (
            ("cadence",),
            _("give either cadence or cadence_parameter"),
            _("cadence_parameter names a parameter without values when the source is silent"),
        )
    if step.cadence is Cadence.ON_DATE and (step.day is None or not _DAY.fullmatch(step.day)):
        yield ("day",), _("a step on_date needs its day as MM-DD"), None
    applies = step.applies
    named = applies.named()
    kinds = len(set(named) - {"processes"}) + (applies.records is not None)
    if kinds != 1 or ("processes" in named and "lists" not in named):
        yield (
            ("applies",),
            _("a step applies one grade policy, list, points scheme or kind of records"),
            _("a procedure is opened from the hits of a list: give procedure with list"),
        )
    for name, given in (("at_least", applies.at_least), ("under", applies.under)):
        if given is not None and applies.records is None:
            yield (
                ("applies", name),
                _("{field} is about records: give it with records and levels").format(field=name),
                None,
            )
    if (applies.records is None) != (not applies.levels):
        yield (
            ("applies", "levels"),
            _("records and levels go together: the kind of records, and who keeps them"),
            _("for example: records: 党员和村民代表会议, levels: [village, community]"),
        )


def cycle_problems(cycle: Cycle) -> Iterator[Found]:
    """What is wrong with a cycle on its own."""
    seen: set[str] = set()
    for i, step in enumerate(cycle.steps):
        if step.id in seen:
            yield ("steps", i, "id"), _("step {id!r} is listed twice").format(id=step.id), None
        seen.add(step.id)
        for sub, message, hint in _step_problems(step):
            yield ("steps", i, *sub), message, hint
    if not cycle.steps:
        yield ("steps",), _("a cycle needs at least one step"), None


def reference_problems(
    cycle: Cycle,
    declared: Mapping[str, frozenset[str]],
    kinds: Mapping[str, ParameterKind],
) -> Iterator[Found]:
    """What a cycle names that is not loaded, or does not fit."""
    for i, step in enumerate(cycle.steps):
        for section, ref in step.applies.named().items():
            if ref not in declared.get(section, frozenset()):
                yield (
                    ("steps", i, "applies"),
                    _("no {section} {ref!r} is loaded").format(section=section, ref=ref),
                    did_you_mean(ref, declared.get(section, ())),
                )
        checks: list[tuple[tuple[str, ...], str | None, ParameterKind]] = [
            (("cadence_parameter",), step.cadence_parameter, ParameterKind.TEXT)
        ]
        if step.applies.at_least is not None:
            checks.append((("applies", "at_least"), step.applies.at_least, ParameterKind.NUMBER))
        if step.deadline is not None:
            checks.append(
                (("deadline", "parameter"), step.deadline.parameter, ParameterKind.NUMBER)
            )
        for sub, name, wanted in checks:
            problem = None if name is None else parameter_problem(name, wanted, kinds)
            if problem is not None:
                hint = _("declare it; without values if the source does not publish it")
                yield ("steps", i, *sub), problem, hint
