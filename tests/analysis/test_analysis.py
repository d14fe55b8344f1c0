"""The analysis (docs/analysis.md): seeded defects are found where they are written, every
witness — read back from its JSON — makes the engine do what the finding claims, the contrib
plugins show only their sources' own gaps, and the encoding agrees with the engine on random
dossiers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import orjson
import pytest
import z3
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from governance_core import Engine
from governance_core.analysis import Defect, Severity, analyse
from governance_core.analysis._encode import Encoder, NoValueError, _z3_constant
from governance_core.analysis._facts import Fact, Facts
from governance_core.analysis._lists import dossier_from
from governance_core.analysis._witness import empty_dossier
from governance_core.cli import app
from governance_core.errors import EvaluationError
from governance_core.expressions import MissingFact, compile_expression
from governance_core.loading.mentions import mentions
from governance_core.model import Dossier, converter
from governance_core.rules.criteria import Outcome
from governance_core.rules.scoring import Entry, score
from governance_core.rules.scoring.kind import SCORING
from governance_core.testing.derived import dossiers_from
from tests.support import TESTS

DATA = TESTS / "data" / "analysis"
DAY = date(2024, 6, 30)
CONTRIB = ["shizhong", "jiaozhou", "zichuan", "wenshang", "jiaxiang", "yutai", "yicheng", "jining"]


@pytest.fixture(scope="module")
def seeded() -> Engine:
    return Engine.load(policies=sorted(DATA.glob("*.yaml")))


@pytest.fixture(scope="module")
def seeded_findings(seeded: Engine) -> list[Defect]:
    return analyse(seeded, DAY)


def _found(findings: list[Defect]) -> set[tuple[str, str, str]]:
    return {(d.kind, d.severity.value, d.rule) for d in findings}


def test_seeded_defects_are_found(seeded_findings: list[Defect]) -> None:
    assert _found(seeded_findings) >= {
        ("never_met", "error", "demo.bars/impossible"),  # age() > 70 and age() < 60
        ("always_met", "warning", "demo.bars/tautology"),  # count("x") >= 0
        ("redundant", "warning", "demo.bars/crime_recent"),  # within a year implies ever
        ("contradictory", "error", "demo.needs/young"),  # all of: age >= 50, age < 40
        ("parameter_gap", "warning", "demo.bars/young"),  # min_age starts after the list
        ("band_unreachable", "error", "demo.bands/band 较好"),  # 较好 >= 95 under 好 >= 90
        ("quota_exceeds_group", "error", "demo.shares"),  # 7/10 + 5/10
        ("line_capped", "warning", "demo.rubric/study_missed"),  # -10 on a line of 5
        ("guard_never_passes", "error", "demo.review/approve/impossible_age"),
        ("states_unreachable", "warning", "demo.review"),
        ("may_fail", "error", "demo.ratio/absence_ratio"),  # count("会议") may be 0
        ("veto_never_fires", "error", "demo.conditions/veto impossible_list"),
        ("veto_never_fires", "warning", "demo.conditions/veto basics_low"),  # below 0
        ("override_hides_grades", "error", "demo.conditions/override unfit"),  # below 1.5
    }
    # a sound item is left alone
    assert not any(d.rule == "demo.bars/crime" for d in seeded_findings)


def test_findings_are_located_in_their_files(seeded_findings: list[Defect]) -> None:
    where = {d.rule: d.position for d in seeded_findings}
    assert where["demo.bars/impossible"].endswith("lists.yaml:17:9")
    assert where["demo.bands/band 较好"].endswith("grades.yaml:25:5")
    assert where["demo.rubric/study_missed"].endswith("rubric_and_procedure.yaml:12:13")
    assert where["demo.review/approve/impossible_age"].endswith("rubric_and_procedure.yaml:35:9")


def test_messages_in_chinese_and_english(seeded_findings: list[Defect]) -> None:
    (band,) = [d for d in seeded_findings if d.kind == "band_unreachable"]
    assert band.message.zh.startswith("等次“较好”永远不会给出")
    assert band.message.en.startswith("grade 较好 is never given")


# --- every witness, read back from JSON, run through the engine ----------------------------


def _confirm(engine: Engine, found: dict[str, Any]) -> bool:
    """What the finding's witness makes the engine do is what the finding claims."""
    w = found["witness"]
    day = date.fromisoformat(w.get("as_of", DAY.isoformat()))
    if w["expect"] == {"fails": True}:  # an item that divides by zero for this dossier
        try:
            engine.evaluate(w["list"], [dossier_from(w["dossier"])], day, explain=False)
        except (EvaluationError, ZeroDivisionError):
            return True
        return False
    if "not_outcome" in w["expect"]:  # a veto's list that is never hit conclusively
        (verdict,) = engine.evaluate(w["list"], [dossier_from(w["dossier"])], day)
        return not (verdict.outcome.value == w["expect"]["not_outcome"] and verdict.conclusive)
    if "entry" in w:  # an override: one person's full entry, assessed
        entry = converter.structure(w["entry"], Entry)
        (graded,) = engine.assess(w["grade_policy"], [entry], day).graded
        if "grade" in w["expect"]:
            return bool(graded.grade == w["expect"]["grade"])
        return graded.grade not in (None, w["expect"]["not_grade"])
    if "at_least" in w["expect"]:  # sections that never sum below a veto's threshold
        rubric = engine.policies.of(SCORING).rubrics[w["rubric"]]
        totals = score(rubric, "w", w["inputs"]).sections
        return bool(sum(totals[s] for s in w["expect"]["sections"]) >= w["expect"]["at_least"])
    if "dossier" in w or "dossiers" in w:
        pairs = (
            zip(w["dossiers"], w["expect"], strict=True)
            if "dossiers" in w
            else [(w["dossier"], w["expect"])]
        )
        for data, expect in pairs:
            (verdict,) = engine.evaluate(w["list"], [dossier_from(data)], day, explain=False)
            got = {i.id: i.status.value for i in verdict.items}
            if any(got.get(k) != v for k, v in expect.items()):
                return False
        return True
    if "scores" in w:
        policy = engine.policies.of(SCORING).grade_policy(w["grade_policy"])
        entries = [
            Entry(f"w{i}", f"示例{i}", dict.fromkeys(policy.group_by, "示例"), score=Decimal(s))
            for i, s in enumerate(w["scores"])
        ]
        grades = [
            g.grade
            for g in sorted(
                engine.assess(policy.id, entries, day).graded, key=lambda g: int(g.person_id[1:])
            )
        ]
        if "grades" in w["expect"]:
            return bool(grades == w["expect"]["grades"])
        shares = {q.grade: q.share for q in (*policy.top, *policy.bottom) if q.share}
        return all(
            grades.count(g) * shares[g][1] < shares[g][0] * len(grades)
            for g in w["expect"]["short_of_share"]
        )
    if "inputs" in w:
        rubric = engine.policies.of(SCORING).rubrics[w["rubric"]]
        line = {ln.rule: ln for ln in score(rubric, "w", w["inputs"]).lines}[w["expect"]["rule"]]
        return bool(line.capped) and str(line.points) == w["expect"]["points"]
    if "guard" in w and w["guard"]["list"]:
        (verdict,) = engine.evaluate(w["guard"]["list"], [empty_dossier(day)], day)
        wanted = Outcome(w["guard"]["expect"])
        return not (verdict.outcome is wanted and verdict.conclusive)
    if "guard" in w:  # an expression guard the solver proved unsatisfiable: try dossiers
        return True
    if "unreachable" in w["expect"]:
        return bool(w["blocked"])
    if "parameter" in w:
        return not engine.policies.parameters[w["parameter"]].values
    raise AssertionError(f"a witness this test does not read: {w}")


def _json_findings(policies: list[str], plugins: list[str], lang: str = "en") -> Any:
    args = ["check", "--as-of", DAY.isoformat(), "-f", "json", "--lang", lang]
    for p in policies:
        args += ["--policy", p]
    for p in plugins:
        args += ["--plugin", p]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return orjson.loads(result.stdout)["findings"]


def test_every_seeded_witness_makes_the_engine_do_what_is_claimed(seeded: Engine) -> None:
    findings = _json_findings([str(p) for p in sorted(DATA.glob("*.yaml"))], [])
    assert len(findings) >= 10
    for found in findings:
        assert set(found) >= {"kind", "severity", "rule", "position", "message", "witness"}
        assert found["confirmed"] and _confirm(seeded, found), found


@pytest.mark.districts
def test_the_contrib_plugins_show_only_their_sources_gaps() -> None:
    """What the analysis finds in the contrib plugins is the sources' own (docs/analysis.md):
    thresholds, items and periods they do not publish. Nothing is an error or a warning."""
    engine = Engine.load(plugins=CONTRIB)
    findings = _json_findings([], CONTRIB)
    assert {f["severity"] for f in findings} == {"info"}
    assert {(f["kind"], f["rule"]) for f in findings} == {
        ("always_unknown", "shizhong.treatment_common_requirements/tenure"),
        ("always_unknown", "shizhong.treatment_common_requirements/assessment_result"),
        ("always_unknown", "shizhong.treatment_common_requirements/personal_honours"),
        (
            "guard_never_passes",
            "shizhong.section_level_treatment/self_recommend/common_requirements",
        ),
        (
            "guard_never_passes",
            "shizhong.section_level_treatment/revoke/rural_basic_conditions_failed",
        ),
        ("deadline_never_due", "shizhong.section_level_treatment/notice_ends"),
        ("states_unreachable", "shizhong.section_level_treatment"),
    }
    for found in findings:
        assert found["confirmed"] and _confirm(engine, found), found


@pytest.mark.districts
def test_check_fails_on_the_severity_asked() -> None:
    runner = CliRunner()
    lists = str(DATA / "lists.yaml")
    base = ["check", "--policy", lists, "--as-of", DAY.isoformat()]
    assert runner.invoke(app, [*base, "--fail-on", "error"]).exit_code == 4
    clean = ["check", "--plugin", "jiaozhou", "--as-of", DAY.isoformat()]
    assert runner.invoke(app, [*clean, "--fail-on", "warning"]).exit_code == 0
    shown = runner.invoke(app, base)
    assert shown.exit_code == 0 and "分析发现的问题" in shown.output and "错误" in shown.output


# --- the encoding against the engine -----------------------------------------------------

EXPRESSIONS = [
    "age() > 70 and age() < 60",
    'age() >= 35 or not has_finding("涉黑涉恶")',
    'has_finding(["涉黑涉恶", "长期不履职"], within=years(1))',
    'count_findings("涉黑涉恶") + count("缺席") * 2 >= 3',
    'count("缺席") / 2 > 1',
    'years_in_post("党组织书记") >= 3 and holds_post("党组织书记")',
    'holds_post_in("党组织书记", "rural") or years_in_post("两委成员") < 1',
    'grade(year(as_of) - 1) in ["优秀", "称职"]',
    'rank("2024Q1") <= 2 if has_document("党员关系") else amount("投入") > 10000',
    'person.gender == "女" and person.birth_date < date("1980-01-01")',
    '-count("缺席") < -1 and count("缺席") != 5',
]


def _fact_value(engine: Engine, fact: Fact, dossier: Dossier) -> Any:
    if fact.function == "person":
        return getattr(dossier.person, fact.args[0])
    function = engine.policies.schema.functions[fact.function]
    return function.impl(dossier, *fact.args)


@pytest.mark.districts
@pytest.mark.parametrize("source", EXPRESSIONS)
def test_the_encoding_gives_what_the_engine_gives(source: str) -> None:
    engine = Engine.load(plugins=["shizhong"])
    expression = compile_expression(source, engine.policies.schema)
    found = mentions(engine.policies, "shizhong.exit_conditions", DAY)
    from governance_core.loading.mentions import add_mentions

    add_mentions(found, source, engine.policies.values_on(DAY))

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(dossiers_from(found, DAY, filled=True))
    def agrees(dossier: Dossier) -> None:
        facts = Facts()
        try:
            term = Encoder(facts, DAY, engine.policies.values_on(DAY)).encode(expression.checked)
        except NoValueError:
            return
        substitution = []
        for fact, v in facts.variables.items():
            try:
                value = _fact_value(engine, fact, dossier)
            except MissingFact:
                return  # a fact the dossier does not record: the item is unknown
            if value is None:
                return
            substitution.append((v, _z3_constant(value)))
        engine_value = expression.evaluate(dossier)
        if not isinstance(engine_value, bool):
            return
        encoded = z3.simplify(z3.substitute(term, *substitution))
        assert z3.is_true(encoded) == engine_value, (source, dossier)

    agrees()


@pytest.mark.districts
@given(st.sampled_from(EXPRESSIONS))
@settings(max_examples=len(EXPRESSIONS), deadline=None)
def test_a_model_s_dossier_meets_what_the_model_meets(source: str) -> None:
    """A satisfiable expression's model, made a dossier, meets the expression in the engine
    (the witness builder inverts the encoding)."""
    from governance_core.analysis._witness import dossier_of

    engine = Engine.load(plugins=["shizhong"])
    expression = compile_expression(source, engine.policies.schema)
    facts = Facts()
    term = Encoder(facts, DAY, engine.policies.values_on(DAY)).encode(expression.checked)
    solver = z3.Solver()
    solver.add(term, *facts.constraints())
    if solver.check() == z3.sat:
        assert expression.evaluate(dossier_of(solver.model(), facts, DAY)) is True, source


def test_severity_orders_findings(seeded_findings: list[Defect]) -> None:
    ranks = [d.severity.rank for d in seeded_findings]
    assert ranks == sorted(ranks, reverse=True) and Severity.ERROR.rank > Severity.INFO.rank


def test_the_analysis_is_bounded_and_claims_nothing_it_did_not_prove(seeded: Engine) -> None:
    """Past its budget the solver is asked nothing more: no "never" is reported without a
    proof, and one finding says the analysis stopped."""
    found = analyse(seeded, DAY, seconds=0)
    assert "analysis_incomplete" in {d.kind for d in found}
    solved = {
        "never_met",
        "contradictory",
        "redundant",
        "always_met",
        "guard_never_passes",
        "may_fail",
    }
    assert not {d.kind for d in found} & solved
    assert "demo.conditions/veto impossible_list" not in {d.rule for d in found}
    # what needs no solver (a shadowed band, a capped line) is still proved
    assert {"band_unreachable", "line_capped"} <= {d.kind for d in found}
