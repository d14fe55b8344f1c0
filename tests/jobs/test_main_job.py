"""The main job: `governance run` over the steps the loaded cycles declare — on the example
district (SQLite and PostgreSQL) and on a district's own Excel book — recorded in the store,
written to a workbook that says what is provisional, and repeatable."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from typer.testing import CliRunner

import governance_core
from governance_core import Engine
from governance_core.cli import app
from governance_core.errors import ScoringError
from governance_core.jobs.cycle_run import run_period
from governance_core.jobs.district_inputs import read_district
from governance_core.jobs.example_district import example_district
from governance_core.jobs.main_job import finding_kinds, last_quarter
from governance_core.plugins import example_settings_file, read_settings
from governance_core.rules.cycles import Period
from governance_core.storage import SqlStore
from governance_core.storage.audit import verify
from tests.support import ROOT

runner = CliRunner(env={"COLUMNS": "240"})  # the run summary's seven columns, unwrapped
ORDER = ["优秀", "良好", "称职", "基本称职", "不称职", "未定"]


def _rows(sheet: object) -> list[dict[str, object]]:
    rows = list(sheet.iter_rows(values_only=True))  # type: ignore[attr-defined]
    header = [h for h in rows[0] if h is not None and not str(h).startswith("示例")]
    return [dict(zip(header, r, strict=False)) for r in rows[1:]]


@pytest.mark.districts
def test_the_main_job_with_no_arguments(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["run"])
    assert result.exit_code == 0, result.output
    assert "“第一书记”履职考核排名定档 2024：优秀（待定）" in result.output
    book = load_workbook(tmp_path / "governance-2024Q4.xlsx")
    assert book.sheetnames[0] == "汇总"
    assert {
        "2024-10 月评估逐一排名通报",
        "2024Q4 季考核后2位不得评先树优",
        "2024 “第一书记”履职考核排名定档",
    } <= set(book.sheetnames)
    for sheet in book.worksheets:  # tables a clerk can read: frozen header, filters, 示例
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
        assert any(str(c.value).startswith("示例：") for c in sheet[1])
        # printed (or rendered by scripts/render_workbook): as wide as a landscape page, the
        # header on every page
        # (one page wide is the schema's default, left unwritten: fit to page, 0 pages high)
        setup = sheet.sheet_properties.pageSetUpPr
        assert setup is not None and setup.fitToPage
        assert sheet.page_setup.fitToHeight == 0 and sheet.page_setup.orientation == "landscape"
        assert sheet.print_title_rows == "$1:$1"
        # the header row reads as one; every page names the book, the sheet and the page; the
        # 示例 mark is in the page header, and the columns it sits in are not printed
        assert sheet["A1"].font.b and sheet["A1"].fill.fgColor.rgb.endswith("D9E1F2")
        header, footer = sheet.oddHeader, sheet.oddFooter
        assert header is not None and footer is not None
        assert str(header.left.text).endswith(" 2024Q4") and header.center.text == "&A"
        assert str(header.right.text).startswith("示例：")
        assert footer.center.text == "第 &P 页，共 &N 页"
        mark = next(c for c in sheet[1] if str(c.value).startswith("示例："))
        assert get_column_letter(mark.column or 0) not in str(sheet.print_area)
    graded = _rows(book["2024 “第一书记”履职考核排名定档"])
    assert len(graded) == 171
    # 胶州's survey mapping is unpublished: its grades are provisional, and say why in Chinese
    assert {r["是否确定"] for r in graded} == {"否（待定）"}
    # each row says why, or that the row above in its group said the same
    notes = [str(r["说明"]) for r in graded]
    assert all("jiaozhou_satisfaction_unfit_below 尚无取值" in n or n == "同上" for n in notes)
    assert "jiaozhou_satisfaction_unfit_below 尚无取值" in notes[0] and "同上" in notes
    assert any(str(r["依据"]).startswith("名额“优秀”：") for r in graded)
    summary = _rows(book["汇总"])
    (annual,) = [r for r in summary if "annual_assessment" in str(r["步骤"])]
    labels = [
        part.split(" ")[0].removesuffix("（待定）") for part in str(annual["结果"]).split("，")
    ]
    assert labels == sorted(labels, key=ORDER.index)
    exits = _rows(book["2024Q4 “有错无为”退出：命中情形的启动免职程序"])
    opened = [r["启动的程序"] for r in exits if r["启动的程序"]]
    # the procedure and its state in words, no ids
    assert opened and all(str(o).endswith("（发现问题情形）") for o in opened)
    assert not any(c.isascii() and c.isalpha() for o in opened for c in str(o))
    store = SqlStore(f"sqlite:///{tmp_path / 'governance.db'}")
    assert verify(store).ok
    recorded = len(store.decisions.recorded_score_sheets())
    again = runner.invoke(app, ["run"])
    assert again.exit_code == 0 and "写入记录：0 条" in again.output
    assert len(store.decisions.recorded_score_sheets()) == recorded  # nothing twice


@pytest.mark.districts
def test_the_example_runs_every_loaded_plugin_s_cycle(tmp_path: Path) -> None:
    # 淄川's tiers and 汶上's grades beside 市中区's rankings and 胶州's assessment
    out = tmp_path / "out.xlsx"
    result = runner.invoke(
        app,
        [
            "run",
            "--plugin",
            "zichuan",
            "--plugin",
            "wenshang",
            "--output",
            str(out),
            "--database",
            f"sqlite:///{tmp_path / 'g.db'}",
        ],
    )
    assert result.exit_code == 0, result.output
    names = load_workbook(out).sheetnames  # Excel's titles have no ":", and "_" in its place
    assert {
        "2024Q4 西河镇村居季度排名4_5_1",
        "2024 “双报到”工作四个等次综合评价",
        "2024-12 月评估逐一排名通报",
        "2024 “第一书记”履职考核排名定档",
    } <= set(names)
    dual = _rows(load_workbook(out)["2024 “双报到”工作四个等次综合评价"])
    assert {r["分组"] for r in dual} == {"机关企事业单位党组织", "在职党员"}
    assert {r["是否确定"] for r in dual} == {"否（待定）"}  # the thresholds are unpublished


@pytest.mark.districts
def test_a_step_whose_cadence_is_unpublished_is_skipped_with_the_reason() -> None:
    engine = Engine.load(plugins=["zichuan"])
    report = run_period(engine, Period.parse("2024Q4"), example_district(), SqlStore("sqlite://"))
    (cards,) = [s for s in report.steps if s.planned.step.id == "red_yellow_cards"]
    assert not cards.done and "zichuan_cards_cadence" in cards.detail
    (tiers,) = [s for s in report.steps if s.planned.step.id == "xihe_quarterly_tiers"]
    assert tiers.done and tiers.provisional == 0 and tiers.assessment is not None


@pytest.mark.districts
def test_a_period_without_the_year_end_has_no_yearly_step(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "run",
            "--period",
            "2024Q2",
            "--database",
            f"sqlite:///{tmp_path / 'g.db'}",
            "--output",
            str(tmp_path / "q2.xlsx"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert not any("第一书记" in name for name in load_workbook(tmp_path / "q2.xlsx").sheetnames)


def test_nothing_loaded_is_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "governance.toml").write_text("plugins = []\n", encoding="utf-8")
    roster = Engine.example_roster()
    result = runner.invoke(app, ["run", "--roster", str(roster)])
    assert result.exit_code == 1 and "没有加载任何运行周期" in result.output


def test_inputs_need_a_roster() -> None:
    result = runner.invoke(app, ["run", "--inputs", "x.xlsx"])
    assert result.exit_code == 2 and "--roster" in result.output


def test_the_settings_have_no_run_table_any_more(tmp_path: Path) -> None:
    # the cycles say what runs; a left-over [run] table is located, not silently ignored
    settings = tmp_path / "governance.toml"
    settings.write_text('[run]\nmonthly = "x.monthly"\n', encoding="utf-8")
    from governance_core import ConfigError

    with pytest.raises(ConfigError) as caught:
        read_settings(settings)
    assert caught.value.problems[0].message == "unknown field 'run'"
    assert read_settings(example_settings_file()).overlays  # the example's exit review


def test_the_core_names_no_district() -> None:
    # what the main job applies comes from the plugins' cycles, never from the library's
    # code; docstrings may show a district in an example
    districts = ("shizhong", "jiaozhou", "zichuan", "wenshang", "jiaxiang")
    core = Path(governance_core.__file__).parent
    for path in core.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and id(node) not in docstrings:
                text = str(node.value)
                assert not text.startswith(districts), f"{path.relative_to(core)}: {text!r}"


def test_a_bad_period_is_refused() -> None:
    result = runner.invoke(app, ["run", "--period", "2024-13"])
    assert result.exit_code == 2 and "2024Q4" in result.output


def test_the_last_quarter() -> None:
    from datetime import date

    assert last_quarter(date(2026, 12, 2)).label == "2026Q3"
    assert last_quarter(date(2026, 2, 1)).label == "2025Q4"


@pytest.mark.districts
def test_the_run_on_each_store(database: str) -> None:
    settings = read_settings(example_settings_file())
    engine = Engine.load(settings)
    period = Period.parse("2024Q4")
    district = example_district(as_of=period.end, finding_kinds=finding_kinds(engine, period.end))
    store = SqlStore(database)
    report = run_period(engine, period, district, store)
    monthly = [s for s in report.steps if s.planned.step.id == "monthly_ranking"]
    assert [s.planned.deadline.isoformat() for s in monthly if s.planned.deadline] == [
        "2024-11-10",
        "2024-12-10",
        "2025-01-10",
    ]
    opened = report.opened()
    assert opened and all(i.process == "shizhong.exit_dismissal" for i in opened)
    verdicts = sum(len(s.verdicts) for s in report.steps)
    imposed = report.effects()  # the quarter's bars and lagging villages (docs/effects.md)
    assert {e.effect for e in imposed} == {
        "shizhong.quarter_awards_bar",
        "shizhong.lagging_village",
    }
    # and the manifest of the policy set that decided, once (governance replay)
    assert report.records_written == 3 * 447 + 2 * 447 + verdicts + 171 + len(imposed) + 1
    assert verify(store).ok
    # each effect is told through the outbox, once
    told = [row for row in store.outbox.rows(None) if row.kind == "effect"]
    assert len(told) == len(imposed)
    assert any("镇街不得将其确定为评先树优对象" in str(row.payload) for row in told)
    again = run_period(engine, period, district, store)
    assert again.records_written == 0 and len(again.opened()) == len(opened)
    assert len([r for r in store.outbox.rows(None) if r.kind == "effect"]) == len(imposed)
    year = run_period(engine, Period.parse("2024"), district, store)
    # the year holds Q4 again (and the months of Q1–Q3, new): nothing of Q4 twice
    assert year.records_written == (
        9 * 447 + 3 * 2 * 447 + 3 * verdicts + len(year.effects()) - len(imposed)
    )


# --- a district of its own: 淄川 and 汶上 only, from an Excel book the district filled in ---

TOWNS = {"t1": "西河镇", "t2": "龙泉镇"}


def _district_book(path: Path, *, bad: bool = False) -> Path:
    book = Workbook()
    organisations = book.active
    assert organisations is not None
    organisations.title = "组织"
    organisations.append(["编号", "名称", "层级", "上级"])
    organisations.append(["zc", "淄川区", "区", None])
    for town, name in TOWNS.items():
        organisations.append([town, name, "镇", "zc"])
    people, posts = book.create_sheet("人员"), book.create_sheet("职务")
    people.append(["编号", "姓名"])
    posts.append(["人员", "职务", "组织", "任职开始"])
    scores = book.create_sheet("评分")
    scores.append(["期间", "步骤", "人员", "姓名", "得分", "分组:subject"])
    for n in range(1, 21):
        town = "t1" if n <= 10 else "t2"
        organisations.append([f"v{n:02d}", f"村{n:02d}", "村", town])
        people.append([f"p{n:02d}", f"书记{n:02d}"])
        posts.append([f"p{n:02d}", "党组织书记", f"v{n:02d}", "2020-01-01"])
        # the quarter's score; the town comes from the roster, 步骤 blank: every such step
        scores.append(["2024Q4", None, f"p{n:02d}", f"书记{n:02d}", 100 - n, None])
    for n in range(1, 7):  # 汶上's 双报到: organisations and members, graded apart
        subject = "机关企事业单位党组织" if n <= 3 else "在职党员"
        scores.append([2024, "dual_report_grades", f"d{n}", f"单位或党员{n}", 90 - n, subject])
    if bad:
        scores.append(["2024Q5", "xihe_tiers", "p01", "书记01", "九十", None])
    book.save(path)
    return path


@pytest.mark.districts
def test_a_district_runs_its_own_quarter_from_its_excel_book(tmp_path: Path) -> None:
    book = _district_book(tmp_path / "淄川.xlsx")
    out, db = tmp_path / "out.xlsx", f"sqlite:///{tmp_path / 'g.db'}"
    result = runner.invoke(
        app,
        [
            "run",
            "--roster",
            str(book),
            "--period",
            "2024Q4",
            "--plugin",
            "zichuan",
            "--plugin",
            "wenshang",
            "--database",
            db,
            "--output",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "运行频次未公布" in result.output  # the cards: no cadence, skipped and said
    workbook = load_workbook(out)
    assert not any(str(c.value).startswith("示例") for c in workbook["汇总"][1])  # real data
    tiers = _rows(workbook["2024Q4 西河镇村居季度排名4_5_1"])
    # 4:5:1 in each town of 10, rounded down: 4 优秀, 1 较差, the rest 一般
    for town in TOWNS.values():
        grades = [r["等次"] for r in tiers if r["分组"] == town]
        assert grades == ["优秀"] * 4 + ["一般"] * 5 + ["较差"]
    dual = _rows(workbook["2024 “双报到”工作四个等次综合评价"])
    assert len(dual) == 6 and {r["是否确定"] for r in dual} == {"否（待定）"}
    # which threshold is unpublished, said once per group
    assert all("尚无取值" in str(r["说明"]) or r["说明"] == "同上" for r in dual)
    store = SqlStore(db)
    runs = {r.run for r in store.decisions.runs()}
    assert runs == {
        "zichuan.cycle/xihe_quarterly_tiers/2024Q4",
        "wenshang.cycle/dual_report_grades/2024",
    }


@pytest.mark.districts
def test_a_district_s_bad_cell_is_located_and_nothing_is_written(tmp_path: Path) -> None:
    book = _district_book(tmp_path / "淄川.xlsx", bad=True)
    out, db = tmp_path / "out.xlsx", tmp_path / "g.db"
    result = runner.invoke(
        app,
        [
            "run",
            "--roster",
            str(book),
            "--plugin",
            "zichuan",
            "--plugin",
            "wenshang",
            "--database",
            f"sqlite:///{db}",
            "--output",
            str(out),
            "--period",
            "2024Q4",
        ],
    )
    assert result.exit_code == 1
    assert "淄川.xlsx[评分]:28:1" in result.output and "'2024Q5' 不是有效的期间" in result.output
    assert "淄川.xlsx[评分]:28:2" in result.output and "xihe_quarterly_tiers" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    assert SqlStore(f"sqlite:///{db}").decisions.runs() == []


@pytest.mark.districts
def test_an_entry_the_assessment_refuses_writes_nothing(tmp_path: Path) -> None:
    # 汶上 grades by subject; a row without it cannot be grouped, and nothing is recorded
    book = _district_book(tmp_path / "b.xlsx")
    from openpyxl import load_workbook as open_book

    workbook = open_book(book)
    workbook["评分"].append([2024, "dual_report_grades", "d9", "无分组", 70, None])
    workbook.save(book)
    engine = Engine.load(plugins=["zichuan", "wenshang"])
    steps = {"xihe_quarterly_tiers", "red_yellow_cards", "dual_report_grades"}
    store = SqlStore(f"sqlite:///{tmp_path / 'g.db'}")
    with pytest.raises(ScoringError) as caught:
        run_period(engine, Period.parse("2024Q4"), read_district(book, [], steps), store)
    assert "subject" in str(caught.value)
    assert store.decisions.runs() == []  # not even the tiers, decided before the refusal


@pytest.mark.districts
def test_a_step_without_inputs_is_skipped_with_the_reason(tmp_path: Path) -> None:
    engine = Engine.load(plugins=["zichuan", "wenshang"])
    book = _district_book(tmp_path / "b.xlsx")
    steps = {"xihe_quarterly_tiers", "red_yellow_cards", "dual_report_grades"}
    district = read_district(book, [], steps)
    report = run_period(engine, Period.parse("2024Q3"), district, SqlStore("sqlite://"))
    (tiers,) = [s for s in report.steps if s.planned.step.id == "xihe_quarterly_tiers"]
    assert not tiers.done and "2024Q3" in tiers.detail and "评分" in tiers.detail
    assert district.unused() == [(f"{book}[评分]", "2024, 2024Q4")]


@pytest.mark.districts
def test_an_assessment_file_is_an_input_too(tmp_path: Path) -> None:
    engine = Engine.load(plugins=["zichuan"])
    inputs = tmp_path / "q4.yaml"
    entries = "\n".join(
        f"  - {{person: p{n:02d}, name: 书记{n:02d}, score: {100 - n}}}" for n in range(1, 11)
    )
    inputs.write_text(
        f"policy: zichuan.xihe_quarterly_tiers\nas_of: 2024-12-31\nentries:\n{entries}\n",
        encoding="utf-8",
    )
    book = _district_book(tmp_path / "b.xlsx")
    district = read_district(book, [inputs], {"xihe_quarterly_tiers", "dual_report_grades"})
    report = run_period(engine, Period.parse("2024Q4"), district, SqlStore("sqlite://"))
    (tiers,) = [s for s in report.steps if s.planned.step.id == "xihe_quarterly_tiers"]
    assert tiers.done and tiers.assessment is not None and len(tiers.assessment.graded) == 10
    assert "q4.yaml" in tiers.detail


def test_a_bad_period_in_an_assessment_file_is_one_located_problem(tmp_path: Path) -> None:
    bad = tmp_path / "a.yaml"
    bad.write_text("policy: x\nas_of: 2024-13-01\nentries: []\n", encoding="utf-8")
    (problem,) = read_district(None, [bad], set()).problems
    assert problem.line == 2


# --- points statements: 嘉祥 publishes neither items nor how often statements are made ---

JIAXIANG = ROOT / "plugins_contrib" / "jiaxiang" / "docs"


def _jiaxiang_quarterly(tmp_path: Path) -> Engine:
    overlay = tmp_path / "cadence.yaml"
    overlay.write_text(
        "overlay: {id: test-cadence, title: {zh: （测试）对账频次, en: (Test) cadence}, "
        "version: test}\nparameters:\n  - parameter: jiaxiang_statement_cadence\n"
        "    citation: {document: （测试）, article: （测试）, source: test}\n"
        "    values: [{value: quarterly}]\n",
        encoding="utf-8",
    )
    return Engine.load(
        plugins=["jiaxiang"], policies=[JIAXIANG / "example-town-items.yaml"], overlays=[overlay]
    )


@pytest.mark.districts
def test_points_statements_without_a_published_cadence_are_skipped() -> None:
    report = run_period(
        Engine.load(plugins=["jiaxiang"]),
        Period.parse("2024Q1"),
        example_district(),
        SqlStore("sqlite://"),
    )
    (step,) = report.steps
    assert not step.done and "jiaxiang_statement_cadence" in step.detail


@pytest.mark.districts
def test_the_example_posts_invented_claims_when_the_scheme_has_items(tmp_path: Path) -> None:
    engine = _jiaxiang_quarterly(tmp_path)
    report = run_period(engine, Period.parse("2024Q2"), example_district(), SqlStore("sqlite://"))
    (step,) = report.steps
    assert step.done and len(step.statements) == 40
    assert all(s.postings for s in step.statements)


@pytest.mark.districts
def test_a_district_s_ledger_gives_its_statements(tmp_path: Path) -> None:
    engine = _jiaxiang_quarterly(tmp_path)
    ledger = JIAXIANG / "example-ledger.yaml"
    district = read_district(Engine.example_roster(), [ledger], set())
    report = run_period(engine, Period.parse("2024Q2"), district, SqlStore("sqlite://"))
    (step,) = report.steps
    assert step.done and [s.household.id for s in step.statements] == ["h001", "h002"]
    out = tmp_path / "out.xlsx"
    from governance_core.messages import in_language
    from governance_core.present.workbook import write_workbook

    with in_language("zh"):
        write_workbook(report, engine, out)
    first = _rows(load_workbook(out)["2024Q2 储户积分对账"])[0]
    assert (first["农户"], first["姓名"], first["是否确定"]) == ("h001", "张秀英户", "是")


@pytest.mark.districts
def test_the_main_job_answers_in_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import orjson

    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["run", "-f", "json"])
    assert result.exit_code == 0, result.output
    data = orjson.loads(result.stdout)
    assert data["period"] == "2024Q4" and data["records_written"] > 0
    annual = next(s for s in data["steps"] if s["step"] == "annual_assessment")
    assert annual["graded"] == 171 and annual["provisional"] == 171
    assert (tmp_path / data["workbook"]).exists()


@pytest.mark.districts
def test_a_second_book_for_the_same_quarter_is_refused_not_ignored(tmp_path: Path) -> None:
    # a corrected book given beside the first: the run used the first and exited 0 (issue 34)
    book = _district_book(tmp_path / "淄川.xlsx")
    corrected = _district_book(tmp_path / "淄川-更正.xlsx")
    out, db = tmp_path / "out.xlsx", tmp_path / "g.db"
    args = ["run", "--roster", str(book), "--inputs", str(corrected), "--period", "2024Q4"]
    args += ["--plugin", "zichuan", "--plugin", "wenshang", "--database", f"sqlite:///{db}"]
    args += ["--output", str(out)]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 1, refused.output
    assert "本次运行没有任何步骤读取的行" in refused.output and "淄川-更正.xlsx" in refused.output
    assert "--allow-unused" in refused.output and not out.exists()
    assert SqlStore(f"sqlite:///{db}").decisions.runs() == []
    allowed = runner.invoke(app, [*args, "--allow-unused"])
    assert allowed.exit_code == 0, allowed.output
    assert "淄川-更正.xlsx" in allowed.output  # still listed


@pytest.mark.districts
def test_a_score_under_another_header_is_refused_not_left_undecided(tmp_path: Path) -> None:
    # 分数 for 得分: every grade was left 待定 with exit 0 (issue 34)
    from openpyxl import load_workbook as open_book

    book = open_book(ROOT / "src/governance_core/examples/sample-district.xlsx")
    book["评分"]["D1"] = "分数"
    book.save(tmp_path / "book.xlsx")
    out, db = tmp_path / "out.xlsx", tmp_path / "g.db"
    args = ["run", "--plugin", "shizhong", "--roster", str(tmp_path / "book.xlsx")]
    args += ["--period", "2024Q4", "--database", f"sqlite:///{db}", "--output", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 1, result.output
    assert "book.xlsx[评分]:2:4: 列 '分数' 没有任何规则读取" in result.output
    assert "请把分数填在“得分”列" in result.output
    assert not out.exists() and SqlStore(f"sqlite:///{db}").decisions.runs() == []


@pytest.mark.districts
def test_a_score_for_someone_not_in_the_roster_is_located(tmp_path: Path) -> None:
    # 'd999: 缺少分组属性 town' named no row: the person is simply not in the roster (issue 34)
    from openpyxl import load_workbook as open_book

    book = open_book(ROOT / "src/governance_core/examples/sample-district.xlsx")
    book["评分"].append(["2024-10", "d999", "无名", 80])
    book.save(tmp_path / "book.xlsx")
    args = ["run", "--plugin", "shizhong", "--roster", str(tmp_path / "book.xlsx")]
    args += ["--period", "2024Q4", "--database", f"sqlite:///{tmp_path / 'g.db'}"]
    result = runner.invoke(app, [*args, "--output", str(tmp_path / "out.xlsx")])
    assert result.exit_code == 1, result.output
    assert "book.xlsx[评分]:18:2: 'd999' 不在名册中" in result.output
