"""A rule as a sheet policy staff fill in Excel, and the filled sheet read back as an overlay
(docs/excel-overlays.md): ``governance export`` and ``governance import-overlay``.

- A **list** is a sheet 条目 of its items: 编号, 序号, titles, the condition (a 认定类型,
  chosen from the finding kinds the loaded lists read, for the common ``has_finding("…")``;
  else an expression in 条件), the citation and dates. A row with a new 编号 is added; a
  row changed is replaced when its 操作 says 替换 and a 理由 is given; 操作 删除 removes an
  item, with a 理由. Its declared size and how many items are published are on 说明.
- A **rubric** or a **grade policy** is shown whole (细则: sections, lines, points, rules;
  档次: quotas and bands) and its settings an overlay may change are a sheet 设置 (a
  grade policy's rounding, ties, vetoed slot, quota base and smallest group; a per-amount
  rule's unit rounding): a value changed, with a 理由, becomes the overlay's entry.

The overlay written is checked as every overlay is, by applying it to the loaded policies;
a problem is said at the sheet's row. Nothing is written unless the whole overlay applies.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import Any, final

import attrs
import yaml

from governance_core.engine import Engine
from governance_core.errors import PolicyError, Problem, ProblemsError
from governance_core.files import Located, TableSpec, read_tables
from governance_core.files.spreadsheets import Accepts, Cell, FormColumn, writing_book
from governance_core.loading.mentions import values_read_by
from governance_core.messages import _
from governance_core.rules.criteria import CriteriaList, Criterion
from governance_core.rules.criteria.kind import CRITERIA
from governance_core.rules.scoring import GradePolicy, Rubric, RuleKind
from governance_core.rules.scoring.kind import SCORING

__all__ = ["RuleSheet", "export_rule", "import_overlay"]

_ITEMS, _OVERLAY, _SETTINGS = "条目", "覆盖文件", "设置"
_SHOWN = ("说明", "细则", "档次")  # what a sheet shows and import reads past
_FINDING = re.compile(r'^\s*(?:has_finding|存在认定)\(\s*"([^"\\]*)"\s*\)\s*$')
_ADD, _REPLACE, _REMOVE = "新增", "替换", "删除"
_GRADE_SETTINGS = {
    "rounding": ("floor", "ceil", "half_up"),
    "ties": ("withhold", "extend"),
    "vetoed_slot": ("refill", "leave"),
    "quota_base": ("group", "ranked"),
}
_UNIT_ROUNDING = ("whole_units", "exact")


def _spec(names: tuple[str, ...], pairs: Mapping[str, str]) -> TableSpec:
    return TableSpec(names, {**pairs, **{f: f for f in pairs.values()}})


_SPECS = {
    "items": _spec(
        ("items", _ITEMS),
        {
            "操作": "action",
            "编号": "id",
            "序号": "number",
            "标题": "title_zh",
            "英文标题": "title_en",
            "认定类型": "finding",
            "条件": "expression",
            "文件": "document",
            "条款": "article",
            "来源": "source",
            "生效日期": "effective_from",
            "失效日期": "effective_to",
            "理由": "reason",
        },
    ),
    "overlay": _spec(
        ("overlay", _OVERLAY),
        {"规则": "rule", "覆盖编号": "id", "中文标题": "zh", "英文标题": "en", "版本": "version"},
    ),
    "settings": _spec(
        ("settings", _SETTINGS),
        {"规则": "rule", "设置": "setting", "取值": "value", "理由": "reason"},
    ),
}


@final
@attrs.frozen(slots=True)
class RuleSheet:
    """What a book was written for: the rule's id and its kind (list, rubric, grade policy)."""

    rule: str
    kind: str


def _kind_of(engine: Engine, rule: str) -> str:
    scoring = engine.policies.of(SCORING)
    if rule in scoring.rubrics:
        return "rubric"
    if rule in scoring.grade_policies:
        return "grade_policy"
    engine.policies.of(CRITERIA).find(rule)  # UnknownPolicyError, with the ids it knows
    return "list"


def _condition(item: Criterion) -> tuple[str | None, str | None]:
    """(认定类型, 条件) of an item: the finding kind of a plain has_finding, else the
    expression."""
    found = _FINDING.match(item.expression)
    return (found[1], None) if found else (None, item.expression)


def _overlay_row(rule: str, title: str) -> list[Cell]:
    completed = _("{title} (completed)").format(title=title)
    return [rule, f"{rule.replace('.', '-')}-excel", completed, None, "1"]


def _overlay_columns() -> list[FormColumn]:
    return [
        FormColumn("规则", Accepts.TEXT, _("the rule this book completes: leave it as it is")),
        FormColumn("覆盖编号", Accepts.TEXT, _("required: the overlay's id, who issues it")),
        FormColumn("中文标题", Accepts.TEXT, _("required: the district document's title")),
        FormColumn("英文标题", Accepts.TEXT, _("may be left empty")),
        FormColumn("版本", Accepts.TEXT, _("required: shown in every verdict it supplies")),
    ]


def _export_list(engine: Engine, criteria: CriteriaList, path: Path) -> None:
    kinds = values_read_by(engine.policies, "findings", date.today())
    notes = [
        _("{title} ({rule}): {published} of {declared} items published.").format(
            title=criteria.title.zh,
            rule=criteria.id,
            published=len(criteria.items),
            declared=criteria.declared_size,
        ),
        _("Complete it on 条目: a row with a new 编号 adds an item, as many as the size allows."),
        _("Give the condition as a 认定类型 (has_finding) or, for others, an expression in 条件."),
        _("To change an item write 替换 in 操作 and a 理由; to remove it, 删除 and a 理由."),
        _("Then: governance import-overlay BOOK.xlsx --output overlay.yaml"),
    ]
    columns = [
        FormColumn("操作", Accepts.CHOICE, _("empty, or 替换 or 删除 with a 理由"), "操作"),
        FormColumn("编号", Accepts.TEXT, _("required: the item's id (letters, digits, _)")),
        FormColumn("序号", Accepts.WHOLE, _("its number in the source"), None, 1),
        FormColumn("标题", Accepts.TEXT, _("required: the source's words")),
        FormColumn("英文标题", Accepts.TEXT, _("may be left empty")),
        FormColumn(
            "认定类型",
            Accepts.CHOICE,
            _("the finding that meets it (usually one of 说明's list)"),
            "认定类型",
            strict=False,
        ),
        FormColumn("条件", Accepts.TEXT, _("an expression, when no 认定类型 says it")),
        FormColumn("文件", Accepts.TEXT, _("required: the document")),
        FormColumn("条款", Accepts.TEXT, _("required: the article")),
        FormColumn("来源", Accepts.TEXT, _("required: where the document is")),
        FormColumn("生效日期", Accepts.DATE, _("may be left empty")),
        FormColumn("失效日期", Accepts.DATE, _("may be left empty")),
        FormColumn("理由", Accepts.TEXT, _("why it is replaced or removed")),
    ]
    rows: list[list[Cell]] = []
    for item in criteria.items:
        finding, expression = _condition(item)
        c = item.citation
        row: list[Cell] = [None, item.id, item.number, item.title.zh, item.title.en]
        row += [finding, expression, c.document, c.article, c.source]
        rows.append([*row, item.effective_from, item.effective_to, None])
    with writing_book(path, title=criteria.title.zh) as book:
        book.notes("说明", notes, {"操作": [_REPLACE, _REMOVE], "认定类型": kinds})
        book.form(_OVERLAY, _overlay_columns(), [_overlay_row(criteria.id, criteria.title.zh)])
        book.form(_ITEMS, columns, rows)


def _settings_columns() -> list[FormColumn]:
    return [
        FormColumn("规则", Accepts.TEXT, _("leave it as it is")),
        FormColumn("设置", Accepts.TEXT, _("leave it as it is")),
        FormColumn("取值", Accepts.CHOICE, _("one of 说明's values for the setting"), "取值"),
        FormColumn("理由", Accepts.TEXT, _("required when the value is changed")),
    ]


def _export_rubric(rubric: Rubric, path: Path) -> None:
    shown: list[list[Cell]] = []
    settings: list[list[Cell]] = []
    for section, line, rule in rubric.rules():
        amount = rule.points if rule.points is not None else rule.per
        row: list[Cell] = [section.title.zh, section.base, line.title.zh, line.points]
        row += [rule.id, rule.title.zh, rule.kind.value, rule.input, amount]
        shown.append([*row, str(rule.citation or line.citation)])
        if rule.kind is RuleKind.BONUS_PER_AMOUNT and rule.rounding is not None:
            settings.append([rule.id, "rounding", rule.rounding.value, None])
    notes = [
        _("{title} ({rule}): its sections, lines and rules on 细则.").format(
            title=rubric.title.zh, rule=rubric.id
        ),
        _("An overlay may change a per-amount rule's rounding on 设置, with a 理由."),
        _("Then: governance import-overlay BOOK.xlsx --output overlay.yaml"),
    ]
    header = ["部分", "基础分", "条目", "分值", "规则", "规则标题", "类型", "输入", "分数", "依据"]
    with writing_book(path, title=rubric.title.zh) as book:
        book.notes("说明", notes, {"取值": list(_UNIT_ROUNDING)})
        book.form(_OVERLAY, _overlay_columns(), [_overlay_row(rubric.id, rubric.title.zh)])
        book.form(_SETTINGS, _settings_columns(), settings)
        book.table("细则", header, shown)


def _export_grade_policy(policy: GradePolicy, path: Path) -> None:
    shown: list[list[Cell]] = []
    for label, quotas in ((_("top"), policy.top), (_("bottom"), policy.bottom)):
        for q in quotas:
            share = f"{q.share[0]}/{q.share[1]}" if q.share else q.count or q.parameter
            shown.append([label, q.grade, share])
    shown += [[_("at least"), b.grade, b.at_least] for b in policy.bands]
    shown.append([_("the rest"), policy.rest, None])
    settings: list[list[Cell]] = [
        [policy.id, name, getattr(policy, name).value, None] for name in _GRADE_SETTINGS
    ]
    settings.append([policy.id, "min_group", policy.min_group, None])
    notes = [
        _("{title} ({rule}): its quotas and bands on 档次, ranked by {groups}.").format(
            title=policy.title.zh, rule=policy.id, groups="、".join(policy.group_by) or "—"
        ),
        _("An overlay may change its settings on 设置, each with a 理由."),
        _("Then: governance import-overlay BOOK.xlsx --output overlay.yaml"),
    ]
    values = sorted({v for vs in _GRADE_SETTINGS.values() for v in vs})
    with writing_book(path, title=policy.title.zh) as book:
        book.notes("说明", notes, {"取值": values})
        book.form(_OVERLAY, _overlay_columns(), [_overlay_row(policy.id, policy.title.zh)])
        book.form(_SETTINGS, _settings_columns(), settings)
        book.table("档次", [_("quota"), "等次", _("share or parameter")], shown)


def export_rule(engine: Engine, rule: str, path: Path) -> RuleSheet:
    """Write ``rule`` (a list, a rubric or a grade policy of the loaded policies) to ``path``
    as a book policy staff fill; what it was. UnknownPolicyError for an unknown id."""
    kind = _kind_of(engine, rule)
    scoring = engine.policies.of(SCORING)
    if kind == "list":
        _export_list(engine, engine.policies.of(CRITERIA)[rule].criteria, path)
    elif kind == "rubric":
        _export_rubric(scoring.rubric(rule), path)
    else:
        _export_grade_policy(scoring.grade_policy(rule), path)
    return RuleSheet(rule, kind)


# --- reading a filled book back ---


def _text(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)


def _criterion(row: Mapping[str, Any]) -> dict[str, Any]:
    """An item as an overlay writes it, from its row."""
    finding = _text(row.get("finding"))
    expression = (
        f"has_finding({json.dumps(finding, ensure_ascii=False)})"
        if finding is not None
        else _text(row.get("expression"))
    )
    item: dict[str, Any] = {"id": _text(row.get("id"))}
    if row.get("number") is not None:
        item["number"] = row["number"]
    item["title"] = {"zh": _text(row.get("title_zh")), "en": _text(row.get("title_en")) or ""}
    item["citation"] = {
        k: _text(row.get(k)) for k in ("document", "article", "source") if row.get(k) is not None
    }
    item["expression"] = expression
    for k in ("effective_from", "effective_to"):
        if row.get(k) is not None:
            item[k] = row[k]
    return item


def _as_written(item: Criterion) -> dict[str, Any]:
    """An item of the loaded list as :func:`_criterion` would read its exported row."""
    finding, expression = _condition(item)
    c = item.citation
    return _criterion(
        {
            "id": item.id,
            "number": item.number,
            "title_zh": item.title.zh,
            "title_en": item.title.en,
            "finding": finding,
            "expression": expression,
            "document": c.document,
            "article": c.article,
            "source": c.source,
            "effective_from": item.effective_from,
            "effective_to": item.effective_to,
        }
    )


def _list_changes(
    located: Located, criteria: CriteriaList, problems: list[Problem]
) -> dict[str, Any]:
    base = {item.id: item for item in criteria.items}
    change: dict[str, list[Any]] = {"add": [], "replace": [], "remove": []}
    for index, row in enumerate(located.data.get("items", [])):
        action, item_id, reason = row.get("action"), _text(row.get("id")), _text(row.get("reason"))
        if item_id is None:
            problems.append(located.problem(("items", index), _("the row has no 编号")))
            continue
        if row.get("finding") is not None and row.get("expression") is not None:
            problems.append(
                located.problem(
                    ("items", index, "expression"),
                    _("give the condition once: a 认定类型 or a 条件, not both"),
                )
            )
            continue
        if action not in (None, _REPLACE, _REMOVE):
            problems.append(
                located.problem(
                    ("items", index, "action"),
                    _("{action!r} is not an action").format(action=action),
                    hint=_("leave it empty, or write 替换 or 删除"),
                )
            )
            continue
        if action in (_REPLACE, _REMOVE) and (item_id not in base or reason is None):
            said = (
                _("{item!r} is not an item of {list}").format(item=item_id, list=criteria.id)
                if item_id not in base
                else _("{action} needs a 理由").format(action=action)
            )
            problems.append(located.problem(("items", index, "reason"), said))
            continue
        if action == _REMOVE:
            change["remove"].append({"item": item_id, "reason": reason})
        elif item_id not in base:
            change["add"].append(_criterion(row))
        elif _criterion(row) != _as_written(base[item_id]):
            if action != _REPLACE:
                problems.append(
                    located.problem(
                        ("items", index, "action"),
                        _("item {item!r} differs from {list}'s").format(
                            item=item_id, list=criteria.id
                        ),
                        hint=_("write 替换 in 操作 and a 理由, or undo the change"),
                    )
                )
                continue
            change["replace"].append(
                {"item": item_id, "reason": reason, "criterion": _criterion(row)}
            )
    entry: dict[str, Any] = {"list": criteria.id}
    entry |= {k: v for k, v in change.items() if v}
    return entry if len(entry) > 1 else {}


def _setting_changes(
    located: Located, engine: Engine, sheet: RuleSheet, problems: list[Problem]
) -> list[dict[str, Any]]:
    scoring = engine.policies.of(SCORING)
    entries: list[dict[str, Any]] = []
    for index, row in enumerate(located.data.get("settings", [])):
        setting, value, reason = row.get("setting"), row.get("value"), _text(row.get("reason"))
        if sheet.kind == "grade_policy":
            policy = scoring.grade_policy(sheet.rule)
            if setting not in (*_GRADE_SETTINGS, "min_group"):
                problems.append(
                    located.problem(("settings", index, "setting"), _("unknown setting"))
                )
                continue
            current = getattr(policy, str(setting))
            now = current.value if hasattr(current, "value") else current
            if value == now:
                continue
            allowed = _GRADE_SETTINGS.get(str(setting))
            wrong = value not in allowed if allowed else not isinstance(value, int) or value < 1
            if wrong:
                problems.append(_bad_value(located, index, allowed))
                continue
            entry = {"grade_policy": sheet.rule, str(setting): value, "reason": reason}
        else:
            rule = next(
                (r for _, _, r in scoring.rubric(sheet.rule).rules() if r.id == row.get("rule")),
                None,
            )
            if rule is None or setting != "rounding":
                problems.append(located.problem(("settings", index, "rule"), _("unknown setting")))
                continue
            if rule.rounding is not None and value == rule.rounding.value:
                continue
            if value not in _UNIT_ROUNDING:
                problems.append(_bad_value(located, index, _UNIT_ROUNDING))
                continue
            entry = {"rubric": sheet.rule, "rule": rule.id, "rounding": value, "reason": reason}
        if reason is None:
            problems.append(
                located.problem(
                    ("settings", index, "reason"),
                    _("a changed setting needs a 理由"),
                )
            )
            continue
        entries.append(entry)
    return entries


def _bad_value(located: Located, index: int, allowed: Sequence[str] | None) -> Problem:
    value = located.data["settings"][index].get("value")
    return located.problem(
        ("settings", index, "value"),
        _("{value!r} is not a value of this setting").format(value=value),
        hint=_("write one of {values}").format(values=", ".join(allowed))
        if allowed
        else _("write a whole number, 1 or more"),
    )


def _header(located: Located, problems: list[Problem]) -> tuple[str, dict[str, Any]] | None:
    rows = located.data.get("overlay", [])
    if len(rows) != 1:
        problems.append(
            Problem(_("the 覆盖文件 sheet needs exactly one row"), f"{located.file}[{_OVERLAY}]")
        )
        return None
    row = rows[0]
    missing = [
        h
        for h, f in (("规则", "rule"), ("覆盖编号", "id"), ("中文标题", "zh"), ("版本", "version"))
        if row.get(f) is None
    ]
    if missing:
        problems.append(
            located.problem(("overlay", 0), _("fill {columns}").format(columns="、".join(missing)))
        )
        return None
    header = {
        "id": _text(row["id"]),
        "title": {"zh": _text(row["zh"]), "en": _text(row.get("en")) or ""},
        "version": _text(row["version"]),
    }
    return str(row["rule"]), header


def import_overlay(engine: Engine, book: Path, target: Path) -> dict[str, Any]:
    """Read a filled book (written by :func:`export_rule`) into an overlay of the loaded
    policies, check it by applying it, and write it to ``target`` as YAML; the overlay.
    PolicyError with every problem, at its sheet and row; nothing is written then."""
    located = read_tables(book, _SPECS, PolicyError, skip=_SHOWN)
    problems: list[Problem] = []
    found = _header(located, problems)
    if found is None:
        raise PolicyError(problems)
    rule, header = found
    sheet = RuleSheet(rule, _kind_of(engine, rule))
    overlay: dict[str, Any] = {"overlay": header}
    if sheet.kind == "list":
        entry = _list_changes(located, engine.policies.of(CRITERIA)[rule].criteria, problems)
        if entry:
            overlay["lists"] = [entry]
    else:
        settings = _setting_changes(located, engine, sheet, problems)
        if settings:
            overlay["grade_policies" if sheet.kind == "grade_policy" else "rubrics"] = settings
    text = yaml.safe_dump(overlay, allow_unicode=True, sort_keys=False, width=100)
    problems += _check(engine, text, located, target)  # the rows that read well, applied
    if problems:
        raise PolicyError(problems)
    partial = target.with_name(f".{target.name}.partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(target)
    return overlay


def _check(engine: Engine, text: str, located: Located, target: Path) -> list[Problem]:
    """The problems of applying the overlay to the loaded policies, each said at the row of
    the item it concerns where there is one."""
    with tempfile.TemporaryDirectory() as folder:
        trial = Path(folder) / target.name
        trial.write_text(text, encoding="utf-8")
        try:
            engine.with_overlays([trial])
        except ProblemsError as error:
            return _relocated(error.problems, located)
    return []


def _relocated(problems: Sequence[Problem], located: Located) -> list[Problem]:
    """``problems`` of the written overlay said at the sheet: an item's at the cell of its
    condition, the others at the book."""
    rows = located.data.get("items", [])
    index = {str(row.get("id")): n for n, row in enumerate(rows)}
    out = []
    for p in problems:
        n = index.get((p.rule_id or "").rsplit(".", 1)[-1])
        if n is None:
            out.append(attrs.evolve(p, file=located.file, line=None, column=None))
            continue
        field = "expression" if rows[n].get("expression") is not None else "finding"
        at = located.position(("items", n, field))
        assert at is not None  # every row read is located
        out.append(attrs.evolve(p, file=at.file or located.file, line=at.line, column=at.column))
    return out
