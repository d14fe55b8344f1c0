"""The book a district fills for the loaded cycles (docs/district-book.md): the roster's
sheets, and the 评分 and 投票 sheets of every step that reads scores, rubric inputs or
ballots, with the headers the readers take, each column checking what is typed, a 说明
sheet in Chinese, and an example row on each sheet marked 示例 in its 备注 column (which
the readers skip).

What the template writes is what ``governance run --roster`` reads: the headers are the
readers' own (:data:`ROSTER_TABLES`, :data:`RUN_TABLES`), and a test fills every loaded
plugin's template and runs it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import final

import attrs

from governance_core.engine import Engine
from governance_core.files.spreadsheets import Accepts, Cell, FormColumn, writing_book
from governance_core.files.tables import EXAMPLE_MARK, TableSpec
from governance_core.jobs.district_inputs import FROM_ROSTER, RUN_TABLES
from governance_core.loading.mentions import values_read_by
from governance_core.messages import _
from governance_core.model.roster_tables import ROSTER_CODES, ROSTER_TABLES
from governance_core.rules.calendar import CALENDAR
from governance_core.rules.cycles import CYCLES, CycleStep, Period
from governance_core.rules.scoring import GradePolicy, Rubric, RuleKind, ScoringRule, VoteRule
from governance_core.rules.scoring.kind import SCORING

__all__ = ["Template", "template_of", "write_template"]

_EXAMPLE_PERSON = ("p001", "张三")
_EXAMPLE_DAY = date(2024, 1, 1)
# the lists the forms choose from, by title (the 说明 sheet holds them)
_PERIODS, _STEPS, _LEVELS, _AREAS, _YES_NO = "期间", "步骤", "层级", "地域", "是否"
# the kinds of fact whose usual values the lists name, by the roster field that holds them
_READ = {
    "grades": ("grade", "等次"),
    "findings": ("kind", "认定类型"),
    "documents": ("kind", "材料类型"),
    "organisation_records": ("kind", "记录类型"),  # the kinds the cycle steps count
}


@final
@attrs.frozen(slots=True)
class ScoreStep:
    """A step that reads the 评分 (and 投票) sheet: its grade policy, rubric and vote."""

    step: CycleStep
    policy: GradePolicy
    rubric: Rubric | None
    vote: VoteRule | None
    periods: tuple[str, ...] = ()
    """Its occurrences in the chosen period (none when no period was chosen)."""


@final
@attrs.frozen(slots=True)
class Template:
    """What a district's book holds for the loaded cycles: the steps that read it, the
    periods it may name (none when no period was chosen), and the values the loaded lists
    look for in the roster's grades, findings and documents, and the kinds of records the
    cycle steps count (by section)."""

    steps: tuple[ScoreStep, ...]
    periods: tuple[str, ...]
    read: Mapping[str, tuple[str, ...]]
    period: str | None

    def inputs(self) -> dict[str, ScoringRule]:
        """Every rubric input the steps read, by the header of its column."""
        return {
            rule.input: rule
            for s in self.steps
            if s.rubric is not None
            for _, _, rule in s.rubric.rules()
        }

    def groups(self) -> list[str]:
        """The ranking-group attributes a row must say itself (the roster cannot)."""
        found = [k for s in self.steps for k in s.policy.group_by if k not in FROM_ROSTER]
        return list(dict.fromkeys(found))

    def answers(self) -> list[str]:
        """Every answer of the steps' votes, best first."""
        found = [a for s in self.steps if s.vote is not None for a in s.vote.answers]
        return list(dict.fromkeys(found))


def template_of(engine: Engine, period: Period | None) -> Template:
    """The template of the loaded cycles: for ``period``, the steps that run in it and its
    occurrences; without one, every step of every cycle."""
    cycles = engine.policies.of(CYCLES)
    scoring = engine.policies.of(SCORING)
    if period is not None:
        plan = cycles.plan(period, engine.policies.of(CALENDAR).add_working_days)
        steps = list({p.step.id: p.step for p in plan}.values())
        held = {
            step.id: tuple(
                p.occurrence.label for p in plan if p.step.id == step.id and p.occurrence
            )
            for step in steps
        }
    else:
        steps = [step for cycle in cycles.cycles.values() for step in cycle.steps]
        held = {}
    found = []
    for step in steps:
        if step.applies.grade_policy is None:
            continue
        policy = scoring.grade_policy(step.applies.grade_policy)
        rubric = scoring.rubrics.get(policy.rubric or "")
        vote = scoring.votes.get(policy.vote or "")
        found.append(ScoreStep(step, policy, rubric, vote, held.get(step.id, ())))
    periods = [label for s in found for label in s.periods]
    day = period.end if period is not None else date.today()
    read = {
        kind: tuple(values_read_by(engine.policies, kind, day))
        for kind in _READ
        if kind != "organisation_records"
    }
    records = (step.applies.records for step in steps if step.applies.records is not None)
    read["organisation_records"] = tuple(dict.fromkeys(records))
    return Template(
        tuple(found), tuple(dict.fromkeys(periods)), read, None if period is None else period.label
    )


def _headers(spec: TableSpec) -> dict[str, str]:
    """Each field of a table and its Chinese header (the first the reader takes)."""
    found: dict[str, str] = {}
    for header, field in spec.headers.items():
        if header != field:
            found.setdefault(field, header)
    return found


def _prompt(required: bool, what: str = "") -> str:
    """What a cell's prompt says: whether it must be filled, and what to write."""
    need = _("required") if required else _("may be left empty")
    return _("{need}: {what}").format(need=need, what=what) if what else need


# what each roster field holds, its check, and its example; fields not named are text
_DATES = (
    "birth_date",
    "party_member_since",
    "start",
    "end",
    "established_on",
    "dated",
    "decided_on",
)
_ROSTER_EXAMPLES: dict[str, dict[str, Cell]] = {
    "organisations": {"id": "v001", "name": "示例村", "level": "村", "parent": "t001"},
    "people": {"id": _EXAMPLE_PERSON[0], "name": _EXAMPLE_PERSON[1]},
    "posts": {
        "person": _EXAMPLE_PERSON[0],
        "role": "党组织书记",
        "organisation": "v001",
        "start": _EXAMPLE_DAY,
        "area": "农村",
    },
    "findings": {
        "id": "f001",
        "person": _EXAMPLE_PERSON[0],
        "kind": "示例认定类型",
        "established_on": _EXAMPLE_DAY,
        "organ": "示例机关",
    },
    "documents": {
        "id": "m001",
        "person": _EXAMPLE_PERSON[0],
        "kind": "示例材料类型",
        "dated": _EXAMPLE_DAY,
    },
    "grades": {
        "person": _EXAMPLE_PERSON[0],
        "year": 2023,
        "grade": "示例等次",
        "decided_on": _EXAMPLE_DAY,
    },
    "organisation_records": {
        "id": "r001",
        "organisation": "v001",
        "kind": "示例记录类型",
        "dated": _EXAMPLE_DAY,
    },
}


def _roster_examples(table: str, template: Template) -> list[dict[str, Cell]]:
    """The example rows of a roster sheet: a district, a town and a village for 组织 (a
    secretary's town is read from where the village is), one row elsewhere."""
    row = dict(_ROSTER_EXAMPLES[table])
    if table == "organisations":
        return [
            {"id": "d001", "name": "示例区", "level": "区"},
            {"id": "t001", "name": "示例镇", "level": "镇", "parent": "d001"},
            row,
        ]
    if table in _READ and template.read[table]:
        row[_READ[table][0]] = template.read[table][0]
    return [row]


def _roster_column(table: str, spec: TableSpec, field: str, header: str) -> FormColumn:
    need = field in spec.required
    if field == "level":
        return FormColumn(
            header, Accepts.CHOICE, _prompt(need, _("区, 镇, 街道, 村, 社区 or 网格")), _LEVELS
        )
    if field == "area":
        return FormColumn(header, Accepts.CHOICE, _prompt(need, _("农村 or 城市")), _AREAS)
    if table in _READ and field == _READ[table][0]:
        what = _("usually one of the list {list} on 说明 (the values the rules read)")
        prompt = _prompt(need, what.format(list=_READ[table][1]))
        return FormColumn(header, Accepts.CHOICE, prompt, _READ[table][1], strict=False)
    if field in _DATES:
        return FormColumn(header, Accepts.DATE, _prompt(need, _("a date, 2024-01-31")))
    if field == "year":
        return FormColumn(header, Accepts.WHOLE, _prompt(need, _("a year")), None, 1949, 2200)
    if field in ("person", "organisation", "parent"):
        where = _("an id of the 人员 sheet") if field == "person" else _("an id of the 组织 sheet")
        return FormColumn(header, Accepts.TEXT, _prompt(need, where))
    return FormColumn(header, Accepts.TEXT, _prompt(need))


def _input_column(rule: ScoringRule) -> tuple[FormColumn, Cell]:
    """The 评分 column of a rubric input: its check, its prompt, and an example value."""
    name = rule.input

    def said(what: str) -> str:
        return _("{rule}: {what}").format(rule=rule.title.zh, what=what)

    if rule.kind in (RuleKind.DEDUCT_UNLESS, RuleKind.BONUS_IF):
        return FormColumn(name, Accepts.CHOICE, said(_("是 or 否")), _YES_NO), "是"
    if rule.kind in (RuleKind.DEDUCT_PER, RuleKind.BONUS_PER):
        return FormColumn(name, Accepts.WHOLE, said(_("how many times")), None, 0), 0
    if rule.kind is RuleKind.DEDUCT_JUDGED:
        high = float(rule.range[1]) if rule.range else None
        prompt = said(_("points deducted by the assessor"))
        return FormColumn(name, Accepts.DECIMAL, prompt, None, 0, high), 0
    if rule.kind is RuleKind.BONUS_PER_AMOUNT:
        return FormColumn(name, Accepts.DECIMAL, said(_("an amount")), None, 0), 0
    if rule.kind is RuleKind.BONUS_BY_CLASS:
        classes = list(rule.classes or {})
        prompt = said(_("classes, separated by 、: {classes}").format(classes="、".join(classes)))
        return FormColumn(name, Accepts.TEXT, prompt), classes[0] if classes else None
    scale = list(rule.scale or ())
    prompt = said(_("from→to on the scale {scale}").format(scale=" ".join(scale)))
    first = scale[0] if scale else ""
    return FormColumn(name, Accepts.TEXT, prompt), f"{first}→{first}"


def _when(template: Template) -> list[FormColumn]:
    """期间 and 步骤, which the 评分 and 投票 sheets begin with."""
    period_prompt = _("the occurrence: 2024-10, 2024Q4, 2024H2 or 2024")
    return [
        FormColumn(
            "期间", Accepts.CHOICE if template.periods else Accepts.TEXT, period_prompt, _PERIODS
        ),
        FormColumn(
            "步骤",
            Accepts.CHOICE,
            _("the step's id; empty: every step of the period that reads scores"),
            _STEPS,
        ),
    ]


def _examples(template: Template) -> list[tuple[ScoreStep, str | None]]:
    """The steps an example row is written for, with its 期间: a step's first occurrence in
    the period (a step that does not run in it has none); no 期间 when no period was chosen
    (a blank one serves the step's one occurrence)."""
    if template.period is None:
        return [(s, None) for s in template.steps]
    return [(s, s.periods[0]) for s in template.steps if s.periods]


def _score_sheet(template: Template) -> tuple[list[FormColumn], list[list[Cell]]]:
    columns = [
        *_when(template),
        FormColumn("人员", Accepts.TEXT, _prompt(True, _("an id of the 人员 sheet"))),
        FormColumn("姓名", Accepts.TEXT, _prompt(False)),
        FormColumn(
            "得分", Accepts.DECIMAL, _("a score given; empty when a rubric computes it"), None, 0
        ),
    ]
    groups = template.groups()
    columns += [
        FormColumn(f"分组:{g}", Accepts.TEXT, _("the ranking group {group}").format(group=g))
        for g in groups
    ]
    inputs = template.inputs()
    made = {name: _input_column(rule) for name, rule in inputs.items()}
    columns += [column for column, _example in made.values()]
    examples: list[list[Cell]] = []
    for s, label in _examples(template):
        reads = {rule.input for _, _, rule in s.rubric.rules()} if s.rubric is not None else set()
        row: list[Cell] = [
            label,
            s.step.id,
            *_EXAMPLE_PERSON,
            None if reads else 90,
            *(f"示例{g}" if g in s.policy.group_by else None for g in groups),
            *(made[name][1] if name in reads else None for name in inputs),
        ]
        examples.append(row)
    return columns, examples


def _ballot_sheet(template: Template) -> tuple[list[FormColumn], list[list[Cell]]]:
    answers = template.answers()
    columns = [
        *_when(template),
        FormColumn("人员", Accepts.TEXT, _prompt(True, _("an id of the 人员 sheet"))),
        FormColumn("应参评人数", Accepts.WHOLE, _("how many may vote"), None, 1),
        *(
            FormColumn(a, Accepts.WHOLE, _("ballots cast {answer}").format(answer=a), None, 0)
            for a in answers
        ),
    ]
    examples: list[list[Cell]] = []
    for s, label in _examples(template):
        if s.vote is not None:  # all 30 who may vote cast the best answer
            cast = [30 if a == s.vote.answers[0] else 0 for a in answers]
            examples.append([label, s.step.id, _EXAMPLE_PERSON[0], 30, *cast])
    return columns, examples


def _notes(template: Template, sheets: Sequence[str]) -> list[str]:
    period = template.period or _("any period (none was chosen)")
    lines = [
        _("The book a district fills for {period}, written by governance template.").format(
            period=period
        ),
        _("Fill one row per record under the header; the header is locked, rows may be added."),
        _("Rows whose 备注 is 示例 are examples: nothing reads them. Delete or overwrite them."),
        _("Sheets: {sheets}.").format(sheets="、".join(sheets)),
        _("组织, 人员, 职务, 认定, 材料, 等次: the roster. 人员 and 组织 need their 编号."),
    ]
    if template.steps:
        lines.append(
            _(
                "评分: one row per person and occurrence: 期间, 步骤 (or empty), 人员, and 得分 or"
                " the rubric's inputs."
            )
        )
        for s in template.steps:
            lines.append(
                _("  {step} ({title}) reads {what}").format(
                    step=s.step.id,
                    title=s.step.title.zh,
                    what=_("the rubric's inputs") if s.rubric else _("得分"),
                )
            )
    if template.answers():
        lines.append(_("投票: one row per person: 应参评人数 and the ballots of each answer."))
    lines.append(
        _("Run: governance run --roster BOOK.xlsx --period {period}").format(
            period=template.period or "PERIOD"
        )
    )
    return lines


def write_template(engine: Engine, path: Path, period: Period | None) -> Template:
    """Write the template of the loaded cycles for ``period`` to ``path`` (whole or not at
    all); what it holds."""
    template = template_of(engine, period)
    sheets = [spec.names[1] for spec in ROSTER_TABLES.values()]
    score_columns, score_examples = _score_sheet(template)
    ballot_columns, ballot_examples = _ballot_sheet(template)
    if template.steps:
        sheets.append(RUN_TABLES["entries"].names[1])
    if template.answers():
        sheets.append(RUN_TABLES["ballots"].names[1])
    lists = {
        _PERIODS: list(template.periods),
        _STEPS: [s.step.id for s in template.steps],
        _LEVELS: list(ROSTER_CODES["level"]),
        _AREAS: list(ROSTER_CODES["area"]),
        _YES_NO: ["是", "否"],
        **{title: list(template.read[kind]) for kind, (_field, title) in _READ.items()},
    }
    title = _("district book template")
    with writing_book(path, title=title) as book:
        book.notes("说明", _notes(template, sheets), lists)
        for table, spec in ROSTER_TABLES.items():
            headers = _headers(spec)
            columns = [_roster_column(table, spec, f, h) for f, h in headers.items()]
            examples = [[row.get(f) for f in headers] for row in _roster_examples(table, template)]
            book.form(spec.names[1], columns, examples, mark=EXAMPLE_MARK)
        if template.steps:
            book.form("评分", score_columns, score_examples, mark=EXAMPLE_MARK)
        if template.answers():
            book.form("投票", ballot_columns, ballot_examples, mark=EXAMPLE_MARK)
    return template
