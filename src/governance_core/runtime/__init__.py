"""Procedures run as state machines (docs/procedures.md): compiled once per definition,
fired with roles, guards, evidence and deadlines on the official calendar, recorded through a
store."""

from governance_core.runtime._compiled import (
    CompiledProcess,
    CompiledStep,
    build_machine,
    machine_of,
    moves,
)
from governance_core.runtime._deadlines import DueDay, add_months, last_day
from governance_core.runtime.records import (
    MIGRATE,
    RECOUNT,
    START,
    SWEEPER,
    Actor,
    Blocked,
    Deadline,
    DueStatus,
    DueStep,
    Event,
    FireResult,
    GuardStatus,
    GuardVerdict,
    Permission,
    ProcessInstance,
    Sweep,
    fingerprint,
    request_key,
)
from governance_core.runtime.runtime import Facts, Runtime
from governance_core.runtime.store import MemoryStore, ProcessStore

__all__ = [
    "MIGRATE",
    "RECOUNT",
    "START",
    "SWEEPER",
    "Actor",
    "Blocked",
    "CompiledProcess",
    "CompiledStep",
    "Deadline",
    "DueDay",
    "DueStatus",
    "DueStep",
    "Event",
    "Facts",
    "FireResult",
    "GuardStatus",
    "GuardVerdict",
    "MemoryStore",
    "Permission",
    "ProcessInstance",
    "ProcessStore",
    "Runtime",
    "Sweep",
    "add_months",
    "build_machine",
    "fingerprint",
    "last_day",
    "machine_of",
    "moves",
    "request_key",
]
