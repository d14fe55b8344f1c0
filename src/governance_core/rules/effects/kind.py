"""Effects as a kind of rule (``effects:``): declared effects checked on their own, then
against the grade policies, lists, procedures and parameters they name; ``Effects`` says which
effects a decision imposes and builds them, dated on the official calendar."""

from __future__ import annotations

import calendar
from collections.abc import Callable, Mapping
from datetime import date, timedelta
from functools import partial
from typing import Any, final

import attrs

from governance_core.errors import Problem
from governance_core.expressions import MissingFact
from governance_core.files import Located
from governance_core.files.yaml_tree import Path as DataPath
from governance_core.messages import N_
from governance_core.model import ImposedEffect
from governance_core.rules.calendar.official import Counted
from governance_core.rules.common import Title, find
from governance_core.rules.effects._definition import (
    DeclaredEffect,
    Subject,
    effect_problems,
    reference_problems,
)
from governance_core.rules.effects.titles import schema_titles
from governance_core.rules.kinds import Assembly, SchemaTitles, Section
from governance_core.rules.parameters import Parameter
from governance_core.rules.provenance import Origin, located_problems

__all__ = ["EFFECTS", "EFFECTS_SECTION", "Effects", "EffectsKind"]

AddWorkingDays = Callable[[date, int], Counted]


@final
@attrs.frozen(slots=True)
class Effects:
    """The declared effects by id, with the parameters their lengths and due days read."""

    effects: Mapping[str, DeclaredEffect] = attrs.field(factory=dict)
    parameters: Mapping[str, Parameter] = attrs.field(factory=dict)

    def effect(self, effect_id: str) -> DeclaredEffect:
        """The declared effect with this id; UnknownPolicyError otherwise."""
        return find(N_("effect"), N_("effects"), self.effects, effect_id)

    def of_grade(self, policy: str, grade: str) -> list[DeclaredEffect]:
        """The effects a grade of a grade policy imposes, in declaration order."""
        return [
            e
            for e in self.effects.values()
            if any(t.grade_policy == policy and t.grade == grade for t in e.imposed_by)
        ]

    def of_list(self, list_id: str) -> list[DeclaredEffect]:
        """The effects a conclusive hit of a list imposes."""
        return [e for e in self.effects.values() if any(t.list == list_id for t in e.imposed_by)]

    def of_step(self, process: str, step: str) -> list[DeclaredEffect]:
        """The effects taking a step of a procedure imposes."""
        return [
            e
            for e in self.effects.values()
            if any(t.process == process and t.step == step for t in e.imposed_by)
        ]

    def impose(
        self,
        effect: DeclaredEffect,
        *,
        person: str,
        on: date,
        decided_by: str,
        add_working_days: AddWorkingDays,
        organisation: str | None = None,
    ) -> ImposedEffect:
        """``effect`` imposed on ``person`` by the decision ``decided_by`` taken ``on``: its end
        and (a duty's) due day counted from that day; its id names the decision and the
        person, so deciding again imposes it once."""
        ends, unknown = self._end(effect, on)
        due, provisional = self._due(effect, on, add_working_days)
        subject = organisation if effect.subject is Subject.ORGANISATION else None
        return ImposedEffect(
            f"{decided_by}/{effect.id}/{person}",
            effect.id,
            person,
            effect.kind,
            on,
            ends=ends,
            end_unknown=unknown,
            bars=effect.bars,
            organisation=subject,
            due=due,
            due_provisional_year=provisional,
            decided_by=decided_by,
        )

    def _number(self, name: str, on: date) -> int | None:
        try:
            return int(self.parameters[name].value_on(on))
        except MissingFact:
            return None  # not published: the caller says so

    def _end(self, effect: DeclaredEffect, on: date) -> tuple[date | None, bool]:
        lasts = effect.lasts
        if lasts.until_lifted:
            return None, False
        months = lasts.months if lasts.years is None else lasts.years * 12
        if lasts.parameter is not None:
            months = self._number(lasts.parameter, on)
            if months is None:
                return None, True
        assert months is not None  # one of them is given (checked on load)
        return _months_after(on, months) - timedelta(days=1), False

    def _due(
        self, effect: DeclaredEffect, on: date, add_working_days: AddWorkingDays
    ) -> tuple[date | None, int | None]:
        if effect.due is None:
            return None, None
        count = effect.due.working_days
        if effect.due.parameter is not None:
            count = self._number(effect.due.parameter, on)
        if count is None:
            return None, None
        counted = add_working_days(on, count)
        return counted.day, counted.provisional_year


def _months_after(day: date, months: int) -> date:
    """``day`` moved ``months`` later; a month end clamps (31 Jan + 1 month = 28/29 Feb)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _checked(
    located: Located, base: DataPath, effect: DeclaredEffect
) -> tuple[DeclaredEffect, list[Problem]]:
    return effect, list(located_problems(located, base, effect.id, effect_problems(effect)))


EFFECTS_SECTION = Section("effects", DeclaredEffect, title=Title("后果", "effects"), check=_checked)

_REFERRED = ("grade_policies", "lists", "processes")


def _names(
    assembly: Assembly, section: str, read: Callable[[Any], Any]
) -> dict[str, tuple[str, ...]]:
    """What ``read`` gives of each record of another kind's ``section`` (a grade policy's
    grades, a procedure's step ids), by the records' fields: that kind is not imported."""
    found: dict[str, tuple[str, ...]] = {}
    for rule_id in assembly.declared(section):
        record = assembly.declared_record(section, rule_id)
        if record is not None:
            found[rule_id] = tuple(read(record))
    return found


@final
@attrs.frozen(slots=True)
class EffectsKind:
    """Declared effects; ``PolicySet.of(EFFECTS)`` is an :class:`Effects`."""

    name: str = "effects"
    sections: tuple[Section[Any], ...] = (EFFECTS_SECTION,)
    overlay_sections: tuple[Section[Any], ...] = ()
    titles: Callable[[], SchemaTitles] = schema_titles
    hookspecs: type | None = None

    def assemble(self, assembly: Assembly) -> Effects:
        records = assembly.records(EFFECTS_SECTION)
        # a step an extension or an overlay adds is known once procedures have assembled
        assembly.later(partial(_check_references, assembly, records))
        effects = {effect_id: effect for effect_id, (effect, _) in records.items()}
        return Effects(effects, dict(assembly.parameters))


def _check_references(
    assembly: Assembly,
    records: Mapping[str, tuple[DeclaredEffect, Origin]],
    built: Mapping[str, object],
) -> None:
    declared = {section: frozenset(assembly.declared(section)) for section in _REFERRED}
    kinds = {k: p.kind for k, p in assembly.parameters.items()}
    grades = _names(assembly, "grade_policies", lambda policy: policy.grades)
    steps = assembly.procedure_steps(built)
    for effect_id, (effect, origin) in records.items():
        for sub, message, hint in reference_problems(effect, declared, kinds, grades, steps):
            assembly.problems.at(origin, sub, message, effect_id, hint)


EFFECTS = EffectsKind()
"""The effects kind, registered under the entry-point group ``governance_core.kinds``."""
