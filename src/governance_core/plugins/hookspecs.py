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

from collections.abc import Iterable
from os import PathLike
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    from governance_core.expressions import ExprFunction
    from governance_core.plugins._operation import Operation
    from governance_core.plugins.delivery import Delivery
    from governance_core.rules.criteria.definition import CriteriaList
    from governance_core.rules.parameters import Parameter
    from governance_core.rules.procedures import ProcessChanges, ProcessDefinition
    from governance_core.rules.scoring import GradePolicy, Rubric, VoteRule

__all__ = ["PROJECT", "GovernanceSpecs", "hookimpl", "hookspec"]

PROJECT = "governance_core"
"""The pluggy project name and the entry-point group plugins are published under."""

hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)
"""Mark a plugin's implementation of a hook: ``@hookimpl def governance_policy_files(): …``"""


class GovernanceSpecs:
    """The hooks, in the order a policy set is assembled."""

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
    def governance_criteria_lists(self) -> Iterable[CriteriaList] | None:
        """Criteria lists built in Python, for lists generated from other data.

        The records are checked as if read from a file (types, ids, numbers, sizes,
        expressions); a malformed record is a :class:`~governance_core.errors.PluginError`
        naming this plugin.

        :returns: :class:`~governance_core.CriteriaList` records; ``None`` for none.

        Example::

            from governance_core.plugins import hookimpl
            from governance_core.rules.common import Citation, Title
            from governance_core.rules.criteria.definition import CriteriaList, Criterion, Effect, HitPolicy

            SOURCE = Citation("示例文件", "第一条", "example")

            @hookimpl
            def governance_criteria_lists():
                item = Criterion("gangs", Title("涉黑涉恶", "Organised crime"), SOURCE,
                                 'has_finding("涉黑涉恶")')
                return [CriteriaList("demo.records", Title("示例", "Example"), SOURCE, 1,
                                     Effect.ADVISORY, HitPolicy.ANY, (item,))]
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

    @hookspec
    def governance_rubrics(self) -> Iterable[Rubric | VoteRule] | None:
        """Scoring rubrics and satisfaction votes built in Python.

        The instruments a score is computed from (docs/scoring.md), checked as if read from a
        file: each rule's fields fit its kind, a section's base is the sum of its lines'
        points, ids and inputs are unique.

        :returns: :class:`~governance_core.rules.scoring.Rubric` and
            :class:`~governance_core.rules.scoring.VoteRule` records; ``None`` for none.

        Example::

            from governance_core.plugins import hookimpl
            from governance_core.rules.common import Citation, Title
            from governance_core.rules.scoring import (
                Rubric, RubricLine, RubricSection, RuleKind, ScoringRule, VoteRule,
            )

            SOURCE = Citation("示例细则", "第一条", "example")

            @hookimpl
            def governance_rubrics():
                missed = ScoringRule("missed", Title("每缺1次扣1分", "−1 per miss"),
                                     RuleKind.DEDUCT_PER, "meetings_missed", per=1)
                meetings = RubricLine("meetings", Title("工作例会", "Meetings"), SOURCE,
                                      (missed,), 8)
                section = RubricSection("rules", Title("工作制度", "Rules"), SOURCE,
                                        (meetings,), 8)
                vote = VoteRule("demo.vote", Title("满意度", "Satisfaction"), SOURCE,
                                ("满意", "不满意"), ("满意",), (2, 3))
                return [Rubric("demo.rubric", Title("示例考评", "Example"), SOURCE, (section,)), vote]
        """

    @hookspec
    def governance_grade_policies(self) -> Iterable[GradePolicy] | None:
        """Ranking and grade policies built in Python.

        Which score, groups, quotas with their rounding and tie rule, vetoes, overrides and
        consequences (docs/scoring.md). What a policy names (rubrics, votes, lists, parameters) must be loaded too.

        :returns: :class:`~governance_core.rules.scoring.GradePolicy` records; ``None`` for
            none.

        Example::

            from governance_core.plugins import hookimpl
            from governance_core.rules.common import Citation, Title
            from governance_core.rules.scoring import (
                Composite, GradePolicy, Quota, Rounding, Ties, VetoedSlot,
            )

            @hookimpl
            def governance_grade_policies():
                return [GradePolicy(
                    "demo.tiers", Title("三个等次", "Three tiers"), Citation("示例", "一", "example"),
                    Composite.GIVEN, ("优秀", "一般", "较差"), ("town",), "一般",
                    Rounding.HALF_UP, Ties.WITHHOLD, VetoedSlot.LEAVE,
                    top=(Quota("优秀", share=(4, 10)),), bottom=(Quota("较差", share=(1, 10)),),
                )]
        """

    @hookspec
    def governance_process_definitions(self) -> Iterable[ProcessDefinition] | None:
        """Procedures built in Python: states, steps, roles, guards, evidence, deadlines.

        Checked as if read from a policy file's ``processes`` section, after every extension
        and overlay is merged (docs/procedures.md): one initial state, every state reachable,
        terminal states absorbing, every state able to reach an end, guards naming loaded
        lists and valid expressions.

        :returns: :class:`~governance_core.rules.procedures.ProcessDefinition` records;
            ``None`` for none.

        Example::

            from governance_core.plugins import hookimpl
            from governance_core.rules.common import Citation, Title
            from governance_core.rules.procedures import (
                ProcessDefinition, Role, State, Step, SubjectKind,
            )

            @hookimpl
            def governance_process_definitions():
                town = Role("town_committee", Title("镇街党(工)委", "Town party committee"))
                return [ProcessDefinition(
                    "demo.review", Title("审核", "Review"), Citation("示例", "一", "example"),
                    SubjectKind.MATTER, "submitted",
                    (State("submitted", Title("已提交", "Submitted")),
                     State("approved", Title("已批准", "Approved"), terminal=True)),
                    (Step("approve", Title("批准", "Approve"), ("submitted",), "approved",
                          roles=("town_committee",)),),
                    roles=(town,),
                )]
        """

    @hookspec
    def governance_process_extensions(self) -> Iterable[ProcessChanges] | None:
        """Additions to procedures other suppliers define.

        Roles, states, steps, guards and evidence may be added; a step that is not required
        may be removed, with a reason. Extensions are applied in the order of their suppliers' names, before overlays; the
        merged procedure is checked whole, so an extension cannot orphan a required step.

        :returns: :class:`~governance_core.rules.procedures.ProcessChanges` records; ``None``
            for none.

        Example::

            from governance_core.plugins import hookimpl
            from governance_core.rules.common import Title
            from governance_core.rules.procedures import (
                EvidenceKind, ProcessChanges, StepExtension,
            )

            @hookimpl
            def governance_process_extensions():
                photos = EvidenceKind("photos", Title("公开栏照片", "Photo of the notice board"))
                return [ProcessChanges(
                    "core.four_deliberations_two_disclosures",
                    extend=(StepExtension("disclose_results", evidence=(photos,)),),
                )]
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
