"""A corpus of district books, each with problems a clerk makes (and combinations): every
problem of every file is said in one run, at its book[sheet]:row:column, in Chinese, and the
run exits non-zero with the store and the workbook as they were (issue 34)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.workbook import Workbook
from typer.testing import CliRunner

from governance_core.cli import app
from governance_core.engine import Engine
from governance_core.files.limits import MAX_PROBLEMS

pytestmark = pytest.mark.districts

SAMPLE = Path(Engine.example_roster()).with_name("sample-district.xlsx")
Edit = Callable[[Workbook], None]


def _words_in_score(book: Workbook) -> None:
    book["评分"]["D3"] = "八十"


def _stranger(book: Workbook) -> None:
    book["评分"]["B4"] = "d999"


def _unsaved_formula(book: Workbook) -> None:
    book["评分"]["D5"] = "=1+1"


def _no_name_column(book: Workbook) -> None:
    book["人员"].delete_cols(2)


def _other_sheet(book: Workbook) -> None:
    book.create_sheet("季度得分").append(["期间", "人员", "得分"])


def _misheaded_score(book: Workbook) -> None:
    book["评分"]["D1"] = "得 分"


def _bad_period(book: Workbook) -> None:
    book["评分"]["A2"] = "2024Q5"


# each edit, and where and what its problem says
CORPUS: dict[str, tuple[Edit, str, str]] = {
    "words in a score": (_words_in_score, "[评分]:3:4", "不是数字"),
    "a person not in the roster": (_stranger, "[评分]:4:2", "不在名册中"),
    "an unsaved formula": (_unsaved_formula, "[评分]:5:4", "公式"),
    "no 姓名 column": (_no_name_column, "[人员]:1:5", "缺少 姓名 列"),
    "a sheet of another name": (_other_sheet, "[季度得分]", "没有名为 '季度得分' 的表"),
    "a score under another header": (_misheaded_score, "[评分]:2:4", "'得 分'"),
    "a period that is none": (_bad_period, "[评分]:2:1", "不是有效的期间"),
}


def _book(path: Path, *edits: Edit) -> Path:
    book = load_workbook(SAMPLE)
    for edit in edits:
        edit(book)
    book.save(path)
    return path


def _run(tmp_path: Path, *books: Path) -> tuple[int, str, Path, Path]:
    store, output = tmp_path / "g.db", tmp_path / "out.xlsx"
    inputs = [arg for b in books[1:] for arg in ("--inputs", str(b))]
    where = ["--database", f"sqlite:///{store}", "--output", str(output)]
    result = CliRunner().invoke(
        app,
        [
            "run",
            "--roster",
            str(books[0]),
            *inputs,
            "--plugin",
            "shizhong",
            "--period",
            "2024Q4",
            *where,
        ],
    )
    return result.exit_code, result.output, store, output


def _untouched(store: Path, output: Path, before: bytes | None) -> None:
    assert not output.exists()
    if before is not None:
        assert store.read_bytes() == before
    assert not store.with_name("g.db-wal").exists()


@pytest.mark.parametrize("name", list(CORPUS))
def test_each_problem_is_located_in_chinese(tmp_path: Path, name: str) -> None:
    edit, where, words = CORPUS[name]
    code, output, store, out = _run(tmp_path, _book(tmp_path / "区.xlsx", edit))
    assert code == 1
    assert f"区.xlsx{where}" in output and words in output, output
    assert "Traceback" not in output and "decimal" not in output and "expected" not in output
    _untouched(store, out, None)


def test_every_problem_of_every_book_in_one_run(tmp_path: Path) -> None:
    # the roster's book with every problem at once, and a second book for the same quarter
    book = _book(tmp_path / "区.xlsx", *(edit for edit, _, _ in CORPUS.values()))
    second = tmp_path / "更正.xlsx"
    shutil.copy(SAMPLE, second)
    store = _run(tmp_path, book)[2]  # a refused run may make the store; the next keeps it
    before = store.read_bytes() if store.exists() else None
    code, output, store, out = _run(tmp_path, book, second)
    assert code == 1
    found = [where for _, where, words in CORPUS.values() if f"区.xlsx{where}" in output]
    # a person's town needs the roster, which has a problem of its own: said once it reads
    expected = [
        where for name, (_, where, _) in CORPUS.items() if name != "a person not in the roster"
    ]
    assert found == expected, output
    assert "更正.xlsx[评分]" in output and "没有任何步骤读取" in output  # the second book
    # grouped by kind, each kind in file order
    headings = [
        line.strip()
        for line in output.splitlines()
        if line.startswith("  ") and line.strip().endswith("）：")
    ]
    assert [h.split("（")[0] for h in headings] == ["工作表与列", "单元格", "没有步骤读取的行"]
    _untouched(store, out, before)


def test_a_book_of_thousands_of_bad_cells_is_said_within_the_bound(tmp_path: Path) -> None:
    def many(book: Workbook) -> None:
        for n in range(2000):
            book["评分"].append(["2024-10", f"p{n}", "某人", "很高"])

    code, output, store, out = _run(tmp_path, _book(tmp_path / "区.xlsx", many))
    assert code == 1
    located = [line for line in output.splitlines() if "区.xlsx[评分]:" in line]
    assert 0 < len(located) <= MAX_PROBLEMS and "另有 2,001 个问题" in output, output[-300:]
    _untouched(store, out, None)


def test_a_stranger_and_a_bad_cell_together_once_the_roster_reads(tmp_path: Path) -> None:
    book = _book(tmp_path / "区.xlsx", _words_in_score, _stranger, _unsaved_formula)
    code, output, store, out = _run(tmp_path, book)
    assert code == 1
    for where in ("[评分]:3:4", "[评分]:4:2", "[评分]:5:4"):
        assert f"区.xlsx{where}" in output, output
    assert "镇街" in output  # what the roster would have said of d999, in words
    _untouched(store, out, None)


def test_diff_reads_a_book_as_run_does(tmp_path: Path) -> None:
    # the rows of one step and occurrence, read from the book by diff, or from the assessment
    # file governance import makes of them: the same grade changes
    overlay = tmp_path / "bottom-1.yaml"
    overlay.write_text(
        "overlay: {id: t, title: {zh: 测试, en: test}, version: '1'}\n"
        "parameters:\n"
        "  - parameter: shizhong_quarter_bottom_barred_from_awards\n"
        "    citation: {document: 测试, article: 第1条, source: test}\n"
        "    values: [{value: 1, effective_from: 2024-01-01}]\n"
        "    replace: true\n"
        "    reason: 测试\n",
        encoding="utf-8",
    )
    runner = CliRunner()
    common = ["--plugin", "shizhong", "--roster", str(SAMPLE), "--as-of", "2024-12-31"]
    common += ["--with", str(overlay), "--format", "json"]
    refused = runner.invoke(app, ["diff", *common, "--inputs", str(SAMPLE)])
    assert refused.exit_code == 2 and "--period" in refused.output
    from_book = runner.invoke(app, ["diff", *common, "--inputs", str(SAMPLE), "--period", "2024Q4"])
    assert from_book.exit_code == 0, from_book.output
    policy = "shizhong.quarterly_awards_bar"
    assessment = tmp_path / "q4.yaml"
    wanted = ["--assessment", str(assessment), "--grade-policy", policy, "--period", "2024Q4"]
    made = runner.invoke(
        app,
        [
            "import",
            str(SAMPLE),
            "--output",
            str(tmp_path / "r.yaml"),
            *wanted,
            "--plugin",
            "shizhong",
        ],
    )
    assert made.exit_code == 0, made.output
    from_file = runner.invoke(app, ["diff", *common, "--inputs", str(assessment)])
    assert from_file.exit_code == 0, from_file.output
    grades = [g for g in json.loads(from_book.stdout)["grades"] if g["grade_policy"] == policy]
    assert grades and grades == json.loads(from_file.stdout)["grades"]
