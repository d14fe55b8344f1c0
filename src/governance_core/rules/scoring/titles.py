"""Titles of the records and fields of rubrics, votes and grade policies in the published JSON Schemas
(loading/schemas.py), through the message catalog."""

from __future__ import annotations

from governance_core.messages import _
from governance_core.rules.kinds import SchemaTitles

__all__ = ["schema_titles"]


def schema_titles() -> SchemaTitles:
    """The titles in the current language."""
    return SchemaTitles(
        records={
            "Rubric": _("Scoring rubric"),
            "RubricSection": _("Section of a rubric"),
            "RubricLine": _("Line of a rubric"),
            "ScoringRule": _("Scoring rule"),
            "VoteRule": _("Satisfaction vote"),
            "GradePolicy": _("Grade policy"),
            "Quota": _("Quota"),
            "Band": _("Score band"),
            "Veto": _("Veto"),
            "Override": _("Override"),
            "GradePolicySettings": _("Settings of a grade policy"),
            "RubricSettings": _("Settings of a rubric"),
        },
        fields={
            "answers": _("Answers of the vote"),
            "at_least": _("Threshold parameter (at least)"),
            "bands": _("Score bands"),
            "base": _("Base points"),
            "bottom": _("Quotas from the bottom"),
            "classes": _("Points per class"),
            "composite": _("How the composite score is made"),
            "consequences": _("Consequences per grade"),
            "down": _("Points per step down"),
            "grade_policies": _("Grade policies"),
            "group_by": _("Ranking groups"),
            "input": _("Input read"),
            "lines": _("Lines"),
            "min_group": _("Smallest group given quota grades"),
            "overrides": _("Overrides"),
            "per": _("Points each"),
            "quorum": _("Turnout quorum"),
            "quota_base": _("Whom a share is taken of"),
            "range": _("Allowed range"),
            "rest": _("Grade of everyone else"),
            "rounding": _("Rounding"),
            "rubrics": _("Rubrics"),
            "rule": _("Rule of the rubric"),
            "rules": _("Rules"),
            "satisfied": _("Answers counted as satisfied"),
            "scale": _("Scale, best first"),
            "sections": _("Sections"),
            "share": _("Share of the group"),
            "threshold": _("Threshold"),
            "ties": _("Ties at a quota boundary"),
            "top": _("Quotas from the top"),
            "up": _("Points per step up"),
            "vetoed_slot": _("A vetoed person's place in a quota"),
            "vetoes": _("Vetoes"),
            "vote": _("Satisfaction vote"),
            "votes": _("Satisfaction votes"),
        },
    )
