"""Deliberate bugs seeded in copies of contrib plugins' policy files, and which of the testing
toolkit's checks catch each: the plugin's YAML cases, the invariants, the procedure state
machine. Run with ``-s`` to print the table the [testing] issue asks for.

The invariants and the state machine check the engine against the policy as written; a
policy written wrongly (a deduction of 5 where the source says 10) is caught by cases that
say what the source says, and coverage names the rules no case holds to their source.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test

from governance_core import Engine
from governance_core.rules.criteria.kind import CRITERIA
from governance_core.rules.procedures.kind import PROCEDURES
from governance_core.rules.scoring.kind import SCORING
from governance_core.testing import invariants
from governance_core.testing.cases import run_case_files
from governance_core.testing.stateful import procedure_machine
from tests.support import ROOT

OVERLAY = ROOT / "plugins_contrib/shizhong/tests/data/treatment-example-overlay.yaml"

# (plugin, file, text, seeded text, what the bug is)
SEEDED = {
    "a wrong deduction": (
        "jiaozhou",
        "assessment.yaml",
        'title: {zh: "年内组织集中培训记10分，否则扣10分", en: "Central training held: 10, else −10"}\n                points: 10',
        'title: {zh: "年内组织集中培训记10分，否则扣10分", en: "Central training held: 10, else −10"}\n                points: 5',
    ),
    "a missing guard": (
        "shizhong",
        "procedures.yaml",
        "        guards:\n          - id: condition_still_found\n            title: {zh: 存在“有错无为”问题情形, en: One of the exit conditions is found}\n            list: shizhong.exit_conditions\n            expect: hit\n",
        "",
    ),
    "a veto that does not apply": ("jiaozhou", "assessment.yaml", "threshold: 80", "threshold: 8"),
}


def seeded_engine(bug: str, tmp_path: Path) -> Engine:
    """The plugin's policy files, copied with the bug seeded, loaded without the plugin."""
    plugin, name, text, seeded = SEEDED[bug]
    folder = tmp_path / plugin
    shutil.copytree(ROOT / f"plugins_contrib/{plugin}/src/governance_{plugin}/policies", folder)
    target = folder / name
    original = target.read_text(encoding="utf-8")
    assert original.count(text) == 1, f"the text to seed {bug!r} is not found once"
    target.write_text(original.replace(text, seeded), encoding="utf-8")
    overlays = [OVERLAY] if plugin == "shizhong" else []
    return Engine.load(policies=sorted(folder.glob("*.yaml")), overlays=overlays)


def checks_that_catch(engine: Engine, plugin: str) -> list[str]:
    policies = engine.policies
    caught = [
        f"case {r.name!r}: {r.differences[0]}"
        for r in run_case_files(engine, [ROOT / f"plugins_contrib/{plugin}/cases"]).failed
    ]
    checks: dict[str, Callable[[], None]] = {}
    for list_id in policies.of(CRITERIA):
        if policies.of(CRITERIA).find(list_id).criteria.effect in invariants.BARRING:
            checks[f"monotone {list_id}"] = partial(
                invariants.list_is_monotone, policies, list_id, max_examples=30
            )
    for policy_id in policies.of(SCORING).grade_policies:
        checks[f"veto {policy_id}"] = partial(
            invariants.veto_dominates_score, policies, policy_id, max_examples=30
        )
        checks[f"quotas {policy_id}"] = partial(
            invariants.quotas_respect_shares, policies, policy_id, max_examples=30
        )
    for rubric_id in policies.of(SCORING).rubrics:
        checks[f"bounds {rubric_id}"] = partial(
            invariants.scores_within_bounds, policies, rubric_id, max_examples=30
        )
    # which checks catch a bug is the question here, not how fast hypothesis draws: a machine
    # whose guards reject most drawn subjects must not fail the test by its health check
    run = settings(
        max_examples=10,
        stateful_step_count=15,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
    )
    for process_id in policies.of(PROCEDURES):
        machine = procedure_machine(policies, process_id)
        checks[f"state machine {process_id}"] = partial(
            run_state_machine_as_test, machine, settings=run
        )
    for name, check in checks.items():
        try:
            check()
        except AssertionError as error:
            caught.append(f"{name}: {str(error).splitlines()[0]}")
    return caught


EXPECTED = {
    "a wrong deduction": "deductions and bonuses as the clauses write them",
    "a missing guard": "no dismissal without a condition found on the day",
    "a veto that does not apply": "basic goals with rules and discipline under 80 bar 优秀",
}


@pytest.mark.parametrize("bug", sorted(SEEDED))
def test_each_seeded_bug_is_caught(bug: str, tmp_path: Path) -> None:
    plugin = SEEDED[bug][0]
    caught = checks_that_catch(seeded_engine(bug, tmp_path), plugin)
    print(f"\n{bug} ({plugin}) caught by:" + "".join(f"\n  - {c}" for c in caught))
    assert any(EXPECTED[bug] in c for c in caught), caught
