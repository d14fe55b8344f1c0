"""Reminder rules as a kind of rule (``reminders:``), checked on their own, then against the
procedures and effects they name (read by field name: those kinds are not imported). The
days a rule reminds on are counted on the official calendar."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from functools import partial
from typing import Any, final

import attrs

from governance_core.errors import Problem
from governance_core.files import Located
from governance_core.files.yaml_tree import Path as DataPath
from governance_core.rules.calendar import OfficialCalendar
from governance_core.rules.common import Title
from governance_core.rules.kinds import Assembly, SchemaTitles, Section
from governance_core.rules.provenance import Origin, located_problems
from governance_core.rules.reminders._definition import (
    ReminderRule,
    reference_problems,
    rule_problems,
)
from governance_core.rules.reminders.titles import schema_titles

__all__ = ["REMINDERS", "REMINDERS_SECTION", "Moment", "Reminders", "RemindersKind"]


@final
@attrs.frozen(slots=True)
class Moment:
    """A day a rule reminds on, for one last day: ``label`` names it (``before-3``, ``due``,
    ``escalate``) and ``escalate_to`` the role an escalation goes to."""

    label: str
    day: date
    escalate_to: str | None = None


def _working_days_before(calendar: OfficialCalendar, last: date, count: int) -> date:
    day, left = last, count
    while left > 0:
        day -= timedelta(days=1)
        if calendar.is_workday(day):
            left -= 1
    return day


@final
@attrs.frozen(slots=True)
class Reminders:
    """The loaded reminder rules by id."""

    rules: Mapping[str, ReminderRule] = attrs.field(factory=dict)

    def of_step(self, process: str, step: str) -> list[ReminderRule]:
        return [r for r in self.rules.values() if (r.process, r.step) == (process, step)]

    def of_effect(self, effect: str) -> list[ReminderRule]:
        return [r for r in self.rules.values() if r.effect == effect]

    @staticmethod
    def moments(rule: ReminderRule, last: date, calendar: OfficialCalendar) -> list[Moment]:
        """The days ``rule`` reminds on for the last day ``last``, earliest first."""
        found = [
            Moment(f"before-{n}", _working_days_before(calendar, last, n))
            for n in sorted(rule.before_working_days, reverse=True)
        ]
        if rule.on_due:
            found.append(Moment("due", last))
        if rule.escalate is not None:
            after = calendar.add_working_days(last, rule.escalate.after_working_days).day
            found.append(Moment("escalate", after, rule.escalate.to.id))
        return found


def _checked(
    located: Located, base: DataPath, rule: ReminderRule
) -> tuple[ReminderRule, list[Problem]]:
    return rule, list(located_problems(located, base, rule.id, rule_problems(rule)))


REMINDERS_SECTION = Section(
    "reminders", ReminderRule, title=Title("提醒与升级", "reminders"), check=_checked
)


def _duties(assembly: Assembly) -> frozenset[str]:
    return frozenset(
        effect_id
        for effect_id in assembly.declared("effects")
        if getattr(
            getattr(assembly.declared_record("effects", effect_id), "kind", None), "value", None
        )
        == "duty"
    )


@final
@attrs.frozen(slots=True)
class RemindersKind:
    """Reminder rules; ``PolicySet.of(REMINDERS)`` is a :class:`Reminders`."""

    name: str = "reminders"
    sections: tuple[Section[Any], ...] = (REMINDERS_SECTION,)
    overlay_sections: tuple[Section[Any], ...] = ()
    titles: Callable[[], SchemaTitles] = schema_titles
    hookspecs: type | None = None

    def assemble(self, assembly: Assembly) -> Reminders:
        records = assembly.records(REMINDERS_SECTION)
        # a step an extension or an overlay adds is known once procedures have assembled
        assembly.later(partial(_check_references, assembly, records))
        return Reminders({rule_id: rule for rule_id, (rule, _) in records.items()})


def _check_references(
    assembly: Assembly,
    records: Mapping[str, tuple[ReminderRule, Origin]],
    built: Mapping[str, object],
) -> None:
    steps, duties = assembly.procedure_steps(built), _duties(assembly)
    effects = frozenset(assembly.declared("effects"))
    for rule_id, (rule, origin) in records.items():
        for sub, message, hint in reference_problems(rule, steps, duties, effects):
            assembly.problems.at(origin, sub, message, rule_id, hint)


REMINDERS = RemindersKind()
"""The reminders kind, registered under the entry-point group ``governance_core.kinds``."""
