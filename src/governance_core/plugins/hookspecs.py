"""The hook specifications: what a district plugin may supply.

A plugin is a module (or object) with functions marked ``@hookimpl`` whose names are hooks
below; it is published under the entry-point group ``governance_core`` and loaded only when
named. Hooks are reached only through :class:`~governance_core.plugins.Plugins`, which calls
each plugin's implementation on its own, checks what it returns, names the plugin and version
in every error, and sorts results by id, so the order plugins are registered in never changes
a decision. Every hook documents what it returns, what ``None`` means, and an example that
``tests/loading/test_hooks.py`` runs as a plugin.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from os import PathLike
from typing import TYPE_CHECKING, Any

import pluggy

from governance_core.rules.kinds import PROJECT, hookspec

if TYPE_CHECKING:
    from governance_core.expressions import ExprFunction
    from governance_core.plugins._operation import Operation
    from governance_core.plugins.delivery import Delivery
    from governance_core.rules.parameters import Parameter

__all__ = ["PROJECT", "GovernanceSpecs", "hook_specs", "hookimpl", "hookspec"]

hookimpl = pluggy.HookimplMarker(PROJECT)
"""Mark a plugin's implementation of a hook: ``@hookimpl def governance_policy_files(): …``"""


class GovernanceSpecs:
    """The hooks every plugin may implement whatever kinds are registered; each kind of rule
    specifies the hooks that supply its records in its own package (``rules/criteria/
    hookspecs.py``, …), and :func:`hook_specs` lists them all."""

    @hookspec
    def governance_policy_files(self) -> Iterable[str | PathLike[str]] | None:
        """Policy files (YAML: ``lists`` and ``parameters``) this plugin supplies.

        The easiest way to write a plugin: keep the district's lists in YAML beside the
        module and return their paths. Each file is checked like one given on the command
        line; every problem names the file, line, column, rule and this plugin's version.

        :returns: paths of YAML policy files; ``None`` or an empty iterable for none.

        Example::

            from pathlib import Path
            from tempfile import mkdtemp

            from governance_core.plugins import hookimpl

            FOLDER = Path(mkdtemp())
            (FOLDER / "demo.yaml").write_text(
                "lists:\\n"
                "  - id: demo.files\\n"
                "    title: {zh: 示例清单, en: Example list}\\n"
                "    citation: {document: 示例, article: 一, source: example}\\n"
                "    declared_size: 1\\n"
                "    effect: advisory\\n"
                "    hit_policy: any\\n"
                "    items:\\n"
                "      - id: gangs\\n"
                "        title: {zh: 涉黑涉恶, en: Organised crime}\\n"
                "        citation: {document: 示例, article: 一, source: example}\\n"
                "        expression: has_finding('涉黑涉恶')\\n",
                encoding="utf-8",
            )

            @hookimpl
            def governance_policy_files():
                return [FOLDER / "demo.yaml"]
        """

    @hookspec
    def governance_parameters(self) -> Iterable[Parameter] | None:
        """Dated parameters built in Python: named values with effective ranges and a citation.

        Expressions of every loaded list may read them by id. A parameter the source names
        but does not publish has no values, so items reading it stay *unknown*.

        :returns: :class:`~governance_core.Parameter` records; ``None`` for none.

        Example::

            from datetime import date

            from governance_core.plugins import hookimpl
            from governance_core.rules.common import Citation, Title
            from governance_core.rules.parameters import Parameter, ParameterKind, ParameterValue

            @hookimpl
            def governance_parameters():
                return [Parameter(
                    "demo_ranking_day", Title("排名通报日", "Ranking day of the month"),
                    ParameterKind.NUMBER, Citation("示例", "一", "example"),
                    (ParameterValue(10, effective_from=date(2024, 1, 1)),),
                )]
        """

    @hookspec
    def governance_expression_functions(self) -> Iterable[ExprFunction] | None:
        """Functions expressions may call, beside the built-in ones.

        The library registers its own functions through this same hook. A name (English or Chinese) supplied by two plugins is an error naming both.

        :returns: :class:`~governance_core.expressions.ExprFunction` records;
            ``None`` for none.

        Example::

            from governance_core.plugins import hookimpl
            from governance_core.expressions import ExprFunction, ExprType, MissingFact

            def _households(dossier):
                if "联系户数" not in dossier.counts:
                    raise MissingFact("count '联系户数'")  # unknown, never a silent 0
                return dossier.counts["联系户数"]

            @hookimpl
            def governance_expression_functions():
                return [ExprFunction("households", "联系户数", (), ExprType.NUMBER,
                                     _households, "households the cadre keeps in touch with")]
        """

    @hookspec(firstresult=True)
    def governance_observe(self, operation: Operation) -> object:
        """Observe an operation: an evaluation, an assessment.

        Implement it as a wrapper (``@hookimpl(wrapper=True)``): code before ``yield`` runs
        before the operation, ``yield`` returns its result, and the wrapper must return that
        same result. Observers log, time and count; they never change a decision — a wrapper
        that returns anything else, or an implementation that is not a wrapper, is a
        :class:`~governance_core.errors.PluginError`.

        :param operation: what is about to run (kind, subject, date, number of records).
        :returns: the operation's result, unchanged (``None`` only if the operation's result
            is ``None``).

        Example::

            from governance_core.plugins import hookimpl

            SEEN = []

            @hookimpl(wrapper=True)
            def governance_observe(operation):
                SEEN.append((operation.kind.value, operation.subject, operation.size))
                result = yield
                return result
        """

    @hookspec
    def governance_deliver(self, delivery: Delivery) -> None:
        """Deliver a consequence a step recorded: send a notice, write to another system.

        Called by ``governance outbox deliver`` (and :func:`governance_core.jobs.delivery.
        deliver_due`) for each consequence due, once per plugin that implements it. Delivery
        is at least once: a deliverer that crashed before the consequence was acknowledged
        gets it again, with the same ``delivery.id``, so make sending idempotent by that id.
        Raise to fail: the consequence is tried again after a back-off, and is dead after the
        last attempt (``governance outbox retry`` revives it).

        :param delivery: the consequence (a bilingual title), its instance and step, and which
            attempt this is.
        :returns: ``None``; success is not raising.

        Example::

            from governance_core.plugins import hookimpl

            SENT = {}

            @hookimpl
            def governance_deliver(delivery):
                SENT.setdefault(delivery.id, delivery.consequence.zh)
        """


def hook_specs() -> dict[str, Callable[..., Any]]:
    """Every hook a plugin may implement, by name: the general ones above and those of each
    registered kind of rule."""
    from governance_core.loading.kinds import registered

    holders = [GovernanceSpecs, *(k.hookspecs for k in registered() if k.hookspecs is not None)]
    return {
        name: getattr(holder, name)
        for holder in holders
        for name in vars(holder)
        if name.startswith("governance_")
    }
