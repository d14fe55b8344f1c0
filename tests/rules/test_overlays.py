"""Overlays: complete and adjust a policy set with YAML, never mutating the base."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from governance_core import Engine, ItemStatus, Outcome, PolicyError
from governance_core.loading.overlays import ChangeKind
from governance_core.rules.common import SupplierKind
from governance_core.rules.criteria.kind import CRITERIA
from tests.support import AS_OF, CITATION, dossier, policy_yaml

Write = Callable[..., Path]

HEADER = """\
overlay:
  id: district-rules
  title: {zh: 区细则, en: District rules}
  version: "2024.1"
"""


def item(item_id: str, number: int, expression: str = 'has_finding("违纪违法")') -> str:
    return f"""\
      - id: {item_id}
        number: {number}
        title: {{zh: 条目{number}, en: Item {number}}}
        citation: {CITATION}
        expression: '{expression}'
"""


@pytest.fixture
def base(write: Write) -> Engine:
    return Engine.from_files([write(policy_yaml(declared=3), "base.yaml")])


def overlay_problems(engine: Engine, path: Path) -> list[str]:
    with pytest.raises(PolicyError) as caught:
        engine.with_overlays([path])
    return [str(p) for p in caught.value.problems]


def test_adding_items_completes_a_list_and_leaves_the_base_alone(
    base: Engine, write: Write
) -> None:
    path = write(
        HEADER
        + "lists:\n  - list: test.list\n    add:\n"
        + item("item2", 2)
        + item("item3", 3, 'count("缺席") > 5'),
        "overlay.yaml",
    )
    derived = base.with_overlays([path])
    verdict = derived.evaluate("test.list", [dossier(findings=())], AS_OF)[0]
    assert verdict.completeness.encoded == 3 and verdict.conclusive
    assert verdict.outcome is Outcome.NOT_HIT
    added = verdict.items[1]
    assert added.supplied_by is not None and added.supplied_by.kind is SupplierKind.OVERLAY
    assert added.supplied_by.version == "2024.1" and "overlay.yaml" in added.supplied_by.name
    assert [c.kind for c in derived.policies.changes] == [ChangeKind.ADDED, ChangeKind.ADDED]
    # the base engine and its policies are as they were
    assert base.policies.of(CRITERIA).find("test.list").completeness().encoded == 1
    assert base.policies.changes == ()


def test_replacing_and_removing_need_a_reason_and_are_recorded(base: Engine, write: Write) -> None:
    replaced = write(
        HEADER
        + f"""\
lists:
  - list: test.list
    replace:
      - item: item1
        reason: 区细则第3条改以认定书为准
        criterion:
          id: item1
          number: 1
          title: {{zh: 条目一（修订）, en: Item one (revised)}}
          citation: {CITATION}
          expression: has_finding("涉黑涉恶", within=years(1))
""",
        "replace.yaml",
    )
    derived = base.with_overlays([replaced])
    (change,) = derived.policies.changes
    assert change.kind is ChangeKind.REPLACED and change.reason == "区细则第3条改以认定书为准"
    verdict = derived.evaluate("test.list", [dossier()], AS_OF)[0]
    assert verdict.items[0].title.zh == "条目一（修订）"
    assert verdict.items[0].status is ItemStatus.NOT_MET  # the 2023-01-01 finding is too old

    no_reason = write(HEADER + "lists:\n  - list: test.list\n    remove:\n      - item: item1\n")
    assert any("reason" in p and "required" in p for p in overlay_problems(base, no_reason))

    removed = write(
        HEADER + "lists:\n  - list: test.list\n    remove:\n      - {item: item1, reason: 废止}\n"
    )
    derived = base.with_overlays([removed])
    assert derived.policies.of(CRITERIA).find("test.list").criteria.items == ()
    assert derived.policies.changes[0].kind is ChangeKind.REMOVED


def test_an_unknown_base_list_is_located_with_a_suggestion(base: Engine, write: Write) -> None:
    path = write(HEADER + "lists:\n  - list: test.lst\n    add: []\n", "o.yaml")
    (problem,) = overlay_problems(base, path)
    assert "o.yaml:6:" in problem and "no list 'test.lst' to change" in problem
    assert "did you mean 'test.list'?" in problem


def test_an_unknown_item_and_an_existing_id(base: Engine, write: Write) -> None:
    path = write(
        HEADER
        + "lists:\n  - list: test.list\n    remove:\n      - {item: itme1, reason: x}\n"
        + "    add:\n"
        + item("item1", 2)
    )
    found = overlay_problems(base, path)
    assert any("has no item 'itme1'" in p and "did you mean 'item1'?" in p for p in found)
    assert any("item 'item1' is in the list already" in p and "use replace" in p for p in found)


def test_two_overlays_changing_one_item_are_both_named(base: Engine, write: Write) -> None:
    text = HEADER + "lists:\n  - list: test.list\n    remove:\n      - {item: item1, reason: x}\n"
    first = write(text, "first.yaml")
    second = write(text.replace("district-rules", "town-rules"), "second.yaml")
    with pytest.raises(PolicyError) as caught:
        base.with_overlays([first, second])
    (problem,) = caught.value.problems
    assert "second.yaml" in str(problem) and "first.yaml" in str(problem)
    assert "changed by two overlays" in str(problem)


def test_items_beyond_the_declared_size_and_numbers_taken(base: Engine, write: Write) -> None:
    path = write(
        HEADER
        + "lists:\n  - list: test.list\n    add:\n"
        + item("item2", 1)
        + item("item3", 3)
        + item("item4", 4)
    )
    found = overlay_problems(base, path)
    assert any("number 1 is item 'item1' already" in p for p in found), found
    assert any("number 4 is outside 1..3" in p for p in found), found
    assert any("would have 4 items but its source declares 3" in p for p in found), found


def test_an_expression_error_is_located_in_the_overlay(base: Engine, write: Write) -> None:
    path = write(
        HEADER + "lists:\n  - list: test.list\n    add:\n" + item("item2", 2, "coutn(1) > 2"),
        "bad.yaml",
    )
    (problem,) = overlay_problems(base, path)
    assert problem.startswith(f"{path}:12:22: [test.list.item2] unknown function 'coutn'")


def test_parameter_values_add_to_the_base_or_replace_it_with_a_reason(
    base: Engine, write: Write
) -> None:
    values = """\
parameters:
  - parameter: min_years
    citation: {document: 区细则, article: 第五条, source: district.docx}
    values:
      - {value: 5, effective_from: 2024-01-01}
"""
    overlapping = write(HEADER + values, "overlap.yaml")
    (problem,) = overlay_problems(base, overlapping)
    assert "overlaps a value the base gives" in problem and "replace: true" in problem

    replacing = write(HEADER + values + "    replace: true\n    reason: 区细则提高年限\n")
    derived = base.with_overlays([replacing])
    assert derived.policies.values_on(AS_OF)["min_years"] == 5
    (value,) = derived.policies.parameters["min_years"].values
    assert value.citation is not None and value.citation.document == "区细则"
    assert derived.policies.changes[0].kind is ChangeKind.VALUES_REPLACED
    assert base.policies.values_on(AS_OF)["min_years"] == 3

    no_reason = write(HEADER + values + "    replace: true\n")
    assert any("needs a reason" in p for p in overlay_problems(base, no_reason))
    unknown = write(HEADER + values.replace("min_years", "min_yeers"))
    assert any("did you mean 'min_years'?" in p for p in overlay_problems(base, unknown))


def test_a_malformed_overlay_file(base: Engine, write: Write) -> None:
    path = write("overlay:\n  id: x\n  title: {zh: 甲, en: A}\nlists: [", "broken.yaml")
    (problem,) = overlay_problems(base, path)
    assert "broken.yaml:5:1: malformed YAML" in problem
    missing_version = write("overlay:\n  id: x\n  title: {zh: 甲, en: A}\n", "nover.yaml")
    assert any("version" in p for p in overlay_problems(base, missing_version))


def test_check_reports_overlay_changes(base: Engine, write: Write) -> None:
    from typer.testing import CliRunner

    from governance_core.cli import app

    policy = write(policy_yaml(declared=3), "base2.yaml")
    path = write(
        HEADER + "lists:\n  - list: test.list\n    remove:\n      - {item: item1, reason: 废止}\n"
    )
    result = CliRunner().invoke(
        app, ["check", "--policy", str(policy), "--overlay", str(path), "-l", "en"]
    )
    assert result.exit_code == 0, result.output
    assert "removed test.list.item1" in result.output and "废止" in result.output
