"""Properties: arbitrary text never escapes as anything but ExpressionError, and the compiled
path always agrees with the explaining interpreter."""

from __future__ import annotations

from datetime import date

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from governance_core import UNKNOWN, ExpressionError, Finding, compile_expression
from tests.support import dossier


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_any_text_compiles_or_raises_expression_error(text: str) -> None:
    try:
        compile_expression(text, expected=None)
    except ExpressionError as error:
        assert error.problems
        assert all(p.line is not None and p.column is not None for p in error.problems)


_ATOMS = st.sampled_from(
    [
        'count("缺席") > 1',
        'count("missing") >= 2',
        'has_finding("涉黑涉恶")',
        'has_finding("长期不履职", within=years(1))',
        "age() > 50",
        'person.gender == "男"',
        'grade(2023) == "优秀"',
        "True",
        "False",
    ]
)


@st.composite
def boolean_expressions(draw: st.DrawFn, depth: int = 3) -> str:
    if depth == 0 or draw(st.booleans()):
        return draw(_ATOMS)
    op = draw(st.sampled_from(["and", "or", "not"]))
    if op == "not":
        return f"not ({draw(boolean_expressions(depth - 1))})"
    return f"({draw(boolean_expressions(depth - 1))}) {op} ({draw(boolean_expressions(depth - 1))})"


@given(boolean_expressions(), st.booleans(), st.booleans())
def test_compiled_path_agrees_with_explain(
    source: str, findings_known: bool, gender_known: bool
) -> None:
    expression = compile_expression(source)
    person = dossier().person
    if gender_known:
        person = type(person)(person.id, person.name, person.birth_date, "男", person.education)
    findings = (
        (Finding("F1", "p1", "涉黑涉恶", date(2023, 1, 1), "镇党委"),) if findings_known else None
    )
    record = dossier(person=person, findings=findings)
    explained = expression.explain(record).value
    assert expression.evaluate(record) is explained or expression.evaluate(record) == explained
    assert explained is UNKNOWN or isinstance(explained, bool)


@given(st.dates(), st.dates())
def test_years_between_is_whole_calendar_months_over_twelve(start: date, end: date) -> None:
    from governance_core.expressions._functions import BUILTIN_FUNCTIONS

    months = BUILTIN_FUNCTIONS["months_between"].impl(start, end)
    years = BUILTIN_FUNCTIONS["years_between"].impl(start, end)
    assert years == (months // 12 if months >= 0 else -(-months // 12))
