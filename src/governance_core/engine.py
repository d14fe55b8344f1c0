"""The Engine: the one public entry point the command line is a thin layer over.

>>> from datetime import date
>>> from governance_core import Engine, load_roster
>>> engine = Engine.with_examples()
>>> roster = load_roster(Engine.example_roster())
>>> verdicts = engine.evaluate("shizhong.exit_conditions", roster, date(2024, 6, 30))
>>> verdicts[0].list_id
'shizhong.exit_conditions'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import final

import attrs

from governance_core.model import Dossier, Roster
from governance_core.plugins import builtin_policy_files, example_roster_file
from governance_core.policy import CompiledList, ListVerdict, Parameter, PolicySet, load_policies
from governance_core.policy.expressions import BUILTIN_FUNCTIONS, FunctionRegistry

__all__ = ["CheckReport", "Engine"]


@final
@attrs.frozen(slots=True)
class CheckReport:
    """What ``governance check`` reports once every policy loaded without problems."""

    lists: tuple[CompiledList, ...]
    incomplete: tuple[CompiledList, ...]
    unvalued: tuple[Parameter, ...]
    as_of: date


@final
class Engine:
    """Loaded policies, ready to evaluate rosters as of a date.

    ``strict_parameters``: a parameter with no value on the date is an error
    (:class:`~governance_core.errors.ParameterError`) instead of making items unknown.
    """

    __slots__ = ("policies", "strict_parameters")

    def __init__(self, policies: PolicySet, *, strict_parameters: bool = False) -> None:
        self.policies = policies
        self.strict_parameters = strict_parameters

    @classmethod
    def from_files(
        cls,
        paths: Iterable[str | Path],
        *,
        include_examples: bool = False,
        functions: FunctionRegistry = BUILTIN_FUNCTIONS,
        strict_parameters: bool = False,
    ) -> Engine:
        """Load policy files (all problems of all files in one PolicyError)."""
        sources: list[str | Path | tuple[str | Path, str]] = []
        if include_examples:
            sources += builtin_policy_files()
        sources += list(paths)
        return cls(load_policies(sources, functions=functions), strict_parameters=strict_parameters)

    @classmethod
    def with_examples(cls, *, strict_parameters: bool = False) -> Engine:
        """An engine with the bundled example lists (市中区, source 000)."""
        return cls.from_files([], include_examples=True, strict_parameters=strict_parameters)

    @staticmethod
    def example_roster() -> Path:
        """Path of the bundled, fictional example roster."""
        return example_roster_file()

    def evaluate(
        self,
        list_id: str,
        roster: Roster | Sequence[Dossier],
        as_of: date,
        *,
        explain: bool = True,
    ) -> list[ListVerdict]:
        """Evaluate one list for every person of ``roster`` as of ``as_of``, by person id.

        With ``explain=False`` the fast compiled path gives the same outcomes and statuses
        without observations and checks.
        """
        compiled = self.policies.list(list_id)
        dossiers = roster.dossiers(as_of) if isinstance(roster, Roster) else roster
        values = self.policies.values_on(as_of, strict=self.strict_parameters)
        return compiled.evaluate(dossiers, values, explain=explain)

    def evaluate_all(
        self, roster: Roster, as_of: date, *, explain: bool = True
    ) -> list[ListVerdict]:
        """Every loaded list for every person, ordered by list id then person id."""
        dossiers = roster.dossiers(as_of)
        return [
            v
            for list_id in self.policies.lists
            for v in self.evaluate(list_id, dossiers, as_of, explain=explain)
        ]

    def check(self, as_of: date) -> CheckReport:
        """Lists that are incomplete and parameters with no value on ``as_of``."""
        return CheckReport(
            tuple(self.policies.lists.values()),
            self.policies.incomplete(),
            self.policies.unvalued(as_of),
            as_of,
        )
