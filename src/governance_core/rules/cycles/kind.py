"""Cycles as a kind of rule (``cycles:``): a district's steps and when they run, checked on
their own, then against the grade policies, lists, points schemes, procedures and parameters
they name (all kinds' ids are known before any is assembled)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, final

import attrs

from governance_core.errors import Problem
from governance_core.files import Located
from governance_core.files.yaml_tree import Path as DataPath
from governance_core.messages import N_
from governance_core.rules.common import Title, find
from governance_core.rules.cycles._definition import Cycle, cycle_problems, reference_problems
from governance_core.rules.cycles._periods import Period
from governance_core.rules.cycles._plan import AddWorkingDays, Planned, parameter_value, plan
from governance_core.rules.cycles.titles import schema_titles
from governance_core.rules.kinds import Assembly, SchemaTitles, Section
from governance_core.rules.parameters import Parameter
from governance_core.rules.provenance import located_problems

__all__ = ["CYCLES", "CYCLES_SECTION", "Cycles", "CyclesKind"]


@final
@attrs.frozen(slots=True)
class Cycles:
    """The loaded cycles by id, with the parameters their cadences and deadlines read."""

    cycles: Mapping[str, Cycle] = attrs.field(factory=dict)
    parameters: Mapping[str, Parameter] = attrs.field(factory=dict)

    def cycle(self, cycle_id: str) -> Cycle:
        """The cycle with this id; UnknownPolicyError otherwise."""
        return find(N_("cycle"), N_("cycles"), self.cycles, cycle_id)

    def plan(self, period: Period, add_working_days: AddWorkingDays) -> list[Planned]:
        """What runs in ``period``; working days are counted by ``add_working_days`` (the
        official calendar's, which the runtime holds)."""
        return plan(self.cycles.values(), period, self.parameters, add_working_days)

    def value_on(self, parameter: str, day: date) -> Any:
        """The value a parameter the cycles read has on ``day``; None when it has none."""
        return parameter_value(self.parameters, parameter, day)


def _checked(located: Located, base: DataPath, cycle: Cycle) -> tuple[Cycle, list[Problem]]:
    return cycle, list(located_problems(located, base, cycle.id, cycle_problems(cycle)))


CYCLES_SECTION = Section("cycles", Cycle, title=Title("运行周期", "cycles"), check=_checked)

_REFERRED = ("grade_policies", "lists", "points_schemes", "processes")


@final
@attrs.frozen(slots=True)
class CyclesKind:
    """A district's cycles; ``PolicySet.of(CYCLES)`` is a :class:`Cycles`."""

    name: str = "cycles"
    sections: tuple[Section[Any], ...] = (CYCLES_SECTION,)
    overlay_sections: tuple[Section[Any], ...] = ()
    titles: Callable[[], SchemaTitles] = schema_titles
    hookspecs: type | None = None

    def assemble(self, assembly: Assembly) -> Cycles:
        declared = {section: frozenset(assembly.declared(section)) for section in _REFERRED}
        kinds = {k: p.kind for k, p in assembly.parameters.items()}
        found: dict[str, Cycle] = {}
        for cycle_id, (cycle, origin) in assembly.records(CYCLES_SECTION).items():
            problems = list(reference_problems(cycle, declared, kinds))
            for sub, message, hint in problems:
                assembly.problems.at(origin, sub, message, cycle_id, hint)
            if not problems:
                found[cycle_id] = cycle
        return Cycles(found, dict(assembly.parameters))


CYCLES = CyclesKind()
"""The cycles kind, registered under the entry-point group ``governance_core.kinds``."""
