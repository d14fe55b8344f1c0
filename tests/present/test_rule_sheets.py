"""Excel authoring of rules (issue 34): `governance export` writes a rule as a book,
`governance import-overlay` reads the filled book back as an overlay. Export then import gives
the same rule; what staff add, replace, remove or change is what the overlay applies; every
problem is said at its sheet and row, and nothing is written then."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from typer.testing import CliRunner

from governance_core.cli import app
from governance_core.engine import Engine
from governance_core.errors import PolicyError
from governance_core.present.rule_sheets import export_rule, import_overlay
from governance_core.rules.criteria.kind import CRITERIA
from governance_core.rules.scoring.kind import SCORING

pytestmark = pytest.mark.districts

EXIT = "shizhong.exit_conditions"


@pytest.fixture(scope="module")
def shizhong() -> Engine:
    return Engine.load(plugins=["shizhong"])


def _items(engine: Engine, list_id: str) -> list[tuple[Any, ...]]:
    return [
        (i.id, i.number, i.title.zh, i.expression, i.citation.document, i.citation.article)
        for i in engine.policies.of(CRITERIA)[list_id].criteria.items
    ]


def _append(book: Path, sheet: str, rows: list[list[Any]]) -> None:
    workbook = load_workbook(book)
    for row in rows:
        workbook[sheet].append(row)
    workbook.save(book)


def test_export_then_import_unchanged_gives_the_same_list(shizhong: Engine, tmp_path: Path) -> None:
    book = tmp_path / "list.xlsx"
    assert export_rule(shizhong, EXIT, book).kind == "list"
    overlay = import_overlay(shizhong, book, tmp_path / "o.yaml")
    assert "lists" not in overlay
    applied = shizhong.with_overlays([tmp_path / "o.yaml"])
    assert _items(applied, EXIT) == _items(shizhong, EXIT)


_TEXT = st.text(alphabet="村镇书记情形认定违纪第一二三四五六七八九十", min_size=1, max_size=12)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    added=st.lists(st.tuples(_TEXT, _TEXT), min_size=1, max_size=6),
    removed=st.booleans(),
)
def test_what_staff_add_and_remove_is_what_the_overlay_applies(
    shizhong: Engine, tmp_path: Path, added: list[tuple[str, str]], removed: bool
) -> None:
    book, target = tmp_path / "list.xlsx", tmp_path / "o.yaml"
    export_rule(shizhong, EXIT, book)
    base = _items(shizhong, EXIT)
    rows: list[list[Any]] = [
        [None, f"district_{n}", 4 + n, title, None, kind, None, "区委细则", f"第{n + 1}条", "区委"]
        for n, (title, kind) in enumerate(added)
    ]
    if removed:
        rows.append(["删除", base[-1][0], *([None] * 10), "区委细则删去"])
    _append(book, "条目", rows)
    import_overlay(shizhong, book, target)
    applied = _items(shizhong.with_overlays([target]), EXIT)
    kept = base[:-1] if removed else base
    expected = kept + [
        (f"district_{n}", 4 + n, title, f'has_finding("{kind}")', "区委细则", f"第{n + 1}条")
        for n, (title, kind) in enumerate(added)
    ]
    assert sorted(applied, key=str) == sorted(expected, key=str)
    # exported again from the completed list and read against it: the same rule, no change
    again = tmp_path / "again.xlsx"
    completed = shizhong.with_overlays([target])
    export_rule(completed, EXIT, again)
    assert "lists" not in import_overlay(completed, again, tmp_path / "none.yaml")


def test_every_problem_at_its_row_and_nothing_written(shizhong: Engine, tmp_path: Path) -> None:
    book, target = tmp_path / "list.xlsx", tmp_path / "o.yaml"
    export_rule(shizhong, EXIT, book)
    workbook = load_workbook(book)
    sheet = workbook["条目"]
    sheet["D2"] = "改过的标题"  # changed without 替换
    sheet.append([None, "c5", 5, "第五种", None, None, 'has_findin("x") and', "文", "条", "源"])
    sheet.append(["删除", "no_such_item", *([None] * 10), "理由"])
    sheet.append([None, "c6", 6, "第六种", None, "某认定", "holds_post('x')", "文", "条", "源"])
    workbook.save(book)
    with pytest.raises(PolicyError) as caught:
        import_overlay(shizhong, book, target)
    said = {(p.file, p.line) for p in caught.value.problems}
    assert said == {(f"{book}[条目]", line) for line in (2, 5, 6, 7)}, caught.value.problems
    assert not target.exists()


def test_a_grade_policys_settings_changed_with_a_reason(tmp_path: Path) -> None:
    engine = Engine.load(plugins=["jiaozhou"])
    policy = "jiaozhou.first_secretary_grades"
    book, target = tmp_path / "gp.xlsx", tmp_path / "o.yaml"
    assert export_rule(engine, policy, book).kind == "grade_policy"
    workbook = load_workbook(book)
    settings_sheet = workbook["设置"]
    rows = {settings_sheet.cell(r, 2).value: r for r in range(2, settings_sheet.max_row + 1)}
    settings_sheet.cell(rows["rounding"], 3).value = "ceil"
    settings_sheet.cell(rows["rounding"], 4).value = "区委决定向上取整"
    settings_sheet.cell(rows["ties"], 3).value = "bogus"
    settings_sheet.cell(rows["ties"], 4).value = "理由"
    workbook.save(book)
    with pytest.raises(PolicyError) as caught:
        import_overlay(engine, book, target)
    (problem,) = caught.value.problems
    assert problem.line == rows["ties"] and "withhold" in (problem.hint or "")
    settings_sheet.cell(rows["ties"], 3).value = "withhold"
    workbook.save(book)
    import_overlay(engine, book, target)
    changed = engine.with_overlays([target]).policies.of(SCORING).grade_policy(policy)
    assert changed.rounding.value == "ceil"


def test_the_commands(tmp_path: Path) -> None:
    runner = CliRunner()
    book, target = tmp_path / "rb.xlsx", tmp_path / "o.yaml"
    rubric = "jiaozhou.first_secretary_goals"
    out = runner.invoke(app, ["export", rubric, "--plugin", "jiaozhou", "--output", str(book)])
    assert out.exit_code == 0, out.output
    assert "细则" in load_workbook(book).sheetnames
    back = runner.invoke(
        app, ["import-overlay", str(book), "--plugin", "jiaozhou", "--output", str(target)]
    )
    assert back.exit_code == 0 and target.exists(), back.output
    unknown = runner.invoke(app, ["export", "no.such", "--plugin", "jiaozhou"])
    assert unknown.exit_code == 1 and "Traceback" not in unknown.output


def test_a_hostile_book_is_refused_and_nothing_written(shizhong: Engine, tmp_path: Path) -> None:
    from tests.hostile.corpus import workbooks

    target = tmp_path / "o.yaml"
    for name, data in workbooks().items():
        book = tmp_path / f"{len(name)}.xlsx"
        book.write_bytes(data)
        with pytest.raises(PolicyError) as caught:
            import_overlay(shizhong, book, target)
        assert caught.value.problems[0].file is not None, name
        assert not target.exists(), name
