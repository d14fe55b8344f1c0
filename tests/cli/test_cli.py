"""The command line: a thin layer over the Engine, with documented exit codes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import orjson
import pytest
from typer.testing import CliRunner

from governance_core import Engine
from governance_core.cli import app
from tests.support import ROOT, policy_yaml

runner = CliRunner()
ROSTER = str(Engine.example_roster())


@pytest.mark.districts
def test_evaluate_json_in_english() -> None:
    result = runner.invoke(
        app,
        [
            "evaluate",
            "shizhong.exit_conditions",
            ROSTER,
            "--plugin",
            "shizhong",
            "--as-of",
            "2024-06-30",
            "-f",
            "json",
            "-l",
            "en",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = orjson.loads(result.stdout)
    li = next(r for r in rows if r["person_name"] == "李明")
    assert li["outcome"] == "hit" and li["summary"] == "opens the procedure"
    assert li["items"][2]["reasons"] == ['has_finding("长期不履职") = true [F-2024-007]']


def test_bad_policy_exits_1_with_every_problem(write: Callable[..., Path]) -> None:
    path = write(policy_yaml('coutn("x") > 1 and as_of > 3'))
    result = runner.invoke(app, ["check", "--policy", str(path)])
    assert result.exit_code == 1
    assert (
        "unknown function 'coutn'" in result.output
        and "cannot compare date with number" in result.output
    )
    assert "Traceback" not in result.output


def test_bad_date_is_a_usage_error() -> None:
    result = runner.invoke(
        app, ["evaluate", "shizhong.exit_conditions", ROSTER, "--as-of", "30/06/2024"]
    )
    assert result.exit_code == 2


@pytest.mark.districts
def test_check_can_fail_on_incomplete_lists() -> None:
    assert runner.invoke(app, ["check", "--plugin", "shizhong"]).exit_code == 0
    assert (
        runner.invoke(app, ["check", "--plugin", "shizhong", "--fail-on-incomplete"]).exit_code == 3
    )


@pytest.mark.districts
def test_check_counts_what_each_kind_loaded() -> None:
    shown = runner.invoke(app, ["check", "--plugin", "jiaozhou"])
    assert shown.exit_code == 0
    # one sentence, however the terminal wraps it
    loaded = "".join(shown.stdout.partition("已加载：")[2].split("\n\n")[0].splitlines())
    assert "清单 2" in loaded and "评分细则 1" in loaded and "等次评定 1" in loaded
    assert "程序 " in loaded  # the built-in procedures
    report = Engine.load(plugins=["jiaozhou"]).check(date(2024, 12, 31))
    assert report.loaded["rubrics"] == 1 and report.loaded["lists"] == 2


@pytest.mark.districts
def test_missing_roster_exits_1() -> None:
    result = runner.invoke(
        app,
        [
            "evaluate",
            "shizhong.exit_conditions",
            "/nonexistent.yaml",
            "--as-of",
            "2024-06-30",
            "--plugin",
            "shizhong",
        ],
    )
    assert result.exit_code == 1 and "找不到文件" in result.output


def test_no_command_takes_an_option_name_twice() -> None:
    import typer.main

    def commands(group: Any, path: str = "governance") -> Any:
        yield path, group
        for name, sub in getattr(group, "commands", {}).items():
            yield from commands(sub, f"{path} {name}")

    for path, command in commands(typer.main.get_command(app)):
        names = [n for p in command.params for n in getattr(p, "opts", ())]
        assert len(names) == len(set(names)), f"{path}: {sorted(names)}"


@pytest.mark.districts
def test_check_with_nothing_loaded_says_what_to_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no settings here
    result = CliRunner(env={"COLUMNS": "200"}).invoke(app, ["check"])
    assert result.exit_code == 0 and "--plugin shizhong" in result.output
    loaded = CliRunner().invoke(app, ["check", "--plugin", "zichuan"])
    assert "--plugin shizhong" not in loaded.output


def test_help_loads_no_engine_store_or_rich_help() -> None:
    """`governance --help` parses and prints from the command declarations only: what the
    commands compute is imported when one runs (docs/performance.md, "Start-up")."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from governance_core.cli import app\n"
        "try:\n"
        "    app(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('governance_core.engine', 'sqlalchemy', 'alembic', 'rich.markdown',\n"
        "         'governance_core.runtime', 'governance_core.rules', 'openpyxl')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)), file=sys.stderr)\n"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "Commands:" in shown.stdout
    assert shown.stderr.strip() == "[]"


def test_version() -> None:
    from governance_core._version import __version__

    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"governance_core {__version__}"


@pytest.mark.districts
def test_procedures_lists_every_loaded_procedure() -> None:
    import orjson

    shown = CliRunner().invoke(app, ["procedures", "--plugin", "shizhong", "-f", "json"])
    assert shown.exit_code == 0, shown.output
    ids = [p["id"] for p in orjson.loads(shown.stdout)]
    assert {"core.four_deliberations_two_disclosures", "shizhong.exit_dismissal"} <= set(ids)
    table = CliRunner().invoke(app, ["procedures", "--plugin", "shizhong"])
    assert "程序" in table.output and "状态数" in table.output


@pytest.mark.districts
def test_settings_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import orjson

    from governance_core.storage import SqlStore

    url = f"sqlite:///{tmp_path / 'from-env.db'}"
    SqlStore(url).tokens.create("王镇长", [], __import__("datetime").datetime(2024, 1, 1))
    monkeypatch.setenv("GOVERNANCE_DATABASE", url)
    monkeypatch.setenv("GOVERNANCE_PLUGINS", "shizhong jiaozhou")
    listed = CliRunner().invoke(app, ["token", "list", "-f", "json"])
    assert [t["actor"] for t in orjson.loads(listed.stdout)] == ["王镇长"]
    shown = CliRunner().invoke(app, ["procedures", "-f", "json"])
    ids = {p["id"] for p in orjson.loads(shown.stdout)}
    assert {"shizhong.exit_dismissal", "jiaozhou.first_secretary_annual_assessment"} <= ids


@pytest.mark.districts
def test_check_answers_in_json() -> None:
    import orjson

    result = CliRunner().invoke(
        app, ["check", "--plugin", "shizhong", "-f", "json", "--as-of", "2024-06-30"]
    )
    assert result.exit_code == 0, result.output
    data = orjson.loads(result.stdout)
    assert data["as_of"] == "2024-06-30"
    assert "shizhong.exit_conditions" in {entry["list_id"] for entry in data["lists"]}


@pytest.mark.districts
def test_the_documented_json_shapes_hold() -> None:
    """docs/json.md names each command's fields: the ones it names for evaluate are there."""
    import orjson

    roster = ROOT / "src" / "governance_core" / "examples" / "roster.yaml"
    result = CliRunner().invoke(
        app,
        [
            "evaluate",
            "shizhong.exit_conditions",
            str(roster),
            "--as-of",
            "2024-06-30",
            "--plugin",
            "shizhong",
            "-f",
            "json",
        ],
    )
    verdict = orjson.loads(result.stdout)[0]
    assert {
        "list",
        "person_id",
        "person_name",
        "as_of",
        "outcome",
        "conclusive",
        "explained",
        "summary",
        "items",
    } <= set(verdict)
    assert {
        "id",
        "number",
        "title",
        "citation",
        "expression",
        "status",
        "observations",
        "checks",
        "evidence",
        "supplied_by",
        "reasons",
    } <= set(verdict["items"][0])


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["sweep", "--until", "yesterday"], "YYYY-MM-DD"),
        (["serve", "--plugin", "no_such_district", "--port", "1"], "no_such_district"),
        (["schema", "roster"], "roster"),
        (["procedures", "--plugin", "no_such_district"], "no_such_district"),
        (["token", "create", "a", "--role", "a b"], "ROLE"),
        (["token", "create", "a", "--expires", "2024-13-01"], "2024-13-01"),
        (["token", "list", "--database", "sqlite:////no/such/folder/x.db"], "/no/such/folder"),
        (["check", "-f", "json", "--as-of", "0"], "0"),
        (["check", "--fail-on", "fatal"], "fatal"),
        (["diff", "--roster", "/no/such/roster.yaml", "--as-of", "2024-06-30"], "/no/such"),
        (
            [
                "diff",
                "--roster",
                "src/governance_core/examples/roster.yaml",
                "--as-of",
                "2024-06-30",
                "--with",
                "nope==1",
            ],
            "nope",
        ),
        (
            [
                "diff",
                "--roster",
                "src/governance_core/examples/roster.yaml",
                "--as-of",
                "2024-06-30",
                "-f",
                "xlsx",
            ],
            "--output",
        ),
        (
            [
                "diff",
                "--roster",
                "src/governance_core/examples/roster.yaml",
                "--as-of",
                "2024-06-30",
                "--inputs",
                "src/governance_core/examples/sample-district.xlsx",
            ],
            "--period",  # a book of many periods: which rows compare is asked
        ),
    ],
)
def test_new_commands_refuse_bad_input_in_one_clean_message(args: list[str], said: str) -> None:
    result = CliRunner().invoke(app, args)
    assert result.exit_code in (1, 2), result.output
    assert said in result.output and "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


@pytest.mark.districts
def test_store_commands_answer_json(tmp_path: Path) -> None:
    """token create, sweep and audit head print one JSON document with -f json."""
    import orjson

    url = f"sqlite:///{tmp_path}/store.db"
    runner = CliRunner()
    created = runner.invoke(
        app, ["token", "create", "alice", "--role", "district", "--database", url, "-f", "json"]
    )
    assert created.exit_code == 0, created.output
    token = orjson.loads(created.stdout)
    assert token["token"].startswith(f"gov_{token['id']}_") and token["actor"] == "alice"
    swept = runner.invoke(
        app,
        ["sweep", "--database", url, "--plugin", "shizhong", "--until", "2024-06-30", "-f", "json"],
    )
    assert swept.exit_code == 0, swept.output
    assert orjson.loads(swept.stdout) == {"swept": [], "reminded": [], "blocked": []}
    key = tmp_path / "hmac.key"
    key.write_text("secret")
    head = runner.invoke(
        app, ["audit", "head", "--database", url, "--key-file", str(key), "-f", "json"]
    )
    assert head.exit_code == 0, head.output
    assert set(orjson.loads(head.stdout)) == {"position", "hash", "hmac-sha256"}
    plain = runner.invoke(app, ["audit", "head", "--database", url, "--key-file", str(key)])
    # the token's issue is the chain's first record
    assert plain.stdout.startswith("1:") and " hmac-sha256=" in plain.stdout


def test_help_and_usage_errors_are_said_in_the_reader_s_language(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The entry point: typer's own words (usage, options, errors) through the catalog,
    Chinese by default, English when asked."""
    import sys

    from governance_core.cli import main

    def run(*args: str) -> tuple[int, str, str]:
        monkeypatch.setattr(sys, "argv", ["governance", *args])
        with pytest.raises(SystemExit) as ended:
            main()
        out = capsys.readouterr()
        return int(ended.value.code or 0), out.out, out.err

    code, out, _err = run("evaluate", "--help")
    assert code == 0 and out.startswith("用法：governance evaluate")
    assert "参数：" in out and "选项：" in out and "显示此帮助后退出。" in out and "[必填]" in out
    assert "<str>" not in out and "<path>" not in out
    code, _out, err = run("evaluate")
    assert (
        code == 2
        and "错误：缺少参数 'LIST'。" in err
        and "运行 'governance evaluate --help'" in err
    )
    code, _out, err = run("check", "--pluginx", "a")
    assert code == 2 and "没有这个选项：--pluginx（是否想写 --plugin？）" in err
    code, _out, err = run("evaluate", "-f", "xml", "x", "y", "--as-of", "2024-01-01")
    assert code == 2 and "'xml' 不是以下之一" in err
    monkeypatch.setenv("GOVERNANCE_LANG", "en")
    code, out, _err = run("evaluate", "--help")
    assert code == 0 and out.startswith("Usage: governance evaluate") and "Arguments:" in out
    code, _out, err = run("evaluate")
    assert code == 2 and "Error: Missing argument 'LIST'." in err
    code, out, _err = run("--version")
    assert code == 0 and out.startswith("governance_core ")
    # what was typed is shown masked: an ID-card number given where a date belongs
    code, _out, err = run("check", "--as-of", "370402199001011238")
    assert code == 2 and "370402********1238" in err and "370402199001011238" not in err
