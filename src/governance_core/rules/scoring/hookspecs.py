"""The plugin hooks that supply rubrics, votes and grade policies from Python (reached through
:class:`~governance_core.plugins.Plugins`, like every hook; docs/plugins.md)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from governance_core.rules.kinds import hookspec

if TYPE_CHECKING:
    from governance_core.rules.scoring import GradePolicy, Rubric, VoteRule

__all__ = ["ScoringSpecs"]


class ScoringSpecs:
    """The hooks of this kind; ``tests/loading/test_hooks.py`` runs each example as a plugin."""

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
