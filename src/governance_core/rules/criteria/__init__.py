"""Criteria lists (清单): their definitions, compiled evaluation, verdicts and rendering."""

from governance_core.rules.criteria.definition import CriteriaList, Criterion, Effect, HitPolicy
from governance_core.rules.criteria.evaluation import CompiledList
from governance_core.rules.criteria.verdicts import (
    Completeness,
    ItemStatus,
    ItemVerdict,
    ListFacts,
    ListVerdict,
    Outcome,
)

__all__ = [
    "CompiledList",
    "Completeness",
    "CriteriaList",
    "Criterion",
    "Effect",
    "HitPolicy",
    "ItemStatus",
    "ItemVerdict",
    "ListFacts",
    "ListVerdict",
    "Outcome",
]
