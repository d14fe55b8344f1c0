"""A roster read from an Excel workbook or CSV files: one sheet (or file) per section, with
Chinese or English headers. Every problem names the sheet, row and column; nothing is
returned unless the whole workbook is valid.

| sheet | headers |
| --- | --- |
| 组织 organisations | 编号 id, 名称 name, 层级 level (区/镇/街道/村/社区/网格), 上级 parent |
| 人员 people | 编号 id, 姓名 name, 出生日期 birth_date, 性别 gender, 学历 education, 入党时间 party_member_since |
| 职务 posts | 人员 person, 职务 role, 组织 organisation, 任职开始 start, 任职结束 end, 地域 area (农村/城市) |
| 认定 findings | 编号 id, 人员 person, 类型 kind, 认定日期 established_on, 认定机关 organ, 说明 text, 依据 evidence |
| 材料 documents | 编号 id, 人员 person, 类型 kind, 日期 dated |
| 等次 grades | 人员 person, 年度 year, 等次 grade, 确定日期 decided_on |
| 组织记录 organisation_records | 编号 id, 组织 organisation, 类型 kind, 日期 dated |
"""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Any

import attrs

from governance_core.errors import RosterError
from governance_core.files import Located, TableSpec, read_tables
from governance_core.model._organisations import Organisation, OrganisationRecord
from governance_core.model._people import Document, Finding, Grade, Person, Post
from governance_core.model._roster import Roster
from governance_core.model.roster_file import roster_from

__all__ = ["ROSTER_CODES", "ROSTER_TABLES", "read_roster_tables"]


def _spec(names: tuple[str, ...], *pairs: tuple[str, str]) -> TableSpec:
    """A table whose fields each have a Chinese header; the field's own name works too. The
    fields its records cannot do without are required: a sheet must have their columns."""
    record = _RECORDS[names[0]]
    required = tuple(a.name for a in attrs.fields(record) if a.default is attrs.NOTHING)
    return TableSpec(names, {**dict(pairs), **{f: f for _, f in pairs}}, required=required)


_RECORDS: dict[str, type] = {
    "organisations": Organisation,
    "people": Person,
    "posts": Post,
    "findings": Finding,
    "documents": Document,
    "grades": Grade,
    "organisation_records": OrganisationRecord,
}


ROSTER_TABLES = {
    "organisations": _spec(
        ("organisations", "组织"),
        ("编号", "id"),
        ("名称", "name"),
        ("层级", "level"),
        ("上级", "parent"),
    ),
    "people": _spec(
        ("people", "人员"),
        ("编号", "id"),
        ("姓名", "name"),
        ("出生日期", "birth_date"),
        ("性别", "gender"),
        ("学历", "education"),
        ("入党时间", "party_member_since"),
    ),
    "posts": _spec(
        ("posts", "职务"),
        ("人员", "person"),
        ("职务", "role"),
        ("组织", "organisation"),
        ("任职开始", "start"),
        ("任职结束", "end"),
        ("地域", "area"),
    ),
    "findings": _spec(
        ("findings", "认定"),
        ("编号", "id"),
        ("人员", "person"),
        ("类型", "kind"),
        ("认定日期", "established_on"),
        ("认定机关", "organ"),
        ("说明", "text"),
        ("依据", "evidence"),
    ),
    "documents": _spec(
        ("documents", "材料"),
        ("编号", "id"),
        ("人员", "person"),
        ("类型", "kind"),
        ("日期", "dated"),
    ),
    "grades": _spec(
        ("grades", "等次"),
        ("人员", "person"),
        ("年度", "year"),
        ("等次", "grade"),
        ("确定日期", "decided_on"),
    ),
    "organisation_records": _spec(
        ("organisation_records", "组织记录"),
        ("编号", "id"),
        ("组织", "organisation"),
        ("类型", "kind"),
        ("日期", "dated"),
    ),
}

# the Chinese a sheet may write for the records' English codes
ROSTER_CODES = {
    "level": {
        "区": "district",
        "县": "district",
        "区县": "district",
        "镇": "town",
        "街道": "town",
        "镇街": "town",
        "村": "village",
        "社区": "community",
        "网格": "grid",
    },
    "area": {"农村": "rural", "城市": "urban"},
}
# cells a spreadsheet types as numbers where the records hold text
_TEXT = ("id", "person", "organisation", "parent", "role", "kind", "evidence", "grade")


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for field, value in row.items():
        if field in ROSTER_CODES and isinstance(value, str):
            value = ROSTER_CODES[field].get(value, value)
        elif field in _TEXT and isinstance(value, int | float) and not isinstance(value, bool):
            value = str(int(value)) if float(value).is_integer() else str(value)
        out[field] = value
    return out


def read_roster_tables(path: str | Path, *, skip: Collection[str] = ()) -> Roster:
    """The roster of a workbook (``.xlsx``), a CSV file or a folder of CSV files.

    Raises :class:`RosterError` listing every problem, each at its sheet, row and column:
    unknown sheets and headers, wrong values, duplicate ids, and rows naming people or
    organisations the roster does not hold. Sheets named in ``skip``, and a sheet of notes
    (说明 or readme), are left alone."""
    located = read_tables(path, ROSTER_TABLES, RosterError, skip=skip)
    data = {table: [_plain(row) for row in rows] for table, rows in located.data.items()}
    data.setdefault("people", [])
    # a section without its sheet is not recorded (None), as in a roster file without it
    located = Located(data, located.file, located.values, located.keys, cells=True)
    return roster_from(located)
