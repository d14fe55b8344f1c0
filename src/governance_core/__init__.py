"""governance_core: cadre-management policies of villages and communities, as code.

Criteria lists, dated parameters and expressions loaded from YAML or district plugins, adjusted
by overlays, evaluated "as of" a date, explained item by item, cited and rendered in Chinese or
English; procedures run as state machines with roles, guards, evidence and deadlines. The
public API is listed once, here; everything else is internal.
"""

import importlib as _importlib
from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any

from governance_core._version import __version__

# the public API: each name and the module that defines it. Names load on first use (PEP 562),
# so `import governance_core` (and the command line's start) pays only for what is used.
_PUBLIC: dict[str, str] = {
    "Actor": "governance_core.runtime",
    "Amount": "governance_core.model",
    "Area": "governance_core.model",
    "Assessment": "governance_core.rules.scoring",
    "CalendarError": "governance_core.errors",
    "Catalogue": "governance_core.rules.points",
    "CheckReport": "governance_core.engine",
    "Citation": "governance_core.rules.common",
    "Claim": "governance_core.rules.points",
    "ClaimStatus": "governance_core.rules.points",
    "compile_expression": "governance_core.expressions",
    "CompiledList": "governance_core.rules.criteria",
    "CompiledProcess": "governance_core.runtime",
    "Completeness": "governance_core.rules.criteria",
    "ConfigError": "governance_core.errors",
    "Count": "governance_core.model",
    "CriteriaList": "governance_core.rules.criteria.definition",
    "Criterion": "governance_core.rules.criteria.definition",
    "Cycle": "governance_core.rules.cycles",
    "Cycles": "governance_core.rules.cycles",
    "Blocked": "governance_core.runtime",
    "Deadline": "governance_core.runtime",
    "Document": "governance_core.model",
    "Dossier": "governance_core.model",
    "DueStep": "governance_core.runtime",
    "Effect": "governance_core.rules.criteria.definition",
    "EffectKind": "governance_core.model",
    "Engine": "governance_core.engine",
    "EvaluationError": "governance_core.errors",
    "Event": "governance_core.runtime",
    "Expression": "governance_core.expressions",
    "ExpressionError": "governance_core.errors",
    "find_settings": "governance_core.plugins",
    "Finding": "governance_core.model",
    "FireResult": "governance_core.runtime",
    "from_json": "governance_core.model",
    "GovernanceError": "governance_core.errors",
    "Grade": "governance_core.model",
    "GradePolicy": "governance_core.rules.scoring",
    "HitPolicy": "governance_core.rules.criteria.definition",
    "hookimpl": "governance_core.plugins",
    "ImposedEffect": "governance_core.model",
    "Household": "governance_core.rules.points",
    "ItemStatus": "governance_core.rules.criteria.verdicts",
    "ItemVerdict": "governance_core.rules.criteria.verdicts",
    "Ledger": "governance_core.rules.points",
    "ListFacts": "governance_core.rules.criteria.verdicts",
    "ListVerdict": "governance_core.rules.criteria.verdicts",
    "load_policies": "governance_core.loading.assembly",
    "load_roster": "governance_core.model",
    "Manifest": "governance_core.loading.manifest",
    "MemoryStore": "governance_core.runtime",
    "Organisation": "governance_core.model",
    "OrganisationRecord": "governance_core.model",
    "OrgLevel": "governance_core.model",
    "Outcome": "governance_core.rules.criteria.verdicts",
    "Parameter": "governance_core.rules.parameters",
    "ParameterError": "governance_core.errors",
    "ParameterValues": "governance_core.rules.parameters",
    "Period": "governance_core.rules.cycles",
    "Permission": "governance_core.runtime",
    "Person": "governance_core.model",
    "Planned": "governance_core.rules.cycles",
    "PluginError": "governance_core.errors",
    "PluginReport": "governance_core.engine",
    "PointCategory": "governance_core.rules.points",
    "PointItem": "governance_core.rules.points",
    "Points": "governance_core.rules.points.kind",
    "PolicyError": "governance_core.errors",
    "PolicySet": "governance_core.loading.policy_set",
    "Post": "governance_core.model",
    "Posting": "governance_core.rules.points",
    "Problem": "governance_core.errors",
    "ProblemKind": "governance_core.errors",
    "ProblemsError": "governance_core.errors",
    "ProcessDefinition": "governance_core.rules.procedures",
    "ProcessInstance": "governance_core.runtime",
    "ProcessStore": "governance_core.runtime",
    "Rank": "governance_core.model",
    "read_settings": "governance_core.plugins",
    "Refusal": "governance_core.errors",
    "RefusalKind": "governance_core.errors",
    "RequestReusedError": "governance_core.errors",
    "Roster": "governance_core.model",
    "RosterError": "governance_core.errors",
    "RosterIssue": "governance_core.model",
    "Rubric": "governance_core.rules.scoring",
    "RubricLine": "governance_core.rules.scoring",
    "RubricSection": "governance_core.rules.scoring",
    "Runtime": "governance_core.runtime",
    "Sweep": "governance_core.runtime",
    "Scoring": "governance_core.rules.scoring.kind",
    "ScoringError": "governance_core.errors",
    "ScoringRule": "governance_core.rules.scoring",
    "Settings": "governance_core.plugins",
    "State": "governance_core.rules.procedures",
    "Statement": "governance_core.rules.points",
    "Step": "governance_core.rules.procedures",
    "StepRefusedError": "governance_core.errors",
    "Supplier": "governance_core.rules.common",
    "SupplierKind": "governance_core.rules.common",
    "Title": "governance_core.rules.common",
    "to_json": "governance_core.model",
    "UNKNOWN": "governance_core.expressions",
    "UnknownInstanceError": "governance_core.errors",
    "UnknownPolicyError": "governance_core.errors",
    "VersionConflictError": "governance_core.errors",
    "WorkflowError": "governance_core.errors",
}

__all__ = ["__version__", *sorted(_PUBLIC)]

# the same names, re-exported for type checkers (tests/engine/test_public_api.py)
if _TYPE_CHECKING:
    from governance_core.engine import CheckReport as CheckReport
    from governance_core.engine import Engine as Engine
    from governance_core.engine import PluginReport as PluginReport
    from governance_core.errors import CalendarError as CalendarError
    from governance_core.errors import ConfigError as ConfigError
    from governance_core.errors import EvaluationError as EvaluationError
    from governance_core.errors import ExpressionError as ExpressionError
    from governance_core.errors import GovernanceError as GovernanceError
    from governance_core.errors import ParameterError as ParameterError
    from governance_core.errors import PluginError as PluginError
    from governance_core.errors import PolicyError as PolicyError
    from governance_core.errors import Problem as Problem
    from governance_core.errors import ProblemKind as ProblemKind
    from governance_core.errors import ProblemsError as ProblemsError
    from governance_core.errors import Refusal as Refusal
    from governance_core.errors import RefusalKind as RefusalKind
    from governance_core.errors import RequestReusedError as RequestReusedError
    from governance_core.errors import RosterError as RosterError
    from governance_core.errors import ScoringError as ScoringError
    from governance_core.errors import StepRefusedError as StepRefusedError
    from governance_core.errors import UnknownInstanceError as UnknownInstanceError
    from governance_core.errors import UnknownPolicyError as UnknownPolicyError
    from governance_core.errors import VersionConflictError as VersionConflictError
    from governance_core.errors import WorkflowError as WorkflowError
    from governance_core.expressions import UNKNOWN as UNKNOWN
    from governance_core.expressions import Expression as Expression
    from governance_core.expressions import compile_expression as compile_expression
    from governance_core.loading.assembly import load_policies as load_policies
    from governance_core.loading.manifest import Manifest as Manifest
    from governance_core.loading.policy_set import PolicySet as PolicySet
    from governance_core.model import Amount as Amount
    from governance_core.model import Area as Area
    from governance_core.model import Count as Count
    from governance_core.model import Document as Document
    from governance_core.model import Dossier as Dossier
    from governance_core.model import EffectKind as EffectKind
    from governance_core.model import Finding as Finding
    from governance_core.model import Grade as Grade
    from governance_core.model import ImposedEffect as ImposedEffect
    from governance_core.model import Organisation as Organisation
    from governance_core.model import OrganisationRecord as OrganisationRecord
    from governance_core.model import OrgLevel as OrgLevel
    from governance_core.model import Person as Person
    from governance_core.model import Post as Post
    from governance_core.model import Rank as Rank
    from governance_core.model import Roster as Roster
    from governance_core.model import RosterIssue as RosterIssue
    from governance_core.model import from_json as from_json
    from governance_core.model import load_roster as load_roster
    from governance_core.model import to_json as to_json
    from governance_core.plugins import Settings as Settings
    from governance_core.plugins import find_settings as find_settings
    from governance_core.plugins import hookimpl as hookimpl
    from governance_core.plugins import read_settings as read_settings
    from governance_core.rules.common import Citation as Citation
    from governance_core.rules.common import Supplier as Supplier
    from governance_core.rules.common import SupplierKind as SupplierKind
    from governance_core.rules.common import Title as Title
    from governance_core.rules.criteria import CompiledList as CompiledList
    from governance_core.rules.criteria import Completeness as Completeness
    from governance_core.rules.criteria.definition import CriteriaList as CriteriaList
    from governance_core.rules.criteria.definition import Criterion as Criterion
    from governance_core.rules.criteria.definition import Effect as Effect
    from governance_core.rules.criteria.definition import HitPolicy as HitPolicy
    from governance_core.rules.criteria.verdicts import ItemStatus as ItemStatus
    from governance_core.rules.criteria.verdicts import ItemVerdict as ItemVerdict
    from governance_core.rules.criteria.verdicts import ListFacts as ListFacts
    from governance_core.rules.criteria.verdicts import ListVerdict as ListVerdict
    from governance_core.rules.criteria.verdicts import Outcome as Outcome
    from governance_core.rules.cycles import Cycle as Cycle
    from governance_core.rules.cycles import Cycles as Cycles
    from governance_core.rules.cycles import Period as Period
    from governance_core.rules.cycles import Planned as Planned
    from governance_core.rules.parameters import Parameter as Parameter
    from governance_core.rules.parameters import ParameterValues as ParameterValues
    from governance_core.rules.points import Catalogue as Catalogue
    from governance_core.rules.points import Claim as Claim
    from governance_core.rules.points import ClaimStatus as ClaimStatus
    from governance_core.rules.points import Household as Household
    from governance_core.rules.points import Ledger as Ledger
    from governance_core.rules.points import PointCategory as PointCategory
    from governance_core.rules.points import PointItem as PointItem
    from governance_core.rules.points import Posting as Posting
    from governance_core.rules.points import Statement as Statement
    from governance_core.rules.points.kind import Points as Points
    from governance_core.rules.procedures import ProcessDefinition as ProcessDefinition
    from governance_core.rules.procedures import State as State
    from governance_core.rules.procedures import Step as Step
    from governance_core.rules.scoring import Assessment as Assessment
    from governance_core.rules.scoring import GradePolicy as GradePolicy
    from governance_core.rules.scoring import Rubric as Rubric
    from governance_core.rules.scoring import RubricLine as RubricLine
    from governance_core.rules.scoring import RubricSection as RubricSection
    from governance_core.rules.scoring import ScoringRule as ScoringRule
    from governance_core.rules.scoring.kind import Scoring as Scoring
    from governance_core.runtime import Actor as Actor
    from governance_core.runtime import Blocked as Blocked
    from governance_core.runtime import CompiledProcess as CompiledProcess
    from governance_core.runtime import Deadline as Deadline
    from governance_core.runtime import DueStep as DueStep
    from governance_core.runtime import Event as Event
    from governance_core.runtime import FireResult as FireResult
    from governance_core.runtime import MemoryStore as MemoryStore
    from governance_core.runtime import Permission as Permission
    from governance_core.runtime import ProcessInstance as ProcessInstance
    from governance_core.runtime import ProcessStore as ProcessStore
    from governance_core.runtime import Runtime as Runtime
    from governance_core.runtime import Sweep as Sweep


def __getattr__(name: str) -> _Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_importlib.import_module(module), name)
    globals()[name] = value  # loaded once
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_PUBLIC})
