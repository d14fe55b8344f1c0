"""An overlay changes a grade policy's ambiguous settings (rounding, ties, vetoed_slot) with a
reason, without copying the policy; the change is recorded, and a bad entry is located."""

from __future__ import annotations

from pathlib import Path

import pytest

from governance_core import Engine, PolicyError
from governance_core.loading.overlays import ChangeKind

POLICY = "jiaozhou.first_secretary_grades"
HEAD = "overlay: {id: district-settings, title: {zh: 区定等设置, en: District settings}, version: '1'}\n"


def _overlay(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "settings.yaml"
    path.write_text(HEAD + body, encoding="utf-8")
    return path


def test_a_setting_changes_and_the_change_is_recorded(tmp_path: Path) -> None:
    overlay = _overlay(tmp_path, (
        "grade_policies:\n"
        f"  - {{grade_policy: {POLICY}, vetoed_slot: leave, reason: 区委决定被否决者的名额不再递补}}\n"
    ))  # fmt: skip
    base = Engine.load(plugins=["jiaozhou"])
    changed = Engine.load(plugins=["jiaozhou"], overlays=[overlay])
    before = base.policies.scoring.grade_policy(POLICY)
    after = changed.policies.scoring.grade_policy(POLICY)
    assert before.vetoed_slot.value == "refill" and after.vetoed_slot.value == "leave"
    assert (after.rounding, after.ties) == (before.rounding, before.ties)  # the rest stays
    (change,) = [c for c in changed.policies.changes if c.rule_id.startswith(POLICY)]
    assert change.kind is ChangeKind.REPLACED and change.reason == "区委决定被否决者的名额不再递补"
    assert change.rule_id == f"{POLICY} (vetoed_slot: leave)"
    assert change.supplier.name.startswith("district-settings")


@pytest.mark.parametrize(
    ("entry", "line", "message"),
    [
        (
            "  - {grade_policy: jiaozhou.first_secretary_grade, ties: extend, reason: x}\n",
            3,
            "no grade policy 'jiaozhou.first_secretary_grade' to change",
        ),
        (f"  - {{grade_policy: {POLICY}, reason: x}}\n", 3, "the entry changes nothing"),
        (f"  - {{grade_policy: {POLICY}, rounding: nearest, reason: x}}\n", 3, "nearest"),
        (f"  - {{grade_policy: {POLICY}, ties: extend}}\n", 3, "reason"),
    ],
)
def test_a_bad_entry_is_located(tmp_path: Path, entry: str, line: int, message: str) -> None:
    overlay = _overlay(tmp_path, "grade_policies:\n" + entry)
    with pytest.raises(PolicyError) as caught:
        Engine.load(plugins=["jiaozhou"], overlays=[overlay])
    (problem,) = caught.value.problems
    assert problem.line == line and message in problem.message + (problem.hint or "")
