"""A declared effect (``effects:``): what a decision imposes on the person it concerns — a bar,
a label or a duty — which decisions impose it, how long it lasts, when a duty is due, and the
article that says so."""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from typing import final

import attrs

from governance_core.files import did_you_mean
from governance_core.messages import _
from governance_core.model import EffectKind
from governance_core.rules.common import Citation, Role, Title
from governance_core.rules.parameters import ParameterKind, parameter_problem
from governance_core.rules.provenance import Found

__all__ = [
    "DeclaredEffect",
    "Due",
    "ImposedBy",
    "Lasts",
    "Subject",
    "effect_problems",
    "reference_problems",
]


@final
@attrs.frozen(slots=True)
class ImposedBy:
    """A decision that imposes the effect: a grade of a grade policy (``grade_policy`` and
    ``grade``), a conclusive hit of a list (``list``), or a step of a procedure taken
    (``process`` and ``step``)."""

    grade_policy: str | None = None
    grade: str | None = None
    list: str | None = None
    process: str | None = None
    step: str | None = None

    def named(self) -> dict[str, str]:
        """The rule it names, by the section of policy files that declares it."""
        sections = {
            "grade_policies": self.grade_policy,
            "lists": self.list,
            "processes": self.process,
        }
        return {section: ref for section, ref in sections.items() if ref is not None}


@final
@attrs.frozen(slots=True)
class Lasts:
    """How long the effect lasts from the decision's day: ``years`` or ``months`` (两年内),
    a number of months a ``parameter`` holds on that day (without values when the source
    does not say: the effect then lasts until lifted, and says its end is not published), or
    ``until_lifted`` (a standing a later decision ends)."""

    years: int | None = None
    months: int | None = None
    parameter: str | None = None
    until_lifted: bool = False


@final
@attrs.frozen(slots=True)
class Due:
    """When a duty is due: ``working_days`` after the decision on the official calendar, or
    the number of working days a ``parameter`` holds (without values when the source says
    only 限期: the duty is then open with its due day unknown)."""

    working_days: int | None = None
    parameter: str | None = None


class Subject(enum.Enum):
    """Whom an effect is on: ``person`` (the one decided about) or ``organisation`` (the
    village or community where that person held a post on the day of the decision)."""

    PERSON = "person"
    ORGANISATION = "organisation"


@final
@attrs.frozen(slots=True)
class DeclaredEffect:
    """An effect the sources attach to a decision. ``bars`` names what a bar bars, in the
    words lists and guards ask about with ``barred_from`` (``awards``, ``promotion``);
    ``subject`` is ``person`` or ``organisation``; ``due`` and ``done_by`` (the organ or office
    that carries it out, when the source names it) only for a duty; ``lifted_by`` says what
    ends it early, in words, when the source says."""

    id: str
    title: Title
    kind: EffectKind
    citation: Citation
    imposed_by: tuple[ImposedBy, ...]
    lasts: Lasts
    bars: str | None = None
    subject: Subject = Subject.PERSON
    due: Due | None = None
    done_by: Role | None = None
    lifted_by: Title | None = None


def _exactly_one(given: Mapping[str, object]) -> bool:
    return sum(1 for v in given.values() if v not in (None, False)) == 1


def _trigger_problems(trigger: ImposedBy) -> Iterator[Found]:
    named = trigger.named()
    if len(named) != 1:
        yield (), _("name one decision: a grade_policy, a list or a process"), None
    if (trigger.grade_policy is None) != (trigger.grade is None):
        yield ("grade",), _("a grade policy imposes by a grade: give grade_policy and grade"), None
    if (trigger.process is None) != (trigger.step is None):
        yield ("step",), _("a procedure imposes by a step: give process and step"), None


def effect_problems(effect: DeclaredEffect) -> Iterator[Found]:
    """What is wrong with a declared effect on its own."""
    if (effect.kind is EffectKind.BAR) != (effect.bars is not None):
        yield (
            ("bars",),
            _("a bar names what it bars (bars:), and only a bar does"),
            _('e.g. bars: awards, read by barred_from("awards")'),
        )
    if effect.due is not None and effect.kind is not EffectKind.DUTY:
        yield ("due",), _("only a duty is due"), None
    if effect.done_by is not None and effect.kind is not EffectKind.DUTY:
        yield ("done_by",), _("only a duty is done by someone"), None
    if effect.due is not None and not _exactly_one(attrs.asdict(effect.due)):
        yield ("due",), _("give either working_days or parameter"), None
    if not _exactly_one(attrs.asdict(effect.lasts)):
        yield (
            ("lasts",),
            _("give one of years, months, parameter or until_lifted"),
            _("a parameter without values when the source does not say how long"),
        )
    for number in (effect.lasts.years, effect.lasts.months):
        if number is not None and not 1 <= number <= 100:
            yield ("lasts",), _("a length is from 1 to 100"), None
    working_days = None if effect.due is None else effect.due.working_days
    if working_days is not None and not 0 <= working_days <= 366:
        yield ("due", "working_days"), _("working days are from 0 to 366"), None
    if not effect.imposed_by:
        yield ("imposed_by",), _("name at least one decision that imposes it"), None
    for i, trigger in enumerate(effect.imposed_by):
        for sub, message, hint in _trigger_problems(trigger):
            yield ("imposed_by", i, *sub), message, hint


def reference_problems(
    effect: DeclaredEffect,
    declared: Mapping[str, frozenset[str]],
    kinds: Mapping[str, ParameterKind],
    grades: Mapping[str, tuple[str, ...]],
    steps: Mapping[str, tuple[str, ...]],
) -> Iterator[Found]:
    """What a declared effect names that is not loaded (a rule, a grade, a step, a
    parameter); ``grades`` and ``steps``: each grade policy's grades and each procedure's
    steps, by id."""
    for i, trigger in enumerate(effect.imposed_by):
        for section, ref in trigger.named().items():
            if ref not in declared.get(section, frozenset()):
                yield (
                    ("imposed_by", i),
                    _("no {section} {ref!r} is loaded").format(section=section, ref=ref),
                    did_you_mean(ref, declared.get(section, ())),
                )
        known = grades.get(trigger.grade_policy or "")
        if trigger.grade is not None and known is not None and trigger.grade not in known:
            yield (
                ("imposed_by", i, "grade"),
                _("{policy!r} gives no grade {grade!r}").format(
                    policy=trigger.grade_policy, grade=trigger.grade
                ),
                did_you_mean(trigger.grade, known),
            )
        taken = steps.get(trigger.process or "")
        if trigger.step is not None and taken is not None and trigger.step not in taken:
            yield (
                ("imposed_by", i, "step"),
                _("{process!r} has no step {step!r}").format(
                    process=trigger.process, step=trigger.step
                ),
                did_you_mean(trigger.step, taken),
            )
    named = (
        (("lasts", "parameter"), effect.lasts.parameter),
        (
            ("due", "parameter"),
            None if effect.due is None else effect.due.parameter,
        ),
    )
    for sub, name in named:
        problem = None if name is None else parameter_problem(name, ParameterKind.NUMBER, kinds)
        if problem is not None:
            yield sub, problem, _("declare it; without values if the source does not publish it")
