"""Every loader refuses every hostile file of the corpus with located problems: no traceback,
no hang, no result. Numbers out of bounds are refused where they are read."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from governance_core.errors import GovernanceError, ProblemsError, RosterError
from governance_core.files import TableSpec, read_tables
from governance_core.files.limits import MAX_PROBLEMS
from governance_core.loading import read_overlay, read_policy_file
from governance_core.model import load_roster
from governance_core.model.roster_tables import read_roster_tables
from governance_core.plugins import read_settings
from governance_core.rules.common import Supplier, SupplierKind
from governance_core.rules.points import Ledger, load_ledger
from governance_core.rules.scoring import read_assessment
from governance_core.testing.case_files import read_cases
from tests.hostile.corpus import CSV, NUMBERS, YAML, workbooks

FILE = Supplier(SupplierKind.FILE, "hostile", "0")


def _ledger(path: Path) -> object:
    def never_opened(scheme: str) -> Ledger:
        raise AssertionError(f"a hostile ledger file opened the scheme {scheme}")

    return load_ledger(path, never_opened)


LOADERS: dict[str, Callable[[Path], object]] = {
    "policy": lambda p: read_policy_file(p, FILE),
    "overlay": read_overlay,
    "roster": load_roster,
    "assessment": read_assessment,
    "ledger": _ledger,
    "cases": read_cases,
}


@pytest.mark.parametrize("loader", sorted(LOADERS))
@pytest.mark.parametrize("name", sorted(YAML))
def test_every_yaml_loader_refuses_the_corpus_with_located_problems(
    tmp_path: Path, loader: str, name: str
) -> None:
    path = tmp_path / "hostile.yaml"
    path.write_bytes(YAML[name])
    with pytest.raises(ProblemsError) as caught:
        LOADERS[loader](path)
    problems = caught.value.problems
    assert 0 < len(problems) <= MAX_PROBLEMS + 1
    assert all(p.file == str(path) for p in problems), problems
    assert problems[0].line is not None, problems[0]
    assert all(len(p.message) < 400 for p in problems)


def test_a_long_string_where_a_list_belongs_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "roster.yaml"
    path.write_bytes(b"people: " + b"x" * 900_000 + b"\n")
    with pytest.raises(RosterError) as caught:
        load_roster(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (1, 9) and "a list is expected" in problem.message


def test_a_yaml_loader_refuses_dev_zero_and_folders(tmp_path: Path) -> None:
    for path in (Path("/dev/zero"), tmp_path):
        with pytest.raises(RosterError):
            load_roster(path)


def _roster_with_amount(value: str) -> str:
    return f"""\
people:
  - {{id: p1, name: 张三, birth_date: 1980-01-01}}
amounts:
  - {{person: p1, name: 集体收入, value: '{value}', recorded_on: 2024-01-01}}
"""


@pytest.mark.parametrize("value", NUMBERS)
def test_an_amount_out_of_bounds_is_refused_where_it_is_written(tmp_path: Path, value: str) -> None:
    path = tmp_path / "roster.yaml"
    path.write_text(_roster_with_amount(value), encoding="utf-8")
    with pytest.raises(RosterError) as caught:
        load_roster(path)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (4, 37), problem


def test_an_amount_within_bounds_is_exact(tmp_path: Path) -> None:
    path = tmp_path / "roster.yaml"
    path.write_text(_roster_with_amount("123456789012.25"), encoding="utf-8")
    assert str(load_roster(path).amounts[0].value) == "123456789012.25"


TOML = {
    "nested 3,000 deep": b"a = " + b"[" * 3000 + b"]" * 3000 + b"\n",
    "not UTF-8": "[run]\nmonthly = '名单'\n".encode("gbk"),
    "malformed": b"[run\n",
}


@pytest.mark.parametrize("name", sorted(TOML))
def test_settings_refuse_hostile_toml(tmp_path: Path, name: str) -> None:
    path = tmp_path / "governance.toml"
    path.write_bytes(TOML[name])
    with pytest.raises(ProblemsError) as caught:
        read_settings(path)
    assert caught.value.problems[0].file == str(path)


REFUSED = sorted(set(workbooks()) - {"dimension claims A1:XFD1048576"})


@pytest.mark.parametrize("name", REFUSED)
def test_roster_import_refuses_every_hostile_workbook(tmp_path: Path, name: str) -> None:
    path = tmp_path / "book.xlsx"
    path.write_bytes(workbooks()[name])
    with pytest.raises(RosterError) as caught:
        read_roster_tables(path)
    (problem,) = caught.value.problems[:1]
    assert problem.file is not None and problem.file.startswith(str(path))
    assert "Traceback" not in str(problem)


def test_a_false_dimension_claim_is_not_believed(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    path.write_bytes(workbooks()["dimension claims A1:XFD1048576"])
    (person,) = read_roster_tables(path).people
    assert person.name == "张三"


@pytest.mark.parametrize("name", sorted(CSV))
def test_csv_import_refuses_hostile_files(tmp_path: Path, name: str) -> None:
    path = tmp_path / "人员.csv"
    path.write_bytes(CSV[name])
    with pytest.raises(GovernanceError) as caught:
        read_roster_tables(path)
    assert isinstance(caught.value, RosterError)
    assert caught.value.problems[0].line is not None


def test_a_formula_cell_is_read_as_its_value_never_its_formula(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "人员"
    sheet.append(["编号", "姓名"])
    sheet.append(["p1", '=HYPERLINK("http://x", "张三")'])
    book.save(tmp_path / "book.xlsx")
    spec = {"people": TableSpec(("人员",), {"编号": "id", "姓名": "name"})}
    # openpyxl saved no computed value: never the formula's text, and never a silent blank
    with pytest.raises(RosterError) as caught:
        read_tables(tmp_path / "book.xlsx", spec, RosterError)
    (problem,) = caught.value.problems
    assert (problem.line, problem.column) == (2, 2) and "formula" in problem.message
    assert problem.hint is not None and "Excel" in problem.hint
    # the value Excel saved with the formula is what is read
    import zipfile

    with zipfile.ZipFile(tmp_path / "book.xlsx") as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet_xml = parts["xl/worksheets/sheet1.xml"].decode()
    assert "</f><v /></c>" in sheet_xml  # openpyxl writes an empty value
    saved = sheet_xml.replace("</f><v /></c>", "</f><v>张三</v></c>")
    parts["xl/worksheets/sheet1.xml"] = saved.encode()
    with zipfile.ZipFile(tmp_path / "saved.xlsx", "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    read = read_tables(tmp_path / "saved.xlsx", spec, RosterError)
    assert read.data["people"] == [{"id": "p1", "name": "张三"}]
