"""`governance test PATH...`: run YAML case files and report what no case exercised
(docs/testing.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from governance_core.cli._options import (
    FROM_OPTIONS,
    Choice,
    Format,
    FormatOption,
    Lang,
    LangOption,
    loads_policies,
    output_file,
)
from governance_core.messages import _

if TYPE_CHECKING:  # imported by the command itself (_options says why)
    from rich.console import Console

    from governance_core.testing.cases import Report

__all__ = ["run_cases"]


def _kind_words(kind: str) -> str:
    words = {
        "criteria": _("criteria"),
        "rubric lines": _("rubric lines"),
        "grade rules": _("grade rules"),
        "transitions": _("transitions"),
    }
    return words.get(kind, kind)


def _print(console: Console, report: Report, show_missing: bool) -> None:
    from rich.text import Text

    from governance_core.testing.cases import KINDS

    for r in report.results:
        where = f"{r.file}:{r.line}"
        if r.passed:
            console.print(Text.assemble((_("PASS"), "green"), f" {where} {r.name}"))
            continue
        console.print(Text.assemble((_("FAIL"), "red"), f" {where} {r.name}"))
        for difference in r.differences:
            console.print(f"     {difference}")
        if r.diff:
            console.print(r.diff.rstrip())
    passed = len(report.results) - len(report.failed)
    console.print(
        "\n"
        + _("{passed} passed, {failed} failed").format(passed=passed, failed=len(report.failed))
    )
    coverage = report.coverage
    console.print(_("coverage:"))
    for kind in KINDS:
        rules = coverage.rules[kind]
        missing = coverage.missing(kind)
        console.print(f"  {_kind_words(kind)}: {len(rules) - len(missing)}/{len(rules)}")
        if show_missing:
            for rule in missing:
                console.print("    " + _("not exercised: {rule}").format(rule=rule))
    console.print("  " + _("total: {percent:.1f}%").format(percent=coverage.percent))


@loads_policies
def run_cases(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH", help="Case files, or folders of them (*.yaml, recursively)."
        ),
    ],
    cover: Annotated[
        list[str] | None,
        typer.Option(
            "--cover",
            help="Count coverage only over ids starting with this (repeatable).",
            metavar="PREFIX",
        ),
    ] = None,
    fail_under: Annotated[
        float | None,
        typer.Option(
            "--fail-under",
            help="Exit 2 when total coverage is below this percent.",
            metavar="PERCENT",
        ),
    ] = None,
    show_missing: Annotated[
        bool, typer.Option("--show-missing/--hide-missing", help="List what no case exercised.")
    ] = True,
    junit: Annotated[
        Path | None,
        typer.Option(
            "--junit-xml", help="Also write the results as JUnit XML, for CI.", metavar="FILE"
        ),
    ] = None,
    fmt: FormatOption = Format.table,
    lang: LangOption = Lang.zh,
    choice: Choice = FROM_OPTIONS,
) -> None:
    """Run the cases of each PATH; exit 1 when one fails, 2 when coverage is under --fail-under.
    ``-f json`` prints a versioned report (docs/testing.md)."""
    from governance_core.cli._output import plain_console
    from governance_core.testing.cases import run_case_files
    from governance_core.testing.reports import report_json, report_junit

    if junit is not None:
        output_file(junit, "--junit-xml")
    engine = choice.engine()
    report = run_case_files(engine, paths, cover=cover or ())
    if junit is not None:
        junit.write_bytes(report_junit(report))
    if fmt is Format.json:
        sys.stdout.buffer.write(report_json(report) + b"\n")
    else:
        _print(plain_console(), report, show_missing)
    if report.failed:
        raise typer.Exit(1)
    if fail_under is not None and report.coverage.percent < fail_under:
        plain_console(stderr=True).print(
            _("coverage {percent} is under --fail-under {floor:g}").format(
                percent=f"{report.coverage.percent:.1f}%", floor=fail_under
            )
        )
        raise typer.Exit(2)
