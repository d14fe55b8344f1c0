"""Policies: criteria lists, dated parameters, expressions, verdicts, and their loader."""

from governance_core.policy.assembly import assemble, load_policies, read_files
from governance_core.policy.criteria import CriteriaList, Criterion, Effect, HitPolicy
from governance_core.policy.evaluation import CompiledList
from governance_core.policy.overlay import Change, ChangeKind, OverlayFile, read_overlay
from governance_core.policy.parameters import (
    Parameter,
    ParameterKind,
    ParameterValue,
    ParameterValues,
)
from governance_core.policy.policy_set import PolicySet
from governance_core.policy.records import Citation, Supplier, SupplierKind, Title
from governance_core.policy.sources import (
    PolicyFile,
    PolicySource,
    read_policy_file,
    records_source,
)
from governance_core.policy.verdicts import (
    Completeness,
    ItemStatus,
    ItemVerdict,
    ListFacts,
    ListVerdict,
    Outcome,
)

__all__ = [
    "Change",
    "ChangeKind",
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
    "OverlayFile",
    "Parameter",
    "ParameterKind",
    "ParameterValue",
    "ParameterValues",
    "PolicyFile",
    "PolicySet",
    "PolicySource",
    "Supplier",
    "SupplierKind",
    "Title",
    "assemble",
    "load_policies",
    "read_files",
    "read_overlay",
    "read_policy_file",
    "records_source",
]
