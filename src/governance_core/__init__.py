"""governance_core: cadre-management policies of villages and communities, as code.

Criteria lists, dated parameters and expressions loaded from YAML or district plugins, adjusted
by overlays, evaluated "as of" a date, explained item by item, cited and rendered in Chinese or
English; procedures run as state machines with roles, guards, evidence and deadlines. The
public API is listed once, here; everything else is internal.
"""

from governance_core._version import __version__
from governance_core.engine import CheckReport, Engine, PluginReport
from governance_core.errors import (
    CalendarError,
    ConfigError,
    EvaluationError,
    ExpressionError,
    GovernanceError,
    ParameterError,
    PluginError,
    PolicyError,
    Problem,
    ProblemsError,
    RosterError,
    ScoringError,
    StepRefusedError,
    UnknownInstanceError,
    UnknownPolicyError,
    VersionConflictError,
    WorkflowError,
)
from governance_core.expressions import UNKNOWN, Expression, compile_expression
from governance_core.loading.assembly import load_policies
from governance_core.loading.policy_set import PolicySet
from governance_core.model import (
    Amount,
    Area,
    Count,
    Document,
    Dossier,
    Finding,
    Grade,
    Organisation,
    OrgLevel,
    Person,
    Post,
    Rank,
    Roster,
    from_json,
    load_roster,
    to_json,
)
from governance_core.plugins import Settings, find_settings, hookimpl, read_settings
from governance_core.rules.common import Citation, Supplier, SupplierKind, Title
from governance_core.rules.criteria.definition import CriteriaList, Criterion, Effect, HitPolicy
from governance_core.rules.criteria.verdicts import (
    ItemStatus,
    ItemVerdict,
    ListFacts,
    ListVerdict,
    Outcome,
)
from governance_core.rules.parameters import Parameter
from governance_core.rules.procedures import ProcessDefinition
from governance_core.runtime import (
    Actor,
    Event,
    FireResult,
    MemoryStore,
    Permission,
    ProcessInstance,
    ProcessStore,
    Runtime,
)

__all__ = [
    "UNKNOWN",
    "Actor",
    "Amount",
    "Area",
    "CalendarError",
    "CheckReport",
    "Citation",
    "ConfigError",
    "Count",
    "CriteriaList",
    "Criterion",
    "Document",
    "Dossier",
    "Effect",
    "Engine",
    "EvaluationError",
    "Event",
    "Expression",
    "ExpressionError",
    "Finding",
    "FireResult",
    "GovernanceError",
    "Grade",
    "HitPolicy",
    "ItemStatus",
    "ItemVerdict",
    "ListFacts",
    "ListVerdict",
    "MemoryStore",
    "OrgLevel",
    "Organisation",
    "Outcome",
    "Parameter",
    "ParameterError",
    "Permission",
    "Person",
    "PluginError",
    "PluginReport",
    "PolicyError",
    "PolicySet",
    "Post",
    "Problem",
    "ProblemsError",
    "ProcessDefinition",
    "ProcessInstance",
    "ProcessStore",
    "Rank",
    "Roster",
    "RosterError",
    "Runtime",
    "ScoringError",
    "Settings",
    "StepRefusedError",
    "Supplier",
    "SupplierKind",
    "Title",
    "UnknownInstanceError",
    "UnknownPolicyError",
    "VersionConflictError",
    "WorkflowError",
    "__version__",
    "compile_expression",
    "find_settings",
    "from_json",
    "hookimpl",
    "load_policies",
    "load_roster",
    "read_settings",
    "to_json",
]
