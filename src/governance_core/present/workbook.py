"""The run's Excel workbook, for the clerks who read it: a summary sheet (汇总) with every step
of the period and what it did or why it was skipped, then one sheet per step that ran — the
grades of a grade policy (with whether each is settled, and why in words), a list's verdicts
and the procedures opened, a ledger's statements, the organisations' records of a kind and
which have none — and the effects the run's decisions
imposed (后果). Headers and explanations in the language
set (Chinese from the command line); personal ID and mobile numbers masked; scores rounded
to two places for reading (the store keeps them exact); 示例 on every sheet of an example."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from governance_core.engine import Engine
from governance_core.files.spreadsheets import Cell, writing_book
from governance_core.jobs.cycle_run import RunReport, StepRun
from governance_core.messages import _, language
from governance_core.present.calendar import deadline_text
from governance_core.present.effects import effects_rows
from governance_core.present.rows import Rows, plain_rows
from governance_core.present.verdicts import completeness_text
from governance_core.present.words import cell_number
from governance_core.rules.criteria.verdicts import ItemStatus, ListVerdict
from governance_core.rules.effects import EFFECTS
from governance_core.rules.procedures.kind import PROCEDURES
from governance_core.rules.scoring import Assessment

__all__ = ["grade_counts", "run_lines", "run_rows", "write_tables", "write_workbook"]


def _example_mark() -> str:
    return _("example: the people, scores and ballots are invented, not real data")


def _cell(value: Any) -> Cell:
    # text is masked by the writer, under the one policy of every output; numbers to two
    # places as every surface shows them
    return cell_number(value) if isinstance(value, Fraction | Decimal) else value


def _settled(conclusive: bool) -> str:
    return _("yes") if conclusive else _("no (provisional)")


def grade_counts(assessment: Assessment) -> list[str]:
    """``优秀 8人`` for each grade given, in the policy's order (优秀, 良好, … then 未定), a
    provisional grade after its settled one."""
    pending = _("(provisional)")
    undecided = _("undecided")
    counts = Counter(
        (g.grade or undecided) + ("" if g.conclusive else pending) for g in assessment.graded
    )
    order = {grade: i for i, grade in enumerate([*assessment.policy.grades, undecided])}

    def in_policy_order(label: str) -> tuple[int, bool, str]:
        grade = label.removesuffix(pending)
        return order.get(grade, len(order)), label != grade, label

    return [
        _("{grade} {count} people").format(grade=label, count=counts[label])
        for label in sorted(counts, key=in_policy_order)
    ]


def run_rows(report: RunReport) -> Rows:
    """What the run did, a row per step it planned: the cycle, the step, the period, the
    deadline (provisional said so), whether it ran, what it did, the grades it gave. The
    workbook's summary sheet and the command line's table."""
    rows: list[list[Cell]] = []
    for s in report.steps:
        occurrence = s.planned.occurrence
        deadline = deadline_text(s.planned.deadline, s.planned.provisional_year)
        results = grade_counts(s.assessment) if s.assessment is not None else []
        results += _effect_counts(s)
        rows.append(
            [
                s.planned.cycle.title.zh,
                f"{s.planned.step.title.zh}（{s.planned.step.id}）",
                occurrence.label if occurrence else "",
                deadline,
                _("yes") if s.done else _("no"),
                s.detail,
                "，".join(results),
            ]
        )
    header = [
        _("cycle"),
        _("step"),
        _("period"),
        _("deadline"),
        _("ran"),
        _("detail"),
        _("results"),
    ]
    title = _("{period}: what the run did").format(period=report.period.label)
    return Rows.of(header, rows, title=title)


def _effect_counts(run: StepRun) -> list[str]:
    """How many effects the step imposed, and could not, in words."""
    said = []
    if run.effects:
        said.append(_("{count} effects imposed").format(count=len(run.effects)))
    if run.not_applied:
        said.append(_("{count} effects not applied").format(count=len(run.not_applied)))
    return said


def run_lines(report: RunReport) -> list[str]:
    """The grades each assessing step gave, a line each (``“第一书记”履职考核排名定档 2024：
    优秀 48人，…``)."""
    return [
        f"{s.planned.step.title.zh} {s.planned.occurrence.label if s.planned.occurrence else ''}："
        + "，".join(grade_counts(s.assessment))
        for s in report.steps
        if s.assessment is not None
    ]


Table = tuple[list[str], list[list[Cell]]]
"""A sheet's header and rows."""


def _grades(run: StepRun) -> Table:
    assert run.assessment is not None
    consequences = run.assessment.policy.consequences
    header = [
        _("group"),
        _("person id"),
        _("name"),
        _("score"),
        _("place in group"),
        _("grade"),
        _("settled"),
        _("basis"),
        _("consequences"),
        _("notes"),
    ]
    rows: list[list[Cell]] = []
    above: tuple[tuple[str, ...], str, str, str] | None = None
    for g in sorted(run.assessment.graded, key=lambda g: (g.group, g.place or 10**9, g.person_id)):
        basis, notes = g.rule or "", "；".join(g.notes)
        used = consequences.get(g.grade or "", "")
        same = above if above and above[0] == g.group else None
        rows.append(
            [
                "/".join(g.group),
                _cell(g.person_id),
                _cell(g.name),
                _cell(g.score),
                g.place,
                g.grade or _("undecided"),
                _settled(g.conclusive),
                _said_once(basis, same[1] if same else None),
                _said_once(used, same[2] if same else None),
                _said_once(notes, same[3] if same else None),
            ]
        )
        above = (g.group, basis, used, notes)
    return header, rows


def _said_once(text: str, above: str | None) -> Cell:
    """``text``, or "as above" when the row above in the same group says the same: a
    quota's basis, a grade's consequences, a note are said once, not on each of 171 rows."""
    return _("as above") if text and text == above else _cell(text)


def _why_unsettled(verdict: ListVerdict) -> str:
    """Why a verdict is not conclusive, in words: the items not published, or not known."""
    if verdict.conclusive:
        return ""
    if not verdict.completeness.complete:
        return completeness_text(verdict.completeness, language())
    return _("an item cannot be known from the roster")


def _verdicts(run: StepRun, engine: Engine) -> Table:
    opened = {i.subject: i for i in run.opened}
    header = [
        _("person id"),
        _("name"),
        _("result"),
        _("settled"),
        _("why not settled"),
        _("items met"),
        _("items not known"),
        _("procedure opened"),
    ]
    rows: list[list[Cell]] = []
    for v in run.verdicts:
        instance = opened.get(v.person_id)
        procedure = ""
        if instance is not None:
            process = engine.policies.of(PROCEDURES).find(instance.process)
            state = next(
                (s.title.zh for s in process.states if s.id == instance.state), instance.state
            )
            procedure = f"{process.title.zh}（{state}）"
        rows.append(
            [
                _cell(v.person_id),
                _cell(v.person_name),
                v.outcome.words(),
                _settled(v.conclusive),
                _why_unsettled(v),
                "、".join(i.title.zh for i in v.met()),
                "、".join(i.title.zh for i in v.items if i.status is ItemStatus.UNKNOWN),
                procedure,
            ]
        )
    return header, rows


def _statements(run: StepRun) -> Table:
    header = [
        _("household"),
        _("name"),
        _("town"),
        _("balance"),
        _("postings"),
        _("claims pending"),
        _("settled"),
        _("notes"),
    ]
    rows: list[list[Cell]] = []
    for st in run.statements:
        h = st.household
        rows.append(
            [
                h.id,
                _cell(h.name),
                h.town,
                _cell(st.balance),
                len(st.postings),
                len(st.pending),
                _settled(not st.provisional),
                "；".join(st.notes),
            ]
        )
    return header, rows


def _records(run: StepRun) -> Table:
    """Each organisation the step addresses, the records of its kind it holds dated in the
    occurrence, and whether one is missing."""
    header = [_("organisation id"), _("organisation name"), _("records"), _("missing")]
    rows: list[list[Cell]] = [
        [k.organisation.id, _cell(k.organisation.name), k.count, _("yes") if k.missing else None]
        for k in run.kept
    ]
    return header, rows


def write_workbook(
    report: RunReport, engine: Engine, path: Path, *, district: str | None = None
) -> None:
    """Write the run's workbook to ``path`` (replaced whole if it exists); every printed page
    names the ``district`` and the period."""
    mark = _example_mark() if report.example else None
    title = " ".join(filter(None, (district, report.period.label)))
    with writing_book(path, title=title) as book:
        summary = run_rows(report)
        book.table(_("summary"), list(summary.headers), plain_rows(summary), mark=mark)
        for run in report.steps:
            if not run.done:
                continue
            if run.assessment is not None:
                header, rows = _grades(run)
            elif run.statements:
                header, rows = _statements(run)
            elif run.planned.step.applies.records is not None:
                header, rows = _records(run)
            else:
                header, rows = _verdicts(run, engine)
            label = run.planned.occurrence.label if run.planned.occurrence else ""
            # the period first: a title cut to Excel's 31 characters keeps it
            book.table(f"{label} {run.planned.step.title.zh}", header, rows, mark=mark)
        imposed = report.effects()
        if imposed:
            declared = engine.policies.of(EFFECTS).effects
            sheet = effects_rows(imposed, declared, report.period.end, language())
            book.table(_("effects"), list(sheet.headers), plain_rows(sheet), mark=mark)


def write_tables(tables: Sequence[Rows], path: Path, *, title: str | None = None) -> None:
    """Write ``tables`` to ``path``, a sheet each, numbered and named after its title (the
    workbench's download of a run)."""
    with writing_book(path, title=title) as book:
        for n, rows in enumerate(tables, start=1):
            book.table(f"{n} {rows.title or ''}", list(rows.headers), plain_rows(rows))
