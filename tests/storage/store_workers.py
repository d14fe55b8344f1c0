"""Worker processes for the store's concurrency and crash tests (run with multiprocessing's
spawn, so each is a fresh interpreter with its own connections)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from governance_core import Actor, Engine, StepRefusedError, VersionConflictError
from governance_core.storage import SqlStore
from tests.support import ROOT

FOUR = "core.four_deliberations_two_disclosures"
AT = datetime(2024, 3, 1, 9, 0)
# the next step from each state of 四议两公开, with the role and evidence it needs
NEXT = {
    "raised": ("propose", "village_party_branch", "proposal"),
    "proposed": ("deliberate", "two_committees", "minutes"),
    "deliberated": ("review", "party_members_meeting", "minutes"),
    "reviewed": ("resolve", "representatives_meeting", "resolution"),
    "resolved": ("disclose_resolution", "two_committees", "notice"),
    "resolution_disclosed": ("disclose_results", "two_committees", "notice"),
}


def race(url: str, instances: list[str], worker: int, barrier: Any, results: Any) -> None:
    """Push every instance to its end, each round firing on copies read at the round's start
    (so the workers' copies go stale under one another); put on ``results`` the (instance,
    sequence) this worker wrote and how many conflicts it lost."""
    runtime = Engine.load().runtime(SqlStore(url))
    won: list[tuple[str, int]] = []
    lost = 0
    barrier.wait()
    first_round = True
    while True:
        copies = [runtime.store.load(i) for i in instances]
        if first_round:  # every worker holds the same copies: all but one must lose each
            barrier.wait()
            first_round = False
        live = [c for c in copies if c.state in NEXT]
        if not live:
            break
        for instance in live:
            step, role, kind = NEXT[instance.state]
            actor = Actor(f"worker{worker}", frozenset({role}))
            try:
                result = runtime.fire(instance, step, actor, AT, evidence={kind: f"w{worker}"})
            except VersionConflictError:
                lost += 1
                continue
            except StepRefusedError:  # pragma: no cover - a copy is never behind its state
                raise
            won.append((instance.id, result.event.sequence))
    results.put((won, lost))


def fire_until_killed(url: str, acknowledge: int) -> None:
    """Fire steps of 四议两公开 forever, writing "instance sequence" to the file descriptor
    ``acknowledge`` after each commit: the parent kills this process at a random moment and
    checks every acknowledged step was kept. Each line is one write(2) of under PIPE_BUF
    bytes, so it arrives whole or not at all."""
    import os

    from governance_core.loading.assembly import load_policies
    from governance_core.runtime import Runtime

    folder = ROOT / "src" / "governance_core" / "procedures"
    runtime = Runtime(load_policies(sorted(folder.glob("*.yaml"))), SqlStore(url))
    number = sum(1 for _ in runtime.store.instances())
    while True:
        live = [i for i in runtime.store.instances() if i.state in NEXT]
        if not live:
            number += 1
            instance = runtime.start(
                FOUR, f"m{number}", Actor("crash"), AT, instance_id=f"m{number}"
            )
            os.write(acknowledge, f"{instance.id} {instance.version}\n".encode())
            continue
        for instance in live:
            step, role, kind = NEXT[instance.state]
            result = runtime.fire(
                instance, step, Actor("crash", frozenset({role})), AT, evidence={kind: "d"}
            )
            os.write(acknowledge, f"{instance.id} {result.event.sequence}\n".encode())
