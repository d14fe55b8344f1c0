"""The typed facade over pluggy: the one place hooks are called.

Each plugin's implementation is called on its own, so that what it returns is checked against
the hook's record type and every problem names the plugin and its version; results are sorted
by explicit keys (plugin name, then id), never by pluggy's registration (LIFO) order. Anything
a plugin raises or returns wrongly becomes a :class:`PluginError`: plugins fail closed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from functools import partial
from os import PathLike
from pathlib import Path
from typing import Any, final

import attrs
import pluggy

from governance_core.errors import PluginError, Problem, ProblemsError
from governance_core.expressions import ExprFunction, FunctionRegistry
from governance_core.files import did_you_mean
from governance_core.loading.kinds import policy_sections, registered
from governance_core.loading.sources import PolicySource, read_policy_file, records_source
from governance_core.messages import _
from governance_core.plugins._guarded import guarded
from governance_core.plugins._operation import Operation
from governance_core.plugins.delivery import Delivery
from governance_core.plugins.hookspecs import PROJECT, GovernanceSpecs, hook_specs, hookimpl
from governance_core.rules.common import Supplier, SupplierKind
from governance_core.rules.kinds import Section

__all__ = ["PluginInfo", "Plugins"]


@final
@attrs.frozen(slots=True)
class PluginInfo:
    """A registered plugin: who it is and which hooks it implements."""

    supplier: Supplier
    hooks: tuple[str, ...]


class _Performer:
    """The innermost implementation of governance_observe: runs the operation. Observers
    wrap it."""

    @hookimpl(trylast=True)
    def governance_observe(self, operation: Operation) -> object:
        return operation.perform()


def _problem(supplier: Supplier, hook: str, message: str, hint: str | None = None) -> Problem:
    return Problem(message, file=str(supplier), rule_id=hook, hint=hint)


@final
class Plugins:
    """The plugins in use, behind typed calls."""

    __slots__ = ("_function_owners", "_pm", "_suppliers")

    def __init__(self) -> None:
        self._pm = pluggy.PluginManager(PROJECT)
        self._pm.add_hookspecs(GovernanceSpecs)
        for kind in registered():  # each kind of rule specifies the hooks of its records
            if kind.hookspecs is not None:
                self._pm.add_hookspecs(kind.hookspecs)
        self._pm.register(_Performer(), "governance_core.performer")
        self._suppliers: dict[str, Supplier] = {}
        self._function_owners: dict[str, Supplier] = {}

    def register(self, plugin: object, supplier: Supplier) -> None:
        """Register ``plugin`` under ``supplier.name``; a name registered twice, or an
        implementation that does not match its hook, is a PluginError."""
        if supplier.name in self._suppliers:
            raise PluginError(
                [
                    _problem(
                        supplier,
                        "register",
                        _("a plugin of this name is registered already"),
                        f"the other is {self._suppliers[supplier.name]}",
                    )
                ]
            )
        try:
            self._pm.register(plugin, supplier.name)
        except (pluggy.PluginValidationError, ValueError) as exc:
            raise PluginError(
                [_problem(supplier, "register", _("invalid plugin: {exc}").format(exc=exc))]
            ) from None
        self._suppliers[supplier.name] = supplier

    def check_pending(self) -> None:
        """Every ``governance_*`` implementation must match a hook: a misspelt hook name would
        otherwise be silently never called."""
        problems = []
        for name, supplier in sorted(self._suppliers.items()):
            plugin = self._pm.get_plugin(name)
            for attribute in sorted(dir(plugin)):
                # pluggy marks an implementation with "<project>_impl"; only those are hooks
                marked = hasattr(getattr(plugin, attribute, None), f"{PROJECT}_impl")
                if marked and attribute not in hook_specs():
                    problems.append(
                        _problem(
                            supplier,
                            attribute,
                            _("no hook is called {attribute!r}").format(attribute=attribute),
                            _closest_hook(attribute),
                        )
                    )
        if problems:
            raise PluginError(problems)
        self._pm.check_pending()  # what is left is a bug here, not in a plugin

    def plugins(self) -> tuple[PluginInfo, ...]:
        """The registered plugins, by name."""
        return tuple(
            PluginInfo(
                supplier,
                tuple(
                    sorted(
                        h.name for h in self._pm.get_hookcallers(self._pm.get_plugin(name)) or ()
                    )
                ),
            )
            for name, supplier in sorted(self._suppliers.items())
        )

    def _results(self, hook: str, *kinds: type[Any]) -> Iterator[tuple[Supplier, list[Any]]]:
        """Each plugin's records from a collecting hook, checked, by plugin name."""
        caller = getattr(self._pm.hook, hook)
        problems: list[Problem] = []
        found: list[tuple[Supplier, list[Any]]] = []
        for impl in sorted(caller.get_hookimpls(), key=lambda i: i.plugin_name):
            supplier = self._suppliers[impl.plugin_name]
            if impl.wrapper or impl.hookwrapper:
                problems.append(
                    _problem(supplier, hook, _("a collecting hook cannot be a wrapper"))
                )
                continue
            try:
                returned = impl.function()
                records = [] if returned is None else list(returned)
            except BaseException as exc:  # a plugin's failure of any kind fails closed
                problems.append(
                    _problem(
                        supplier,
                        hook,
                        _("raised {name}: {exc}").format(name=type(exc).__name__, exc=exc),
                    )
                )
                continue
            wrong = [r for r in records if not isinstance(r, kinds)]
            if wrong:
                problems.append(
                    _problem(
                        supplier,
                        hook,
                        _("returned {name} {record!r:.60} where a {expected} is expected").format(
                            name=type(wrong[0]).__name__,
                            record=wrong[0],
                            expected=" | ".join(k.__name__ for k in kinds),
                        ),
                    )
                )
                continue
            found.append((supplier, records))
        if problems:
            raise PluginError(problems)
        yield from found

    def policy_sources(self) -> list[PolicySource]:
        """Every plugin's policy files and records, each checked on its own; all problems
        of all plugins in one PluginError."""
        problems: list[Problem] = []
        sources: list[PolicySource] = []

        def collect(read: Callable[[], PolicySource], supplier: Supplier) -> None:
            try:
                sources.append(read())
            except ProblemsError as exc:
                problems.extend(_blamed(exc.problems, supplier))

        for supplier, paths in self._results("governance_policy_files", object):
            for path in paths:
                if not isinstance(path, str | PathLike):
                    problems.append(
                        _problem(
                            supplier,
                            "governance_policy_files",
                            _("returned {name} {path!r:.60} where a path is expected").format(
                                name=type(path).__name__, path=path
                            ),
                        )
                    )
                    continue
                collect(partial(read_policy_file, Path(path), supplier), supplier)
        # records built in Python: each hook's records go to the section of their type
        by_supplier: dict[Supplier, dict[str, list[Any]]] = {}
        for hook, sections in _hooked_sections().items():
            kinds = tuple(section.record for section in sections)
            for supplier, records in self._results(hook, *kinds):
                for record in records:
                    section = next(s for s in sections if isinstance(record, s.record))
                    by_supplier.setdefault(supplier, {}).setdefault(section.name, []).append(record)
        for supplier, sections_found in sorted(by_supplier.items()):
            collect(partial(records_source, sections_found, supplier, PluginError), supplier)
        if problems:
            raise PluginError(problems)
        return sources

    def expression_functions(self) -> FunctionRegistry:
        """Every plugin's expression functions (the built-in ones included) in one registry,
        by name; a name supplied twice is an error naming both plugins."""
        owner: dict[str, Supplier] = {}
        functions = []
        problems = []
        for supplier, records in self._results("governance_expression_functions", ExprFunction):
            for function in records:
                clash = next(
                    (owner[n] for n in (function.name, function.zh_name) if n in owner), None
                )
                if clash is not None:
                    problems.append(
                        _problem(
                            supplier,
                            "governance_expression_functions",
                            _("function {name} ({zh_name}) is supplied twice").format(
                                name=function.name, zh_name=function.zh_name
                            ),
                            f"also supplied by {clash}",
                        )
                    )
                    continue
                owner[function.name] = owner[function.zh_name] = supplier
                foreign = supplier.kind is SupplierKind.PLUGIN
                functions.append(guarded(function, supplier) if foreign else function)
        if problems:
            raise PluginError(problems)
        self._function_owners = owner
        return FunctionRegistry(sorted(functions, key=lambda f: f.name))

    def function_owner(self, name: str) -> Supplier | None:
        """Who supplied the expression function ``name`` (after expression_functions())."""
        return self._function_owners.get(name)

    def deliver(self, delivery: Delivery) -> None:
        """Hand ``delivery`` to every plugin that delivers consequences; the first failure
        is a PluginError naming the plugin (the others are not called for this attempt)."""
        for impl in self._pm.hook.governance_deliver.get_hookimpls():
            supplier = self._suppliers.get(impl.plugin_name)
            try:
                impl.function(delivery=delivery)
            except BaseException as exc:  # any failure, exits too: the delivery is retried
                where = supplier or Supplier(SupplierKind.PLUGIN, impl.plugin_name, "")
                reason = f"{type(exc).__name__}: {str(exc)[:300]}"
                raise PluginError([_problem(where, "governance_deliver", reason)]) from None

    def delivers(self) -> bool:
        """Whether any plugin delivers consequences."""
        return bool(self._pm.hook.governance_deliver.get_hookimpls())

    def observe(self, operation: Operation) -> Any:
        """Run ``operation`` inside every observer; an observer that is not a wrapper, fails,
        or changes the result is a PluginError."""
        caller = self._pm.hook.governance_observe
        for impl in caller.get_hookimpls():
            if impl.plugin_name in self._suppliers and not impl.wrapper:
                supplier = self._suppliers[impl.plugin_name]
                raise PluginError(
                    [
                        _problem(
                            supplier,
                            "governance_observe",
                            _("an observer must be a wrapper: @hookimpl(wrapper=True)"),
                        )
                    ]
                )
        performed: list[Any] = []
        failed: list[BaseException] = []

        def run() -> Any:
            try:
                performed.append(operation.perform())
            except BaseException as exc:
                failed.append(exc)
                raise
            return performed[0]

        try:
            result = caller(operation=attrs.evolve(operation, run=run))
        except BaseException as exc:  # SystemExit from an observer too: never exit 0 silently
            if failed and exc is failed[0]:
                raise  # the operation's own error, through the observers unchanged
            raise PluginError(
                [
                    Problem(
                        _("an observer raised {name}: {exc}").format(
                            name=type(exc).__name__, exc=exc
                        ),
                        rule_id="governance_observe",
                    )
                ]
            ) from exc
        if not performed or result is not performed[0]:
            raise PluginError(
                [
                    Problem(
                        _("an observer changed or dropped the result"),
                        rule_id="governance_observe",
                        hint=_("return the value yield gives back, unchanged"),
                    )
                ]
            )
        return result


def _hooked_sections() -> dict[str, list[Section[Any]]]:
    """The sections of policy files that plugins may also fill from Python, by hook."""
    hooked: dict[str, list[Section[Any]]] = {}
    for section in policy_sections():
        if section.hook is not None:
            hooked.setdefault(section.hook, []).append(section)
    return hooked


def _blamed(problems: Iterable[Problem], supplier: Supplier) -> Iterator[Problem]:
    for p in problems:
        yield attrs.evolve(p, hint="; ".join(filter(None, (p.hint, f"supplied by {supplier}"))))


def _closest_hook(name: str) -> str | None:
    return did_you_mean(name, list(hook_specs()))
