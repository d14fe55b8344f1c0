"""Score sheets and grades for people: each rule with its input, points and source, totals,
the vote; per group, places and grades with the rule that gave each; the rank workbook (a
summary sheet and a sheet per group)."""

from __future__ import annotations

from pathlib import Path

from governance_core.files.spreadsheets import Cell as SheetCell
from governance_core.files.spreadsheets import writing_book
from governance_core.messages import _, in_language
from governance_core.present.rows import Cell, Marked, Rows, Tone
from governance_core.present.verdicts import Language
from governance_core.present.words import cell_number, number_text
from governance_core.rules.scoring import Assessment, Graded, ScoreSheet

__all__ = ["grade_lines", "grade_rows", "sheet_rows", "vote_line", "write_rank_workbook"]


def _score(g: Graded) -> str:
    return "—" if g.score is None else number_text(g.score)


def _grade(g: Graded) -> str:
    grade = g.grade or _("undecided")
    return grade if g.conclusive else grade + _("(provisional)")


def sheet_rows(person_id: str, sheet: ScoreSheet, lang: Language) -> Rows:
    """A person's score sheet: each rule with its input, points and source; the sections'
    totals and the total."""
    with in_language(lang):
        rows: list[tuple[Cell, ...]] = []
        for line in sheet.lines:
            capped = _(" (down to nothing)") if line.capped else ""
            points = f"{number_text(line.points)}{capped}"
            rows.append((line.title, line.input, points, line.citation.article))
        titles = sheet.section_titles
        for section, total in sheet.sections.items():
            said = titles[section].in_language(lang) if section in titles else section
            rows.append(
                (
                    Marked.of(f"= {said}", Tone.STRONG),
                    "",
                    Marked.of(number_text(total), Tone.STRONG),
                    "",
                )
            )
        rows.append(
            (
                Marked.of(_("Total"), Tone.STRONG),
                "",
                Marked.of(number_text(sheet.total), Tone.STRONG),
                "",
            )
        )
        headers = (_("Rule"), _("Input"), _("Points"), _("Source"))
        return Rows.of(headers, rows, title=f"{person_id}  {sheet.rubric_id}")


def vote_line(result: Assessment, person_id: str) -> str | None:
    """A person's satisfaction vote, a line, when there is one."""
    vote = result.votes.get(person_id)
    if vote is None:
        return None
    value = "—" if vote.satisfaction is None else number_text(vote.satisfaction)
    return f"  {vote.rule_id}: {value} — {vote.reason}"


def grade_rows(result: Assessment, lang: Language) -> list[Rows]:
    """One table per group: place, person, score, grade, the rule that gave it, notes."""
    with in_language(lang):
        headers = (_("Place"), _("Person"), _("Score"), _("Grade"), _("Rule"), _("Notes"))
        tables = []
        for group in result.groups():
            rows = [
                (
                    str(g.place or "—"),
                    f"{g.name}\n{g.person_id}",
                    _score(g),
                    _grade(g),
                    g.rule,
                    "\n".join(g.notes),
                )
                for g in result.graded
                if g.group == group
            ]
            title = f"{result.policy.title.in_language(lang)}  [{' / '.join(group)}]"
            tables.append(Rows.of(headers, rows, title=title, separated=True))
        return tables


def grade_lines(result: Assessment, lang: Language) -> list[str]:
    """The consequences the grade policy attaches to its grades, a line each."""
    consequences = result.policy.consequences
    if not consequences:
        return []
    with in_language(lang):
        return [_("Consequences:"), *(f"  {grade}: {text}" for grade, text in consequences.items())]


def write_rank_workbook(result: Assessment, path: Path) -> None:
    """An .xlsx workbook: a summary sheet (汇总) and one sheet per group; numbers to two
    places, as the tables show them (the exact values are in the JSON output)."""
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
    summary: list[list[SheetCell]] = []
    groups: list[tuple[str, list[list[SheetCell]]]] = []
    for group in result.groups():
        members = [g for g in result.graded if g.group == group]
        counts = [sum(1 for g in members if g.grade == grade) for grade in result.policy.grades]
        summary.append(
            [" / ".join(group), len(members), *counts, sum(1 for g in members if g.grade is None)]
        )
        rows: list[list[SheetCell]] = []
        for g in members:
            rubric_total = result.sheets.get(g.person_id)
            vote = result.votes.get(g.person_id)
            rows.append(
                [
                    g.place,
                    g.person_id,
                    g.name,
                    None if rubric_total is None else cell_number(rubric_total.total),
                    None
                    if vote is None or vote.satisfaction is None
                    else round(float(vote.satisfaction), 4),
                    None if g.score is None else cell_number(g.score),
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
