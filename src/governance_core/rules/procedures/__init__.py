"""Procedures as data (see docs/procedures.md): definitions and the changes plugins and overlays
make to them, with their load-time checks. The runtime is :mod:`governance_core.runtime`."""

from governance_core.rules.procedures._checks import definition_problems, reference_problems
from governance_core.rules.procedures._definition import (
    DueKind,
    DueRule,
    EvidenceKind,
    Expect,
    Guard,
    Once,
    ProcessChanges,
    ProcessDefinition,
    Role,
    State,
    Step,
    StepExtension,
    StepRemoval,
    SubjectKind,
)

__all__ = [
    "DueKind",
    "DueRule",
    "EvidenceKind",
    "Expect",
    "Guard",
    "Once",
    "ProcessChanges",
    "ProcessDefinition",
    "Role",
    "State",
    "Step",
    "StepExtension",
    "StepRemoval",
    "SubjectKind",
    "definition_problems",
    "reference_problems",
]
