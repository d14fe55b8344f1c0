"""The expression language: what it accepts, what it rejects and where, and its logic."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from governance_core import UNKNOWN, ExpressionError, Post, compile_expression
from governance_core.expressions import ExpressionSchema, ExprType
from tests.support import dossier


def value(source: str, **overrides: object) -> object:
    return compile_expression(source, expected=None).evaluate(dossier(**overrides))


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('任职年限("党组织书记") >= 3', True),
        ('years_in_post("党组织书记") == 3', True),
        ('has_finding("涉黑涉恶", within=years(1))', False),
        ('has_finding("涉黑涉恶", within=years(2))', True),
        ('has_finding(["涉黑涉恶", "长期不履职"])', True),
        ('count_findings("涉黑涉恶") == 1', True),
        ('count("缺席") > 1 and count("缺席") < 3', True),
        ("age() == 54", True),
        ('人员.学历 in ["本科", "硕士"]', True),
        ('person.education not in ["本科"]', False),
        ('months_between(date("2024-01-31"), date("2024-02-29")) == 1', True),
        ('years_between(date("2020-07-01"), as_of) == 3', True),
        ('as_of - months(6) == date("2023-12-30")', True),
        ("1 / 3 + 1 / 3 + 1 / 3 == 1", True),
        ("0.1 + 0.2 == 0.3", True),
        ('grade(2023) == "优秀"', True),
        ('holds_post("第一书记")', False),
        ('"a" if count("缺席") > 1 else "b"', "a"),
    ],
)
def test_evaluates(source: str, expected: object) -> None:
    assert value(source) == expected


def test_division_is_exact() -> None:
    assert value("2 / 3") == Fraction(2, 3)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('count("missing") > 1', UNKNOWN),
        ('count("missing") > 1 and count("缺席") > 5', False),  # False and unknown
        ('count("missing") > 1 or count("缺席") > 1', True),  # unknown or True
        ('not (count("missing") > 1)', UNKNOWN),
        ('count("missing") > 1 or count("缺席") > 5', UNKNOWN),
        ('person.gender == "男"', UNKNOWN),
        ('grade(2022) == "优秀"', UNKNOWN),
    ],
)
def test_missing_facts_are_unknown_never_false(source: str, expected: object) -> None:
    assert value(source) is expected


def test_findings_not_recorded_are_unknown_but_none_recorded_is_false() -> None:
    assert value('has_finding("涉黑涉恶")', findings=None) is UNKNOWN
    assert value('has_finding("涉黑涉恶")', findings=()) is False


def test_explain_records_deciding_values_and_evidence() -> None:
    why = compile_expression('任职年限("党组织书记") >= 5 or has_finding("涉黑涉恶")').explain(
        dossier()
    )
    assert why.value is True
    assert [(c.left, c.left_value, c.op, c.right) for c in why.checks] == [
        ('任职年限("党组织书记")', "3", ">=", "5")
    ]
    assert why.evidence == ("F1",)


def test_parameters_are_typed_and_resolved() -> None:
    schema = ExpressionSchema({"最低年限": ExprType.NUMBER})
    expression = compile_expression('任职年限("党组织书记") >= 最低年限', schema)
    assert expression.parameters == frozenset({"最低年限"})
    assert expression.evaluate(dossier(), {"最低年限": 3}) is True


def problems(source: str) -> list[str]:
    with pytest.raises(ExpressionError) as caught:
        compile_expression(source)
    return [f"{p.line}:{p.column} {p.message} {p.hint or ''}" for p in caught.value.problems]


@pytest.mark.parametrize(
    ("source", "fragment"),
    [
        ('__import__("os")', "'__' are not allowed"),
        ("person.__class__", "'__' are not allowed"),
        ("person.birth_date.year == 1970", "attribute chains are not allowed"),
        ("as_of.year == 2024", "only allowed on person"),
        ("2 ** 8 > 1", "'**' is not allowed"),
        ("(lambda: True)()", "lambda is not allowed"),
        ("[x for x in [1]] == [1]", "comprehensions are not allowed"),
        ("as_of > 3", "cannot compare date with number"),
        ('count("x") > "3"', "cannot compare number with text"),
        ('coutn("x") > 1', "did you mean 'count'?"),
        ("person.birthdate == as_of", "did you mean 'birth_date'?"),
        ("nonsense", "unknown name 'nonsense'"),
        ('count("x") >', "syntax error"),
        ('count("x")', "must be a bool, not number"),
        ("has_finding(3)", "'kind' must be text or list of text"),
        ('count("x", "y") > 1', "takes at most 1 arguments"),
        ('date("2024-13-01") < as_of', "month must be in 1..12"),
        ('"abc"[0] == "a"', "indexing"),
        ("{1: 2}", "dict literals are not allowed"),
        ("f'{as_of}' == 'x'", "f-strings are not allowed"),
        ("(x := 1) == 1", "':=' is not allowed"),
        ("None == None", "the literal None is not allowed"),
        ("person == 1", "is a record"),
        ("count == 1", "is a function; call it"),
        ("as_of is as_of", "'is' is not allowed"),
    ],
)
def test_rejects_with_a_clear_message(source: str, fragment: str) -> None:
    found = problems(source)
    assert any(fragment in p for p in found), found


def test_reports_every_problem_with_its_column() -> None:
    found = problems('coutn("x") > 1 and 人员.出生日 > as_of and 2 ** 2 > 1')
    assert found[0].startswith("1:1 unknown function 'coutn'")
    assert any(
        p.startswith("1:20 person has no field '出生日'") for p in found
    )  # character column, not byte
    assert any("'**'" in p for p in found)


def test_size_and_depth_limits() -> None:
    assert "limit is 2,000" in problems("1 + " * 25_000 + "1 > 0")[0]  # 100 kB
    assert "nests" in problems("not " * 40 + "True")[0]
    assert any("nest" in p or "parenthes" in p for p in problems("(" * 500 + "True" + ")" * 500))
    assert "nests" in problems("-" * 500 + "1 > 0")[0]


def test_multiline_and_indented_expressions() -> None:
    assert value('  count("缺席") > 1\n  and age() > 50') is True


def test_compiled_code_has_no_builtins() -> None:
    expression = compile_expression('count("缺席") > 1')
    assert expression.function.__globals__["__builtins__"] == {}


def test_dates_and_spans() -> None:
    assert value("days_between(as_of - years(1), as_of) == 366") is True  # 2024 is a leap year
    assert value("year(as_of) == 2024", as_of=date(2024, 1, 1)) is True


def test_two_holdings_from_the_same_day_one_open_count_once() -> None:
    # found by governance_core.testing's dossier strategies: sorting (start, None) against
    # (start, end) raised TypeError inside years_in_post
    posts = (
        Post("p1", "党组织书记", "v1", date(2020, 7, 1)),
        Post("p1", "党组织书记", "v2", date(2020, 7, 1), date(2021, 1, 1)),
    )
    assert value('任职年限("党组织书记")', posts=posts) == 3
