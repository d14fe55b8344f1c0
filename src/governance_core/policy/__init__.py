"""Policies: criteria lists, dated parameters, expressions, verdicts, and their loader."""

from governance_core.policy.criteria import CriteriaList, Criterion, Effect, HitPolicy
from governance_core.policy.evaluation import CompiledList
from governance_core.policy.loader import PolicyFile, load_policies
from governance_core.policy.parameters import (
    Parameter,
    ParameterKind,
    ParameterValue,
    ParameterValues,
)
from governance_core.policy.policy_set import PolicySet
from governance_core.policy.records import Citation, Title
from governance_core.policy.verdicts import (
    Completeness,
    ItemStatus,
    ItemVerdict,
    ListFacts,
    ListVerdict,
    Outcome,
)

__all__ = [
    "Citation",
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
    "Parameter",
    "ParameterKind",
    "ParameterValue",
    "ParameterValues",
    "PolicyFile",
    "PolicySet",
    "Title",
    "load_policies",
]
