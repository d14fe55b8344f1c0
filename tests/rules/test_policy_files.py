"""Loading policy files: every problem of a file, located, in one PolicyError."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from governance_core import PolicyError, load_policies
from governance_core.rules.criteria.kind import CRITERIA
from tests.support import CITATION, policy_yaml

Write = Callable[..., Path]


def load_problems(path: Path) -> list[str]:
    with pytest.raises(PolicyError) as caught:
        load_policies([path])
    return [str(p) for p in caught.value.problems]


def test_a_valid_file_loads(write: Write) -> None:
    policies = load_policies([write(policy_yaml())])
    assert list(policies.of(CRITERIA)) == ["test.list"]
    assert policies.parameters["min_years"].values[0].value == 3


def test_malformed_yaml(write: Write) -> None:
    found = load_problems(write("lists:\n  - id: [unclosed\n"))
    assert len(found) == 1
    assert ":3:1:" in found[0] or ":2:" in found[0]
    assert "malformed YAML" in found[0]


def test_unknown_field_with_did_you_mean(write: Write) -> None:
    path = write(policy_yaml().replace("    effect: disqualify", "    efect: disqualify"))
    found = load_problems(path)
    assert any(
        "unknown field 'efect'" in p and "did you mean 'effect'?" in p and ":13:5:" in p
        for p in found
    ), found
    assert any("missing required field 'effect'" in p for p in found), found
    assert all("[test.list]" in p for p in found)


def test_wrong_type_and_bad_enum(write: Write) -> None:
    text = (
        policy_yaml()
        .replace("declared_size: 1", 'declared_size: "nine"')
        .replace("hit_policy: any", "hit_policy: some")
    )
    found = load_problems(write(text))
    assert any("declared_size" in p and "'nine'" in p for p in found), found
    assert any("'some' is not one of 'any', 'all'" in p for p in found), found


def test_duplicate_keys_and_ids(write: Write) -> None:
    text = policy_yaml(
        extra=f"""\
      - id: item1
        number: 1
        title: {{zh: 重复, en: Duplicate}}
        title: {{zh: 重复, en: Duplicate}}
        citation: {CITATION}
        expression: has_finding("x")
""",
        declared=2,
    )
    found = load_problems(write(text))
    assert any("duplicate key 'title'" in p and "first given at line" in p for p in found), found


def test_duplicate_item_ids_and_numbers(write: Write) -> None:
    text = policy_yaml(
        extra=f"""\
      - id: item1
        number: 1
        title: {{zh: 重复, en: Duplicate}}
        citation: {CITATION}
        expression: has_finding("x")
""",
        declared=2,
    )
    found = load_problems(write(text))
    assert any("[test.list.item1] duplicate item id 'item1'" in p for p in found), found
    assert any("number 1 is used twice" in p for p in found), found


def test_duplicate_list_ids_across_files_name_both(write: Write) -> None:
    first = write(policy_yaml(), "a.yaml")
    second = write(
        policy_yaml().split("lists:")[0].replace("min_years", "other")
        + "lists:"
        + policy_yaml().split("lists:")[1],
        "b.yaml",
    )
    with pytest.raises(PolicyError) as caught:
        load_policies([first, second])
    text = str(caught.value)
    assert "duplicate id 'test.list'" in text and "a.yaml" in text and "b.yaml" in text


def test_expression_problems_are_located_in_the_file(write: Write) -> None:
    found = load_problems(write(policy_yaml('coutn("x") > 1 and as_of > 3')))
    assert any(":20:21: [test.list.item1] unknown function 'coutn'" in p for p in found), found
    assert any("cannot compare date with number" in p for p in found), found


def test_expression_in_block_scalar_is_located(write: Write) -> None:
    found = load_problems(write(policy_yaml('|\n          count("x") > 1\n          and nonsense')))
    assert any(":22:15: [test.list.item1] unknown name 'nonsense'" in p for p in found), found


def test_expression_hostile_inputs_in_a_file(write: Write) -> None:
    for expression in [
        '__import__("os").system("true")',
        "(1).__class__.__bases__",
        "2 ** 100 > 1",
        "(lambda: 1)() > 0",
        "[1 for x in [1]] == [1]",
        '"' + "a" * 100_000 + '" == "a"',
        "not " * 500 + "True",
    ]:
        found = load_problems(write(policy_yaml(f"'{expression}'")))
        assert found and all("[test.list.item1]" in p for p in found), (expression, found)


def test_date_range_that_ends_before_it_starts(write: Write) -> None:
    text = policy_yaml().replace(
        "      - {value: 3, effective_from: 2020-01-01}",
        "      - {value: 3, effective_from: 2020-01-01, effective_to: 2019-01-01}",
    )
    found = load_problems(write(text))
    assert any(
        "ends (2019-01-01) before it starts (2020-01-01)" in p and "[min_years]" in p for p in found
    ), found


def test_items_beyond_the_declared_size_and_bad_numbers(write: Write) -> None:
    text = policy_yaml(declared=1).replace("        number: 1", "        number: 4")
    found = load_problems(write(text))
    assert any("number 4 is outside 1..1" in p for p in found), found


def test_parameter_value_of_the_wrong_kind_and_overlaps(write: Write) -> None:
    text = policy_yaml().replace(
        "      - {value: 3, effective_from: 2020-01-01}",
        "      - {value: three, effective_from: 2020-01-01}\n"
        "      - {value: 4, effective_from: 2021-01-01}",
    )
    found = load_problems(write(text))
    assert any("'three' is not a number" in p for p in found), found
    assert any("value 2 is in effect on days value 1 also covers" in p for p in found), found


def test_unknown_parameter_in_expression_suggests_one(write: Write) -> None:
    found = load_problems(write(policy_yaml('任职年限("书记") >= min_year')))
    assert any("did you mean 'min_years'?" in p for p in found), found


def test_every_problem_of_several_files_in_one_error(write: Write) -> None:
    bad1 = write("lists: [", "bad1.yaml")
    bad2 = write(policy_yaml("nonsense"), "bad2.yaml")
    missing = Path("/nonexistent/policy.yaml")
    with pytest.raises(PolicyError) as caught:
        load_policies([bad1, bad2, missing])
    files = {Path(p.file or "").name for p in caught.value.problems}
    assert files == {"bad1.yaml", "bad2.yaml", "policy.yaml"}


def test_not_utf8_and_empty(write: Write, tmp_path: Path) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes("lists: []\n# caf\xe9".encode("latin-1"))
    assert "not UTF-8" in load_problems(path)[0]
    assert "empty" in load_problems(write(""))[0]


def test_a_list_addressing_some_posts_does_not_judge_others(write: Write) -> None:
    # 鱼台's negative list is for 村“两委”干部: a 巷长 holding no 两委 post is not judged by it
    from datetime import date

    from governance_core import Engine, Post
    from governance_core.present.verdicts import outcome_text
    from governance_core.rules.criteria import Outcome
    from tests.support import dossier

    source = policy_yaml().replace(
        "    hit_policy: any\n", "    hit_policy: any\n    applies_to: [两委成员, 党组织书记]\n"
    )
    engine = Engine.load(policies=[write(source)])
    secretary = dossier()  # a 党组织书记 with a finding of 涉黑涉恶
    lane_head = dossier(posts=(Post("p1", "巷长", "v1", date(2020, 7, 1)),))
    for explain in (True, False):  # the explaining path and the compiled one agree
        hit, outside = engine.evaluate(
            "test.list", [secretary, lane_head], secretary.as_of, explain=explain
        )
        assert hit.outcome is Outcome.HIT
        assert outside.outcome is Outcome.NOT_APPLICABLE and outside.conclusive
        assert outside.items == ()
    assert outcome_text(outside, "zh") == "不适用：本清单只针对担任两委成员、党组织书记的人"
