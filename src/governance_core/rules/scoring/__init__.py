"""Scoring: rubrics and score sheets, satisfaction votes, composite scores and grades.

See docs/scoring.md. Everything is exact (fractions); every line, vote and grade is cited and
says which rule decided it.
"""

from governance_core.rules.scoring._assessment import (
    Assessment,
    AssessmentFile,
    Entry,
    assess,
    assessment_file,
    read_assessment,
)
from governance_core.rules.scoring._grade_policy import (
    Band,
    Composite,
    GradePolicy,
    Override,
    OverrideKind,
    Quota,
    QuotaBase,
    Rounding,
    Ties,
    Veto,
    VetoedSlot,
    VetoKind,
)
from governance_core.rules.scoring._grading import Candidate, Graded, grade_group
from governance_core.rules.scoring._rubric import (
    Rubric,
    RubricLine,
    RubricSection,
    RuleKind,
    ScoringRule,
    UnitRounding,
    rubric_problems,
)
from governance_core.rules.scoring._sheet import ScoreLine, ScoreSheet, score, sheet_data
from governance_core.rules.scoring._vote import Ballots, VoteResult, VoteRule, tally

__all__ = [
    "Assessment",
    "AssessmentFile",
    "Ballots",
    "Band",
    "Candidate",
    "Composite",
    "Entry",
    "GradePolicy",
    "Graded",
    "Override",
    "OverrideKind",
    "Quota",
    "QuotaBase",
    "Rounding",
    "Rubric",
    "RubricLine",
    "RubricSection",
    "RuleKind",
    "ScoreLine",
    "ScoreSheet",
    "ScoringRule",
    "Ties",
    "UnitRounding",
    "Veto",
    "VetoKind",
    "VetoedSlot",
    "VoteResult",
    "VoteRule",
    "assess",
    "assessment_file",
    "grade_group",
    "read_assessment",
    "rubric_problems",
    "score",
    "sheet_data",
    "tally",
]
