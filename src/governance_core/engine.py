"""The Engine: the one public entry point the command line is a thin layer over.

>>> from datetime import date
>>> from governance_core import Engine, load_roster
>>> engine = Engine.load(plugins=["shizhong"])
>>> roster = load_roster(Engine.example_roster())
>>> verdicts = engine.evaluate("shizhong.exit_conditions", roster, date(2024, 6, 30))
>>> verdicts[0].list_id
'shizhong.exit_conditions'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from importlib.metadata import EntryPoint
from pathlib import Path
from typing import final

import attrs

from governance_core.expressions import FunctionRegistry, MissingFact
from governance_core.loading.assembly import assemble, read_files
from governance_core.loading.overlays import Change, OverlayFile
from governance_core.loading.policy_set import PolicySet
from governance_core.loading.sources import PolicySource
from governance_core.model import Dossier, Roster
from governance_core.plugins import (
    BUILTIN_SUPPLIER,
    Operation,
    OperationKind,
    Plugins,
    Settings,
    example_roster_file,
    installed_plugins,
    load_named,
)
from governance_core.plugins import builtin as builtin_plugin
from governance_core.rules.common import Supplier, SupplierKind
from governance_core.rules.criteria.evaluation import CompiledList
from governance_core.rules.criteria.kind import CRITERIA
from governance_core.rules.criteria.verdicts import ListFacts, ListVerdict, Outcome
from governance_core.rules.parameters import Parameter
from governance_core.rules.points import ClaimReviews, Ledger, load_ledger
from governance_core.rules.points.kind import POINTS
from governance_core.rules.scoring import Assessment, Entry, assess
from governance_core.rules.scoring.kind import SCORING
from governance_core.runtime import ProcessStore, Runtime

__all__ = ["CheckReport", "Engine", "PluginReport"]


@final
@attrs.frozen(slots=True)
class CheckReport:
    """What ``governance check`` reports once every policy loaded without problems."""

    lists: tuple[CompiledList, ...]
    incomplete: tuple[CompiledList, ...]
    unvalued: tuple[Parameter, ...]
    as_of: date
    changes: tuple[Change, ...] = ()
    loaded: Mapping[str, int] = attrs.field(factory=dict)
    """How many records of each section of every kind were loaded (``lists``, ``rubrics``,
    ``processes``, …)."""


@final
@attrs.frozen(slots=True)
class PluginReport:
    """A plugin as ``governance plugins`` shows it: status, hooks, and what it provides.

    ``status`` is ``loaded``, or ``installed`` for a plugin present in the environment but
    not named by the settings (so not used).
    """

    supplier: Supplier
    status: str
    hooks: tuple[str, ...] = ()
    lists: tuple[ListFacts, ...] = ()
    parameters: tuple[str, ...] = ()
    functions: tuple[str, ...] = ()
    records: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    """The ids it supplied of every other section of every kind (``rubrics``, ``processes``,
    …), by section."""


@final
@attrs.frozen(slots=True)
class _Inputs:
    """What a policy set was assembled from, so that overlays can derive another."""

    sources: tuple[PolicySource, ...]
    overlays: tuple[OverlayFile, ...]
    functions: FunctionRegistry


@final
class Engine:
    """Loaded plugins and policies, ready to evaluate rosters as of a date.

    ``strict_parameters``: a parameter with no value on the date is an error
    (:class:`~governance_core.errors.ParameterError`) instead of making items unknown.
    """

    __slots__ = ("_inputs", "plugins", "policies", "strict_parameters")

    def __init__(
        self,
        policies: PolicySet,
        plugins: Plugins,
        inputs: _Inputs,
        *,
        strict_parameters: bool = False,
    ) -> None:
        self.policies = policies
        self.plugins = plugins
        self._inputs = inputs
        self.strict_parameters = strict_parameters

    @classmethod
    def load(
        cls,
        settings: Settings | None = None,
        *,
        plugins: Sequence[str] = (),
        overlays: Sequence[str | Path] = (),
        policies: Sequence[str | Path] = (),
        register: Iterable[tuple[object, Supplier]] = (),
        strict_parameters: bool | None = None,
        available: Iterable[EntryPoint] | None = None,
    ) -> Engine:
        """Load the named plugins, policy files and overlays, and assemble one policy set.

        ``settings`` (from :func:`~governance_core.plugins.find_settings`) and the keyword
        arguments add up. ``register`` adds plugin objects of your own application without an
        entry point; ``available`` replaces the installed entry points (for tests).

        Raises :class:`~governance_core.errors.PluginError` when a named plugin is missing, of
        the wrong version, fails, or supplies invalid or conflicting records, and
        :class:`~governance_core.errors.PolicyError` for problems of the files given: nothing
        is evaluated without every rule that was asked for.
        """
        chosen = (settings or Settings()).merged(
            plugins=tuple(plugins),
            overlays=tuple(Path(p) for p in overlays),
            policies=tuple(Path(p) for p in policies),
            strict_parameters=strict_parameters,
        )
        manager = Plugins()
        manager.register(builtin_plugin, BUILTIN_SUPPLIER)
        load_named(manager, chosen.plugins, available=available)
        for plugin, supplier in register:
            manager.register(plugin, supplier)
        manager.check_pending()
        functions = manager.expression_functions()
        sources = manager.policy_sources()
        files, overlay_files = read_files(chosen.policies, chosen.overlays)
        inputs = _Inputs((*sources, *files), tuple(overlay_files), functions)
        return cls(
            assemble(inputs.sources, inputs.overlays, functions=functions),
            manager,
            inputs,
            strict_parameters=chosen.strict_parameters,
        )

    @classmethod
    def from_files(
        cls,
        paths: Iterable[str | Path],
        *,
        overlays: Iterable[str | Path] = (),
        strict_parameters: bool = False,
    ) -> Engine:
        """Policy files (and overlays) only, with the built-in functions and no plugin."""
        return cls.load(
            policies=tuple(paths), overlays=tuple(overlays), strict_parameters=strict_parameters
        )

    def with_overlays(self, paths: Iterable[str | Path]) -> Engine:
        """A new engine with these overlays applied after the ones already in use (an
        overlay already in use is not applied twice); this engine and its policies are left
        as they are."""
        applied = {Path(o.located.file).resolve() for o in self._inputs.overlays}
        _, read = read_files((), [p for p in paths if Path(p).resolve() not in applied])
        inputs = attrs.evolve(self._inputs, overlays=(*self._inputs.overlays, *read))
        policies = assemble(inputs.sources, inputs.overlays, functions=inputs.functions)
        return Engine(policies, self.plugins, inputs, strict_parameters=self.strict_parameters)

    @staticmethod
    def example_roster() -> Path:
        """Path of the bundled, fictional example roster."""
        return example_roster_file()

    def plugin_report(self) -> tuple[PluginReport, ...]:
        """Every plugin in use (the library's own included) with what it provides, then the
        installed plugins not named, by name."""
        reports = []
        for info in self.plugins.plugins():
            mine = info.supplier
            reports.append(
                PluginReport(
                    mine,
                    "loaded",
                    info.hooks,
                    tuple(
                        c.facts
                        for c in self.policies.of(CRITERIA).values()
                        if c.supplied_by == mine
                    ),
                    tuple(k for k, s in self.policies.parameter_suppliers.items() if s == mine),
                    tuple(
                        f.name
                        for f in self._inputs.functions.functions()
                        if self.plugins.function_owner(f.name) == mine
                    ),
                    {
                        section: ids
                        for section, ids in self.policies.provided_by(mine).items()
                        if section not in ("lists", "parameters")
                    },
                )
            )
        loaded = {r.supplier.name for r in reports}
        for entry in installed_plugins():
            if entry.name not in loaded:
                version = entry.dist.version if entry.dist is not None else "unknown"
                reports.append(
                    PluginReport(Supplier(SupplierKind.PLUGIN, entry.name, version), "installed")
                )
        return tuple(reports)

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
        without observations and checks. Observers (the ``governance_observe`` hook) see
        the evaluation.
        """
        compiled = self.policies.of(CRITERIA).find(list_id)
        dossiers = roster.dossiers(as_of) if isinstance(roster, Roster) else roster
        values = self.policies.values_on(as_of, strict=self.strict_parameters)
        operation = Operation(
            OperationKind.EVALUATE,
            list_id,
            as_of,
            len(dossiers),
            run=lambda: compiled.evaluate(dossiers, values, explain=explain),
        )
        verdicts: list[ListVerdict] = self.plugins.observe(operation)
        return verdicts

    def assess(
        self,
        policy_id: str,
        entries: Sequence[Entry],
        as_of: date,
        *,
        roster: Roster | None = None,
    ) -> Assessment:
        """Score, tally and grade ``entries`` under the grade policy ``policy_id`` as of
        ``as_of``: every score sheet, vote and grade, each saying which rule decided it.

        Vetoes and overrides that name a criteria list read the people's dossiers from
        ``roster``; a person not in it, or an inconclusive list, leaves that condition
        unknown and the grade inconclusive. Raises ScoringError listing every missing or
        invalid input.
        """
        scoring = self.policies.of(SCORING)
        policy = scoring.grade_policy(policy_id)
        named = {v.list for v in policy.vetoes} | {o.list for o in policy.overrides}
        outcomes: dict[str, dict[str, Outcome]] = {}
        if roster is not None:
            dossiers = roster.dossiers(as_of)
            for list_id in sorted(n for n in named if n is not None):
                for v in self.evaluate(list_id, dossiers, as_of, explain=False):
                    known = v.conclusive or v.outcome is Outcome.HIT
                    outcomes.setdefault(v.person_id, {})[list_id] = (
                        v.outcome if known else Outcome.UNKNOWN
                    )
        values = self.policies.values_on(as_of, strict=self.strict_parameters)
        operation = Operation(
            OperationKind.ASSESS,
            policy_id,
            as_of,
            len(entries),
            run=lambda: assess(
                policy,
                entries,
                rubric=scoring.rubrics.get(policy.rubric or ""),
                vote_rule=scoring.votes.get(policy.vote or ""),
                parameters=values,
                list_outcomes=outcomes,
                as_of=as_of,
                list_titles={
                    n: self.policies.of(CRITERIA)[n].criteria.title
                    for n in named
                    if n is not None and n in self.policies.of(CRITERIA)
                },
            ),
        )
        result: Assessment = self.plugins.observe(operation)
        return result

    def open_ledger(self, scheme_id: str) -> Ledger:
        """An empty ledger of the points scheme ``scheme_id``: register households, declare
        and review claims, redeem, and read statements. The scheme's veto effect is read as
        of each veto's approval day (None while it has no value)."""
        catalogue = self.policies.of(POINTS).catalogue(scheme_id)
        parameter = self.policies.parameters[catalogue.scheme.veto_effect]

        def veto_effect(day: date) -> str | None:
            try:
                return str(parameter.value_on(day))
            except MissingFact:
                return None

        return Ledger(catalogue, veto_effect)

    def read_ledger(
        self, path: str | Path, *, reviews: Mapping[str, ClaimReviews] | None = None
    ) -> Ledger:
        """A ledger replayed from a ledger file (households, claims with reviews,
        redemptions); LedgerError lists every problem, located, and nothing is returned
        half-built. ``reviews``: those a claim procedure took, by claim id, for the claims the
        file records no review of (an approval posts the points)."""
        return load_ledger(path, self.open_ledger, reviews)

    def runtime(
        self, store: ProcessStore | None = None, *, roster: Roster | None = None
    ) -> Runtime:
        """The loaded procedures, run against ``store`` (in memory when None). Guards read
        ``roster``'s dossiers as of each fire's date; without a roster, every guard is unknown
        and blocks its step."""
        facts = roster.dossier if roster is not None else (lambda subject, day: None)
        return Runtime(self.policies, store, facts=facts)

    def evaluate_all(
        self, roster: Roster, as_of: date, *, explain: bool = True
    ) -> list[ListVerdict]:
        """Every loaded list for every person, ordered by list id then person id."""
        dossiers = roster.dossiers(as_of)
        return [
            v
            for list_id in self.policies.of(CRITERIA)
            for v in self.evaluate(list_id, dossiers, as_of, explain=explain)
        ]

    def check(self, as_of: date) -> CheckReport:
        """Lists that are incomplete, parameters with no value on ``as_of``, and what the
        overlays changed."""
        lists = tuple(self.policies.of(CRITERIA).values())
        return CheckReport(
            lists,
            tuple(c for c in lists if not c.criteria.complete),
            self.policies.unvalued(as_of),
            as_of,
            self.policies.changes,
            {section: len(ids) for section, ids in self.policies.suppliers.items() if ids},
        )
