"""Rosters and records: strict structure, located problems, dossiers as of a date, JSON."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from governance_core import Roster, RosterError, from_json, load_roster, to_json
from tests.support import ROOT

Write = Callable[..., Path]

ROSTER = """\
organisations:
  - {id: d, name: 区, level: district}
  - {id: t, name: 镇, level: town, parent: d}
  - {id: v, name: 村, level: village, parent: t}
people:
  - {id: p1, name: 张三, birth_date: 1970-01-01}
posts:
  - {person: p1, role: 党组织书记, organisation: v, start: 2020-01-01}
findings:
  - {id: F1, person: p1, kind: 涉黑涉恶, established_on: 2024-01-01, organ: 镇党委}
counts:
  - {person: p1, name: 缺席, value: 1, recorded_on: 2023-12-31}
  - {person: p1, name: 缺席, value: 4, recorded_on: 2024-05-31}
"""


def roster_problems(path: Path) -> list[str]:
    with pytest.raises(RosterError) as caught:
        load_roster(path)
    return [str(p) for p in caught.value.problems]


def test_dossier_holds_what_was_known_on_the_date(write: Write) -> None:
    roster = load_roster(write(ROSTER, "roster.yaml"))
    before, after = roster.dossiers(date(2023, 12, 31))[0], roster.dossiers(date(2024, 6, 30))[0]
    assert before.findings == () and before.counts == {"缺席": 1}
    assert [f.id for f in after.findings or ()] == ["F1"] and after.counts == {"缺席": 4}


def test_row_missing_a_field_is_located(write: Write) -> None:
    found = roster_problems(write(ROSTER.replace("role: 党组织书记, ", ""), "roster.yaml"))
    assert found == [f"{Path(found[0].split(':')[0])}:8:5: missing required field 'role' (add it)"]


def test_unknown_field_wrong_type_and_broken_references(write: Write) -> None:
    text = (
        ROSTER.replace("birth_date: 1970-01-01", "birth_date: 1970-01-01, colour: red")
        .replace("value: 4", "value: four")
        .replace("organisation: v", "organisation: nowhere")
    )
    found = roster_problems(write(text, "roster.yaml"))
    assert any(":6:48: unknown field 'colour'" in p for p in found), found
    assert any("counts[1].value" in p and "'four'" in p for p in found), found
    # references are checked only once the structure is valid, so fix the structure first
    text = ROSTER.replace("organisation: v", "organisation: nowhere").replace(
        "parent: t}", "parent: d}"
    )
    found = roster_problems(write(text, "roster.yaml"))
    assert any("no organisation 'nowhere'" in p for p in found), found
    assert any("a village cannot sit under a district" in p for p in found), found


def test_json_round_trip_and_strictness() -> None:
    roster = load_roster(ROOT / "src/governance_core/examples/roster.yaml")
    assert from_json(to_json(roster), Roster) == roster
    with pytest.raises(RosterError) as caught:
        from_json(b'{"people": [{"id": "p1", "name": "x", "extra": 1}]}', Roster)
    assert "unknown field 'extra'" in str(caught.value)
    with pytest.raises(RosterError):
        from_json(b"{not json", Roster)
