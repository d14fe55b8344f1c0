"""Scoring as a kind of rule: rubrics, satisfaction votes and grade policies from the
``rubrics:``, ``votes:`` and ``grade_policies:`` sections, each checked on its own, then each
grade policy against the rubrics, votes, lists and parameters it names."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, final

import attrs

from governance_core.errors import Problem
from governance_core.files import Located
from governance_core.files.yaml_tree import Path as DataPath
from governance_core.messages import N_
from governance_core.rules.common import Title, find, range_problems
from governance_core.rules.kinds import Assembly, SchemaTitles, Section
from governance_core.rules.provenance import located_problems
from governance_core.rules.scoring._checks import (
    grade_policy_problems,
    reference_problems,
    vote_problems,
)
from governance_core.rules.scoring._grade_policy import GradePolicy
from governance_core.rules.scoring._rubric import Rubric, rubric_problems
from governance_core.rules.scoring._vote import VoteRule
from governance_core.rules.scoring.hookspecs import ScoringSpecs
from governance_core.rules.scoring.overlay import (
    GradePolicySettings,
    RubricSettings,
    apply_rubric_settings,
    apply_settings,
)
from governance_core.rules.scoring.titles import schema_titles

__all__ = ["GRADE_POLICIES", "RUBRICS", "SCORING", "VOTES", "Scoring", "ScoringKind"]


@final
@attrs.frozen(slots=True)
class Scoring:
    """The scoring policies of a set, by id: rubrics, votes and grade policies."""

    rubrics: Mapping[str, Rubric] = attrs.field(factory=dict)
    votes: Mapping[str, VoteRule] = attrs.field(factory=dict)
    grade_policies: Mapping[str, GradePolicy] = attrs.field(factory=dict)

    def rubric(self, rubric_id: str) -> Rubric:
        """The rubric with this id; UnknownPolicyError (with a "did you mean")."""
        return find(N_("rubric"), N_("rubrics"), self.rubrics, rubric_id)

    def grade_policy(self, policy_id: str) -> GradePolicy:
        """The grade policy with this id; UnknownPolicyError (with a "did you mean")."""
        return find(N_("grade policy"), N_("grade policies"), self.grade_policies, policy_id)


def _rubric(located: Located, base: DataPath, rubric: Rubric) -> tuple[Rubric, list[Problem]]:
    return rubric, list(rubric_problems(located, base, rubric))


def _vote(located: Located, base: DataPath, vote: VoteRule) -> tuple[VoteRule, list[Problem]]:
    return vote, list(located_problems(located, base, vote.id, vote_problems(vote)))


def _grading(
    located: Located, base: DataPath, grading: GradePolicy
) -> tuple[GradePolicy, list[Problem]]:
    return grading, [
        *located_problems(located, base, grading.id, grade_policy_problems(grading)),
        *range_problems(located, base, grading.id, grading.effective_from, grading.effective_to),
    ]


RUBRICS = Section(
    "rubrics", Rubric, title=Title("评分细则", "rubrics"), check=_rubric, hook="governance_rubrics"
)
VOTES = Section(
    "votes", VoteRule, title=Title("满意度测评", "votes"), check=_vote, hook="governance_rubrics"
)
GRADE_POLICIES = Section(
    "grade_policies",
    GradePolicy,
    title=Title("等次评定", "grade policies"),
    check=_grading,
    hook="governance_grade_policies",
)
GRADE_POLICY_SETTINGS = Section("grade_policies", GradePolicySettings, rule_field="grade_policy")
RUBRIC_SETTINGS = Section("rubrics", RubricSettings, rule_field="rubric")


@final
@attrs.frozen(slots=True)
class ScoringKind:
    """Rubrics, votes and grade policies; ``PolicySet.of(SCORING)`` is a :class:`Scoring`."""

    name: str = "scoring"
    sections: tuple[Section[Any], ...] = (RUBRICS, VOTES, GRADE_POLICIES)
    overlay_sections: tuple[Section[Any], ...] = (GRADE_POLICY_SETTINGS, RUBRIC_SETTINGS)
    titles: Callable[[], SchemaTitles] = schema_titles
    hookspecs: type | None = ScoringSpecs

    def assemble(self, assembly: Assembly) -> Scoring:
        rubrics = apply_rubric_settings(
            assembly,
            {k: r for k, (r, _) in assembly.records(RUBRICS).items()},
            assembly.overlay_entries(RUBRIC_SETTINGS),
        )
        votes = {k: v for k, (v, _) in assembly.records(VOTES).items()}
        gradings = assembly.records(GRADE_POLICIES)
        lists = assembly.declared("lists")
        for grading, origin in gradings.values():
            for sub, message, hint in reference_problems(
                grading, rubrics, votes, lists, assembly.parameters
            ):
                assembly.problems.at(origin, sub, message, grading.id, hint)
        settings = assembly.overlay_entries(GRADE_POLICY_SETTINGS)
        return Scoring(rubrics, votes, apply_settings(assembly, gradings, settings))


SCORING = ScoringKind()
"""The scoring kind, registered under the entry-point group ``governance_core.kinds``."""
