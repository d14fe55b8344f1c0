"""A district's cycles (运行周期): what is run when, declared by plugins from their sources."""

from governance_core.rules.cycles._definition import (
    Applies,
    Cycle,
    CycleStep,
    DeadlineKind,
    Input,
    StepDeadline,
)
from governance_core.rules.cycles._periods import Cadence, Period
from governance_core.rules.cycles._plan import Planned
from governance_core.rules.cycles.kind import CYCLES, Cycles

__all__ = [
    "CYCLES",
    "Applies",
    "Cadence",
    "Cycle",
    "CycleStep",
    "Cycles",
    "DeadlineKind",
    "Input",
    "Period",
    "Planned",
    "StepDeadline",
]
