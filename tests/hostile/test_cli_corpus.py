"""Every command, driven with bad arguments and hostile files: exit 1 (bad input) or 2 (bad
command line), a message, no exception escaping, and nothing half-written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from governance_core import Engine
from governance_core.cli import app
from governance_core.storage import SqlStore
from tests.hostile.corpus import YAML, workbooks

EXAMPLE_ASSESSMENT = (
    Path(__file__).parents[2] / "plugins_contrib" / "jiaozhou" / "docs" / "example-assessment.yaml"
)


def _files(folder: Path) -> dict[str, Path]:
    """The hostile files of the corpus, written into ``folder``."""
    written: dict[str, Path] = {}
    for name in (
        "billion laughs",
        "nested 600 deep (flow)",
        "!!python/object",
        "not UTF-8",
        "a long string where a list belongs",
        "2024-02-30",
    ):
        path = folder / f"{len(written)}.yaml"
        path.write_bytes(YAML[name])
        written[name] = path
    for name in ("truncated", "PDF", "old .xls", "shared-strings bomb", "sheet part missing"):
        path = folder / f"{len(written)}.xlsx"
        path.write_bytes(workbooks()[name])
        written[name] = path
    (folder / "deep.toml").write_bytes(b"a = " + b"[" * 3000 + b"]" * 3000 + b"\n")
    written["deep toml"] = folder / "deep.toml"
    (folder / "text.db").write_text("not a database", encoding="utf-8")
    written["text as database"] = folder / "text.db"
    return written


def _cases(folder: Path) -> list[list[str]]:
    f = _files(folder)
    yaml_files = [str(p) for name, p in f.items() if p.suffix == ".yaml"]
    books = [str(p) for p in f.values() if p.suffix == ".xlsx"]
    as_of = ["--as-of", "2024-06-30"]
    missing = str(folder / "no" / "such" / "folder" / "out.xlsx")
    cases: list[list[str]] = []
    for path in yaml_files:
        cases += [
            ["evaluate", "shizhong.exit_conditions", path, *as_of, "--plugin", "shizhong"],
            ["check", "--policy", path],
            ["check", "--overlay", path],
            ["score", path, "--plugin", "jiaozhou"],
            ["rank", path, "--plugin", "jiaozhou"],
            ["test", path],
        ]
    cases += [["import", book, "--output", str(folder / "roster.yaml")] for book in books]
    # the main job over a hostile district: nothing written (the store exists already, so a
    # refused run leaves the folder exactly as it was)
    store = f"sqlite:///{folder / 'g.db'}"
    SqlStore(store).engine.dispose()  # closed: no WAL files left behind
    out = str(folder / "run.xlsx")
    run = ["run", "--database", store, "--output", out, "--plugin", "zichuan", "--period", "2024Q4"]
    cases += [[*run, "--roster", book] for book in books]
    cases += [
        [*run, "--roster", str(Engine.example_roster()), "--inputs", path] for path in yaml_files
    ]
    cases += [["sources", "--policy", path] for path in yaml_files]
    cases += [["test", yaml_files[0], "--junit-xml", missing]]
    cases += [
        ["evaluate", "shizhong.exit_conditions", "/dev/zero", *as_of, "--plugin", "shizhong"],
        ["evaluate", "no.such_list", yaml_files[0], *as_of],
        ["evaluate", "shizhong.exit_conditions", yaml_files[0], "--as-of", "2024-02-30"],
        ["check", "--config", str(f["deep toml"])],
        ["check", "--plugin", "no_such_district"],
        [
            "rank",
            str(EXAMPLE_ASSESSMENT),
            "--plugin",
            "jiaozhou",
            "-f",
            "xlsx",
            "--output",
            missing,
        ],
        ["import", books[0], "--output", str(folder / "no" / "roster.yaml")],
        ["run", "--period", "0000Q1"],
        ["run", "--period", "2024Q5"],
        ["run", "--database", "not a url"],
        ["run", "--database", "nosuchdialect://x"],
        ["run", "--database", "postgresql+asyncpg://u@127.0.0.1:1/x"],
        ["run", "--database", f"sqlite:///{folder}/no/such/folder/x.db"],
        ["run", "--database", f"sqlite:///{f['text as database']}"],
        ["run", "--output", missing],
        ["audit", "verify", "--database", f"sqlite:///{folder}/missing.db"],
        ["audit", "verify", "--database", f"sqlite:///{f['text as database']}"],
        ["audit", "head", "--database", f"sqlite:///{folder}/missing.db", "--key-file", "/none"],
        ["audit", "verify", "--database", "sqlite://", "--head", "12"],
        ["process", "show", "no-such-instance", "--journal", str(folder / "j.jsonl")],
        [
            "process",
            "start",
            "no.such_process",
            "x",
            "--role",
            "r",
            "--journal",
            str(folder / "j.jsonl"),
        ],
        ["diagram", "no.such_process"],
        ["diagram", "core.four_deliberations_two_disclosures", "--output", "/nonexistent/x.mmd"],
        ["calendar", "apply", "--database", f"sqlite:///{folder}/missing.db", "--at", "x"],
        ["calendar", "--year", "0"],
        [
            "token",
            "create",
            "a",
            "--expires",
            "2000-01-01",
            "--database",
            f"sqlite:///{folder}/t.db",
        ],
        ["cycle", "show", "--period", "2024Q5"],
        ["cycle", "show", "--policy", yaml_files[0]],
        ["outbox", "list", "--database", f"sqlite:///{folder}/missing.db"],
        ["outbox", "deliver", "--database", f"sqlite:///{folder}/missing.db"],
        ["outbox", "retry", "x"],
        ["runs", "list", "--database", f"sqlite:///{folder}/missing.db"],
        ["runs", "show", "x", "--database", f"sqlite:///{f['text as database']}"],
        [
            "process",
            "open",
            "no.such_list",
            yaml_files[0],
            "--as-of",
            "2024-06-30",
            "--actor",
            "x",
            "--at",
            "2024-07-01T09:00",
        ],
        ["outbox", "retry", "1", "--database", f"sqlite:///{folder}/missing.db"],
        ["points", yaml_files[0], "--plugin", "jiaxiang"],
    ]
    return cases


def test_every_command_refuses_bad_input_cleanly(tmp_path: Path) -> None:
    runner = CliRunner()
    failures = []
    for args in _cases(tmp_path):
        before = sorted(p.name for p in tmp_path.rglob("*"))
        result = runner.invoke(app, args)
        after = sorted(p.name for p in tmp_path.rglob("*"))
        wrong = (
            result.exit_code not in (1, 2)
            or not result.output.strip()
            or not (result.exception is None or isinstance(result.exception, SystemExit))
            or "Traceback" in result.output
            or after != before
        )
        if wrong:
            failures.append(
                f"{args}: exit {result.exit_code} {result.exception!r} "
                f"{result.output[-300:]!r} new files {set(after) - set(before)}"
            )
    assert failures == []


def test_text_is_never_markup(tmp_path: Path) -> None:
    journal = ["--journal", str(tmp_path / "journal.jsonl")]
    runner = CliRunner()
    texts = ("[/x]", "[bold]张三", "[link=file:///etc/passwd]x[/link]")
    for n, text in enumerate(texts):
        started = runner.invoke(
            app,
            [
                "process",
                "start",
                "core.four_deliberations_two_disclosures",
                text,
                "--actor",
                text,
                "--at",
                "2024-03-01T09:00",
                "--id",
                f"[/m{n}]",
                *journal,
            ],
        )
        assert started.exit_code == 0, started.output
        assert text in started.output
        shown = runner.invoke(app, ["process", "show", f"[/m{n}]", *journal])
        assert shown.exit_code == 0 and text in shown.output, shown.output


def test_the_installed_command_prints_no_traceback_on_an_unexpected_error(tmp_path: Path) -> None:
    book = tmp_path / "book.xlsx"
    book.write_bytes(workbooks()["truncated"])
    ran = subprocess.run(
        [
            sys.executable,
            "-m",
            "governance_core.cli",
            "import",
            str(book),
            "--output",
            str(tmp_path / "r.yaml"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert ran.returncode == 1 and "Traceback" not in ran.stderr + ran.stdout
    assert "zip" in ran.stderr + ran.stdout
