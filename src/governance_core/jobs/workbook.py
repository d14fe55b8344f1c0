"""The run's Excel workbook: a summary sheet (汇总), one sheet per town with every village
secretary's monthly and quarterly results and the lists' verdicts, and the first
secretaries' annual grades (第一书记). Chinese headers; personal ID and mobile numbers
masked; scores rounded to two places for reading (the store keeps them exact)."""

from __future__ import annotations

from collections import Counter, defaultdict
from fractions import Fraction
from pathlib import Path
from typing import Any

from governance_core.files.spreadsheets import as_table, save_workbook, sheet_title
from governance_core.jobs.example_district import ExampleDistrict
from governance_core.jobs.period_run import RunReport
from governance_core.messages import _
from governance_core.rules.criteria.verdicts import Outcome

__all__ = ["write_workbook"]


def _example_mark() -> str:
    return _("example: the people, scores and ballots are invented, not real data")


def _cell(value: Any) -> Any:
    # text is masked by save_workbook, under the one policy of every output
    return round(float(value), 2) if isinstance(value, Fraction) else value


def _town_rows(report: RunReport, district: ExampleDistrict) -> dict[str, list[list[Any]]]:
    """Rows of each town's sheet, by town name, one per village secretary."""
    town_of = district.town_of()
    villages = {v.id: v for v in district.villages()}
    monthly = [{g.person_id: g for g in m.assessment.graded} for m in report.monthly]
    quarterly = [{g.person_id: g for g in a.graded} for a in report.quarterly]
    hits: dict[str, list[str]] = defaultdict(list)
    for v in report.verdicts:
        if v.outcome is Outcome.HIT:
            hits[v.person_id].append(f"{v.title.zh}：" + "、".join(i.title.zh for i in v.met()))
    opened = {i.subject: i for i in report.opened}
    names = {p.id: p.name for p in district.roster.people}
    rows: dict[str, list[list[Any]]] = defaultdict(list)
    for post in district.roster.posts:
        if post.role != "党组织书记":
            continue
        person, village = post.person, villages[post.organisation]
        row: list[Any] = [village.name, names[person], person]
        for month in monthly:
            g = month.get(person)
            row += [g.score if g else None, g.place if g else None]
        if quarterly:  # the quarter's score and place are the same under each rule
            first = quarterly[0].get(person)
            row += [first.score if first else None, first.place if first else None]
        for results in quarterly:
            g = results.get(person)
            row += [g.grade if g else None]
        row += ["；".join(hits.get(person, ())) or "—"]
        instance = opened.get(person)
        row += [f"{instance.process}（{instance.state}）" if instance else "—"]
        rows[town_of[village.id].name].append(row)
    return rows


def write_workbook(report: RunReport, district: ExampleDistrict, path: Path) -> None:
    """Write the run's workbook to ``path`` (replaced if it exists)."""
    from openpyxl import Workbook  # only this writer needs it

    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = "汇总"
    quarter = str(report.quarter)
    summary.append([f"{quarter} 运行汇总", "（示例区：规模取自来源003、004，人员与分数均为示例）"])
    summary.append([])
    summary.append(["步骤", "是否运行", "说明"])
    for step in report.steps:
        summary.append([f"{step.title}（{step.name}）", "是" if step.done else "否", step.detail])
    summary.append([])
    months = [m.month.strftime("%Y-%m") for m in report.monthly]
    announce = ", ".join(
        f"{m.month:%Y-%m}: {m.announce_by:%Y-%m-%d}前" for m in report.monthly if m.announce_by
    )
    if announce:
        summary.append(["月评估排名通报截止", announce])
    rows = _town_rows(report, district)
    quarterly_titles = [a.policy.title.zh for a in report.quarterly]
    summary.append(["镇街", "村(社区)数", *[f"{m} 第1名" for m in months], *quarterly_titles,
                    "启动程序数"])  # fmt: skip
    headers = ["村(社区)", "书记", "人员编号"]
    for m in months:
        headers += [f"{m} 月评估得分", f"{m} 镇内排名"]
    if report.quarterly:
        headers += ["季度考核得分", "季度镇内排名"]
    headers += [*quarterly_titles, "清单命中", "启动的程序"]
    taken: set[str] = {"汇总", "第一书记"}
    for town in district.towns:
        town_rows = sorted(rows.get(town.name, []), key=lambda r: r[2])
        firsts = []
        for k in range(len(months)):
            top = [r[1] for r in town_rows if r[4 + 2 * k] == 1]
            firsts.append("、".join(top) or "—")
        column = 3 + 2 * len(months) + (2 if report.quarterly else 0)
        counts = [
            sum(1 for r in town_rows if r[column + q] == a.policy.bottom[0].grade)
            if a.policy.bottom
            else None
            for q, a in enumerate(report.quarterly)
        ]
        opened = sum(1 for r in town_rows if r[-1] != "—")  # the row's last cell: its procedure
        summary.append([town.name, len(town_rows), *firsts, *counts, opened])
        sheet = book.create_sheet(sheet_title(town.name, taken))
        sheet.append(headers)
        for row in town_rows:
            sheet.append([_cell(v) for v in row])
        as_table(sheet, mark=_example_mark())
    if report.annual is not None:
        _first_secretaries(book, report, district)
    save_workbook(book, path)


def _first_secretaries(book: Any, report: RunReport, district: ExampleDistrict) -> None:
    assert report.annual is not None
    sheet = book.create_sheet("第一书记")
    consequences = report.annual.policy.consequences
    sheet.append(["人员编号", "姓名", "来源", "驻村", "分组", "得分", "组内名次", "等次",
                  _("conclusive"), "依据", "结果运用", "说明"])  # fmt: skip
    by_person = {f.person: f for f in district.first_secretaries}
    villages = {v.id: v.name for v in district.villages()}
    for g in report.annual.graded:
        f = by_person[g.person_id]
        sheet.append([
            _cell(g.person_id), _cell(g.name), f.origin.value, villages[f.village],
            "/".join(g.group), _cell(g.score), g.place, g.grade or "未定",
            _("yes") if g.conclusive else _("no (provisional)"), _cell(g.rule),
            consequences.get(g.grade or "", ""), _cell("；".join(g.notes)),
        ])  # fmt: skip
    as_table(sheet, mark=_example_mark())
    pending = _("(provisional)")
    grades = Counter(
        (g.grade or "未定") + ("" if g.conclusive else pending) for g in report.annual.graded
    )
    place = {grade: i for i, grade in enumerate([*report.annual.policy.grades, "未定"])}

    def in_policy_order(counted: tuple[str, int]) -> tuple[int, str]:
        # 优秀, 良好, … as the policy lists them, then 未定; provisional ones after their grade
        return place.get(counted[0].removesuffix(pending), len(place)), counted[0]

    ranked = sorted(grades.items(), key=in_policy_order)
    summary = book["汇总"]
    summary.append([])
    summary.append(["第一书记年度考核", *[f"{k} {v}人" for k, v in ranked]])
