"""`governance import BOOK`: a roster, and an assessment's inputs and ballots, from an Excel
workbook or CSV files, checked whole and written only when everything is valid
(docs/main-job.md)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from governance_core.cli._options import (
    FROM_OPTIONS,
    Choice,
    Format,
    FormatOption,
    loads_policies,
    output_file,
    parse_date,
)
from governance_core.errors import RosterError
from governance_core.messages import _

if TYPE_CHECKING:  # imported by the command itself (_options says why)
    from governance_core.model import Roster

__all__ = ["import_roster"]


def _write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all: a temporary file beside it, then a
    rename over it."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


_SUFFIXES = (".yaml", ".yml", ".json")


def _suffix_checked(path: Path, option: str) -> None:
    """Refuse an output whose suffix names no format this command writes."""
    if path.suffix.lower() not in _SUFFIXES:
        raise typer.BadParameter(
            _("{path}: name the file .yaml, .yml or .json (the suffix says the format)").format(
                path=path
            ),
            param_hint=option,
        )


def _formatted(data: object, path: Path) -> str:
    """``data`` in the format ``path``'s suffix names: JSON for .json, YAML otherwise."""
    from governance_core.model import converter

    plain = converter.unstructure(data)
    if path.suffix.lower() == ".json":
        from governance_core.present.shapes import dumps

        return dumps(plain).decode("utf-8") + "\n"
    import yaml

    return yaml.safe_dump(plain, allow_unicode=True, sort_keys=False, width=100)


def _roster_sheets(book: Path) -> bool:
    """Whether BOOK has any roster sheet (a folder: any roster CSV file)."""
    from governance_core.files.tables import sheet_names, table_names
    from governance_core.model.roster_tables import ROSTER_TABLES

    return bool(sheet_names(ROSTER_TABLES) & set(table_names(book, RosterError)))


@loads_policies
def import_roster(
    book: Annotated[
        Path,
        typer.Argument(
            metavar="BOOK", help="A workbook (.xlsx), a CSV file, or a folder of CSV files."
        ),
    ],
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            help="The roster file to write: YAML (.yaml, .yml) or JSON (.json), by its suffix.",
            metavar="FILE",
        ),
    ] = Path("roster.yaml"),
    assessment: Annotated[
        Path | None,
        typer.Option(
            "--assessment",
            help="Also write the 评分/投票 sheets as this assessment file (.yaml or .json).",
            metavar="FILE",
        ),
    ] = None,
    grade_policy: Annotated[
        str | None,
        typer.Option("--grade-policy", help="The assessment's grade policy.", metavar="POLICY"),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="The assessment's date (YYYY-MM-DD); default: the end of --period.",
            metavar="DATE",
        ),
    ] = None,
    period_text: Annotated[
        str | None,
        typer.Option(
            "--period",
            help="The rows of this 期间 (2024-10, 2024Q4, …) of the 评分 sheet, as governance "
            "run reads them; needed when the sheet holds several.",
            metavar="PERIOD",
        ),
    ] = None,
    fmt: FormatOption = Format.table,
    choice: Choice = FROM_OPTIONS,
) -> None:
    """Read a roster (组织, 人员, 职务, 认定, 材料, 等次) and, with --assessment, an
    assessment's inputs and ballots (评分, 投票) from BOOK. Every problem is printed with its
    sheet, row and column, and nothing is written unless all of it is valid."""
    from governance_core.files.tables import sheet_names
    from governance_core.jobs.district_inputs import book_assessment
    from governance_core.model.roster_tables import read_roster_tables
    from governance_core.present.shapes import dumps
    from governance_core.rules.cycles import Period
    from governance_core.rules.scoring.assessment_tables import ASSESSMENT_TABLES

    assessment_sheets = sheet_names(ASSESSMENT_TABLES)
    try:
        period = Period.parse(period_text) if period_text is not None else None
    except ValueError:
        raise typer.BadParameter(
            _("{value!r} is not a period").format(value=period_text), param_hint="--period"
        ) from None
    if assessment is not None and (grade_policy is None or (as_of is None and period is None)):
        raise typer.BadParameter(
            _("--assessment needs --grade-policy, and --as-of or --period"),
            param_hint="--assessment",
        )
    day = parse_date(as_of) if as_of is not None else period.end if period is not None else None
    output_file(output)
    _suffix_checked(output, "--output")
    if assessment is not None:
        output_file(assessment, "--assessment")
        _suffix_checked(assessment, "--assessment")
    texts: list[tuple[Path, str, dict[str, int]]] = []
    if assessment is None or _roster_sheets(book):
        roster = read_roster_tables(book, skip=assessment_sheets)
        texts.append((output, _formatted(roster, output), _roster_counts(roster)))
    if assessment is not None:
        assert grade_policy is not None and day is not None
        from governance_core.rules.scoring.kind import SCORING

        scoring = choice.engine().policies.of(SCORING)
        chosen = scoring.grade_policy(grade_policy)
        read = book_assessment(
            book,
            chosen,
            as_of=day,
            period=period.label if period is not None else None,
            rubric=scoring.rubric(chosen.rubric) if chosen.rubric else None,
            vote=scoring.votes.get(chosen.vote or ""),
        )
        texts.append((assessment, _formatted(read, assessment), {"entries": len(read.entries)}))
    for path, text, _counts in texts:  # only once everything has been read and checked
        _write_atomically(path, text)
    if fmt is Format.json:
        written = [{"file": str(path), "counts": counts} for path, _text, counts in texts]
        sys.stdout.buffer.write(dumps({"written": written}) + b"\n")
        return
    for path, _text, counts in texts:
        typer.echo(f"{path}: " + "，".join(f"{_section_words(k)} {n}" for k, n in counts.items()))


def _section_words(section: str) -> str:
    words = {
        "organisations": _("organisations"),
        "people": _("people"),
        "posts": _("posts"),
        "findings": _("findings"),
        "documents": _("documents"),
        "grades": _("grades"),
        "organisation_records": _("organisation records"),
        "entries": _("entries"),
    }
    return words[section]


def _roster_counts(roster: Roster) -> dict[str, int]:
    return {
        "organisations": len(roster.organisations),
        "people": len(roster.people),
        "posts": len(roster.posts),
        "findings": len(roster.findings or ()),
        "documents": len(roster.documents or ()),
        "grades": len(roster.grades),
    } | ({"organisation_records": n} if (n := len(roster.organisation_records)) else {})
