"""Write the sample district workbook for `governance import` and `governance run --roster`
(docs/main-job.md): the example roster (invented people, marked 示例) as the sheets and
Chinese headers a district office fills in, and a 评分 sheet with each secretary's invented
monthly and quarterly scores of 2024Q4 (期间; the town is read from the roster). Run after
changing the example roster:

    .venv/bin/python scripts/sample_workbook.py

tests/present/test_sample_workbook.py checks the committed workbook imports as the example roster.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from governance_core import Engine, load_roster
from governance_core.files.spreadsheets import Cell, TableBook, writing_book
from governance_core.model import converter
from governance_core.model.roster_tables import ROSTER_TABLES

TARGET = (
    Path(__file__).parent.parent / "src" / "governance_core" / "examples" / "sample-district.xlsx"
)
MARK = "示例：人员、认定与分数均为虚构，不是真实数据"
# invented scores of the four secretaries: three months and the quarter of 2024Q4
SCORES = {
    "2024-10": (88.5, 79.0, 92.0, 85.5),
    "2024-11": (90.0, 76.5, 91.0, 87.0),
    "2024-12": (86.0, 74.0, 93.5, 88.0),
    "2024Q4": (88.2, 76.5, 92.2, 86.8),
}
CODES = {"district": "区", "town": "镇", "village": "村", "community": "社区", "grid": "网格",
         "rural": "农村", "urban": "城市"}  # fmt: skip


def _cell(value: Any) -> Cell:
    return CODES.get(value, value) if isinstance(value, str) else value


def _roster_sheets(book: TableBook) -> list[tuple[str, str]]:
    """One sheet per roster section, with the Chinese header of each field (the first name its
    spec gives it); the people's ids and names, for the 评分 sheet."""
    data = converter.unstructure(load_roster(Engine.example_roster()))
    for section, spec in ROSTER_TABLES.items():
        rows = data.get(section) or []
        if not rows:
            continue
        headers = {field: header for header, field in spec.headers.items() if header != field}
        fields = [f for f in headers if any(r.get(f) is not None for r in rows)]
        book.table(spec.names[1], [headers[f] for f in fields],
                   [[_cell(row.get(f)) for f in fields] for row in rows])  # fmt: skip
    return [(p["id"], p["name"]) for p in data["people"]]


def main() -> None:
    with writing_book(TARGET, title=MARK) as book:
        book.notes("说明", [  # import reads past a sheet of this name
            MARK,
            "每个工作表一节：组织、人员、职务、认定；首行是表头（中文或英文字段名均可）。",
            "评分：每人每期一行；期间写 2024-10、2024Q4 或 2024；步骤可空（该期间所有读取得分的步骤）。",
            "导入：governance import sample-district.xlsx --output roster.yaml",
            "运行：governance run --roster sample-district.xlsx --plugin shizhong --period 2024Q4",
        ])  # fmt: skip
        people = _roster_sheets(book)
        scores: list[list[Cell]] = [
            [period, person, name, value]
            for period, values in SCORES.items()
            for (person, name), value in zip(people, values, strict=True)
        ]
        book.table("评分", ["期间", "人员", "姓名", "得分"], scores)
    print(TARGET)


if __name__ == "__main__":
    main()
