"""Every built-in and contrib procedure explored by the toolkit's state machine (random fires
by random actors; roles, evidence, guards, the audit chain and replay checked after each),
and the machine shown to catch a runtime that forgets to check roles."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis.stateful import run_state_machine_as_test

from governance_core import Engine, Refusal, RefusalKind
from governance_core.loading.policy_set import PolicySet
from governance_core.rules.procedures.kind import PROCEDURES
from governance_core.runtime import runtime as runtime_module
from governance_core.runtime._refusals import refusals
from governance_core.testing.stateful import procedure_machine
from tests.support import ROOT, by_supplier, installed

OVERLAY = ROOT / "plugins_contrib/shizhong/tests/data/treatment-example-overlay.yaml"
RUN = settings(
    max_examples=15,
    stateful_step_count=20,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def procedures() -> dict[str, PolicySet]:
    """Each procedure with the policies it is loaded in (shizhong with the tests' overlay,
    which values the periods its procedures need)."""
    sets = [Engine.load().policies]
    if installed("shizhong"):
        sets.append(Engine.load(plugins=["shizhong"], overlays=[OVERLAY]).policies)
    sets += [Engine.load(plugins=[name]).policies for name in installed("jiaozhou", "jiaxiang")]
    found: dict[str, PolicySet] = {}
    for policies in sets:
        for process_id in policies.of(PROCEDURES):
            found.setdefault(process_id, policies)
    return found


LOADED_IN = procedures()


@pytest.mark.parametrize("process_id", by_supplier(LOADED_IN))
def test_random_fires_keep_every_procedure_s_rules(process_id: str) -> None:
    machine = procedure_machine(LOADED_IN[process_id], process_id)
    run_state_machine_as_test(machine, settings=RUN)
    assert machine.steps_taken, f"no run of {process_id} took any step"


def test_a_runtime_that_ignores_roles_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    original = refusals

    def without_roles(*args: Any, **kwargs: Any) -> list[Refusal]:
        return [r for r in original(*args, **kwargs) if r.kind is not RefusalKind.ROLE]

    monkeypatch.setattr(runtime_module, "refusals", without_roles)
    policies = Engine.load().policies
    machine = procedure_machine(policies, "core.four_deliberations_two_disclosures")
    found_only = settings(RUN, max_examples=50, phases=[Phase.generate])  # shrinking is slow
    # caught either way: a step taken without the role, or a refusal that does not say "role"
    caught = r"was taken by .*; it needs one of|expected at least \[.*'role'"
    with pytest.raises(AssertionError, match=caught):
        run_state_machine_as_test(machine, settings=found_only)
