"""Expressions mean what they say: the fast path and the explaining interpreter agree on
fuzzed arithmetic over large but bounded numbers (values and errors alike), and expressions
that would silently mean something else are refused with a located error."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from governance_core import ExpressionError, compile_expression
from governance_core.files.limits import MAX_NUMBER_MAGNITUDE
from tests.support import dossier

BIG = 10**MAX_NUMBER_MAGNITUDE - 1
_TERMS = st.one_of(
    st.sampled_from(['count("a")', 'count("b")', 'amount("x")', "age()"]),
    st.integers(-BIG, BIG).map(str),
    st.decimals(-BIG, BIG, places=3, allow_nan=False, allow_infinity=False).map(str),
)


@st.composite
def arithmetic(draw: st.DrawFn, depth: int = 4) -> str:
    if depth == 0 or draw(st.booleans()):
        return draw(_TERMS)
    op = draw(st.sampled_from(["+", "-", "*", "/"]))
    return f"({draw(arithmetic(depth - 1))}) {op} ({draw(arithmetic(depth - 1))})"


def _outcome(run: Any) -> tuple[str, Any]:
    try:
        return "value", run()
    except Exception as error:  # both paths must fail the same way, or not at all
        return "error", type(error).__name__


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(arithmetic(), st.integers(0, BIG), st.integers(0, BIG), st.decimals(0, BIG, places=2))
def test_fast_and_explain_agree_on_bounded_arithmetic(
    source: str, a: int, b: int, x: Decimal
) -> None:
    expression = compile_expression(f"({source}) > 0")
    record = dossier(counts={"a": a, "b": b}, amounts={"x": x})
    fast = _outcome(lambda: expression.evaluate(record))
    slow = _outcome(lambda: expression.explain(record).value)
    assert fast == slow


@pytest.mark.parametrize(
    "source",
    [
        "1e999999999 > 0",
        "99999999999999999999999999999999999999 > 0",
        "0.0000000000000000000000000000000001 > 0",
        "True) or (True",
        'has_finding("涉黑涉恶", within=years(0.5))',
        'has_finding("涉黑涉恶", within=months(-1))',
        'holds_post_in("党组织书记", "mars")',
        'date("20240101") < date("2024-06-30")',
        'date("2024-W01-1") < date("2024-06-30")',
    ],
)
def test_expressions_that_would_mean_something_else_are_refused(source: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        compile_expression(source)
    (problem,) = caught.value.problems
    assert problem.line == 1 and problem.column is not None


def test_a_non_whole_year_is_refused_when_it_is_computed() -> None:
    expression = compile_expression('grade(1/3) == "优秀"')
    for run in (expression.evaluate, lambda d: expression.explain(d).value):
        with pytest.raises(ValueError, match="whole number"):
            run(dossier())
