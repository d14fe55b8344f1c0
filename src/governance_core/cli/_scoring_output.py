"""Score sheets and grades as rich tables, JSON, or an Excel workbook (Chinese headers, one
sheet per group and a summary)."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from governance_core.files.spreadsheets import Cell, writing_book
from governance_core.messages import _, in_language
from governance_core.rendering.verdicts import Language, number_text
from governance_core.rules.scoring import Assessment, Graded

__all__ = ["print_grades", "print_sheets", "write_workbook"]


def _score(g: Graded) -> str:
    return "—" if g.score is None else number_text(g.score)


def _grade(g: Graded) -> str:
    grade = g.grade or _("undecided")
    return grade if g.conclusive else grade + _("(provisional)")


def print_sheets(console: Console, result: Assessment, lang: Language, person: str | None) -> None:
    """Every person's score sheet: each rule with its input, points and source; totals."""
    with in_language(lang):
        _print_sheets(console, result, person)


def _print_sheets(console: Console, result: Assessment, person: str | None) -> None:
    for person_id, sheet in sorted(result.sheets.items()):
        if person is not None and person_id != person:
            continue
        table = Table(title=f"{person_id}  {sheet.rubric_id}", show_lines=False)
        for header in (_("Rule"), _("Input"), _("Points"), _("Source")):
            table.add_column(header, overflow="fold")
        for line in sheet.lines:
            capped = _(" (down to nothing)") if line.capped else ""
            table.add_row(
                Text(line.title),
                Text(line.input),
                Text(f"{number_text(line.points)}{capped}"),
                Text(line.citation.article),
            )
        for section, total in sheet.sections.items():
            table.add_row(
                Text(f"= {section}", "bold"), Text(""), Text(number_text(total), "bold"), Text("")
            )
        table.add_row(
            Text(_("Total"), "bold"),
            Text(""),
            Text(number_text(sheet.total), "bold"),
            Text(""),
        )
        console.print(table)
        vote = result.votes.get(person_id)
        if vote is not None:
            value = "—" if vote.satisfaction is None else number_text(vote.satisfaction)
            console.print(Text(f"  {vote.rule_id}: {value} — {vote.reason}"))


def print_grades(console: Console, result: Assessment, lang: Language) -> None:
    """One table per group: place, person, score, grade, the rule that gave it, notes."""
    with in_language(lang):
        _print_grades(console, result, lang)


def _print_grades(console: Console, result: Assessment, lang: Language) -> None:
    consequences = result.policy.consequences
    for group in result.groups():
        table = Table(
            title=f"{result.policy.title.in_language(lang)}  [{' / '.join(group)}]", show_lines=True
        )
        for header in (_("Place"), _("Person"), _("Score"), _("Grade"), _("Rule"), _("Notes")):
            table.add_column(header, overflow="fold")
        for g in (g for g in result.graded if g.group == group):
            table.add_row(
                Text(str(g.place or "—")),
                Text(f"{g.name}\n{g.person_id}"),
                Text(_score(g)),
                Text(_grade(g)),
                Text(g.rule),
                Text("\n".join(g.notes)),
            )
        console.print(table)
    if consequences:
        console.print(Text(_("Consequences:")))
        for grade, text in consequences.items():
            console.print(Text(f"  {grade}: {text}"))


def write_workbook(result: Assessment, path: Path) -> None:
    """An .xlsx workbook: a summary sheet (汇总) and one sheet per group; numbers rounded to
    two places for display (the exact values are in the JSON output)."""
    header = [
        "名次",
        "人员编号",
        "姓名",
        "组织工作目标得分",
        "群众满意度",
        "总分",
        "等次",
        "是否确定",
        "依据",
        "备注",
    ]
    summary: list[list[Cell]] = []
    groups: list[tuple[str, list[list[Cell]]]] = []
    for group in result.groups():
        members = [g for g in result.graded if g.group == group]
        counts = [sum(1 for g in members if g.grade == grade) for grade in result.policy.grades]
        summary.append(
            [" / ".join(group), len(members), *counts, sum(1 for g in members if g.grade is None)]
        )
        rows: list[list[Cell]] = []
        for g in members:
            rubric_total = result.sheets.get(g.person_id)
            vote = result.votes.get(g.person_id)
            rows.append(
                [
                    g.place,
                    g.person_id,
                    g.name,
                    None if rubric_total is None else round(float(rubric_total.total), 2),
                    None
                    if vote is None or vote.satisfaction is None
                    else round(float(vote.satisfaction), 4),
                    None if g.score is None else round(float(g.score), 2),
                    g.grade or "未定",
                    "是" if g.conclusive else "否",
                    g.rule,
                    "；".join(g.notes),
                ]
            )
        groups.append(("-".join(group) or "全部", rows))
    with writing_book(path) as book:
        book.table("汇总", ["分组", "人数", *result.policy.grades, "未定"], summary)
        for name, rows in groups:
            book.table(name, header, rows)
