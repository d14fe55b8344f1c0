"""Recorded runs: what each run recorded (verdicts, score sheets) is found again by its name."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import orjson
import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from governance_core import Engine
from governance_core.cli import app
from governance_core.storage import SqlStore
from tests.support import AS_OF, dossier

pytestmark = pytest.mark.districts  # every test here reads a contrib plugin


def test_runs_are_listed_and_shown(tmp_path: Path) -> None:
    engine = Engine.load(plugins=["shizhong"])
    store = SqlStore(f"sqlite:///{tmp_path / 'g.db'}")
    for run, as_of in (("monthly/2024-05", date(2024, 5, 31)), ("monthly/2024-06", AS_OF)):
        verdicts = engine.evaluate("shizhong.exit_conditions", [dossier(as_of=as_of)], as_of)
        store.decisions.record_verdicts(verdicts, run=run)
    runs = store.decisions.runs()
    assert [(r.run, r.verdicts, r.score_sheets) for r in runs] == [
        ("monthly/2024-05", 1, 0),
        ("monthly/2024-06", 1, 0),
    ]
    (found,) = store.decisions.recorded_verdicts(run="monthly/2024-06")
    assert found.as_of == AS_OF and found.list_id == "shizhong.exit_conditions"
    url = str(store.engine.url)
    listed = CliRunner().invoke(app, ["runs", "list", "--database", url, "-f", "json"])
    assert [r["run"] for r in orjson.loads(listed.output)] == ["monthly/2024-05", "monthly/2024-06"]
    shown = CliRunner().invoke(
        app, ["runs", "show", "monthly/2024-05", "--database", url, "-f", "json"]
    )
    (record,) = orjson.loads(shown.output)["records"]
    assert record == {
        "rule": "shizhong.exit_conditions",
        "person": "p1",
        "result": "hit",
        "conclusive": True,
        "procedure": None,
    }
    missing = CliRunner().invoke(app, ["runs", "show", "monthly/2023-01", "--database", url])
    assert missing.exit_code == 1


def test_a_run_keeps_each_hit_with_the_procedure_it_opened(tmp_path: Path) -> None:
    from governance_core.jobs.cycle_run import run_period
    from governance_core.jobs.district_inputs import read_district
    from governance_core.plugins import example_settings_file, read_settings
    from governance_core.rules.cycles import Period
    from governance_core.storage.audit import verify

    engine = Engine.load(read_settings(example_settings_file()))  # the exit list, quarterly
    store = SqlStore(f"sqlite:///{tmp_path / 'g.db'}")
    district = read_district(Engine.example_roster(), [], set())
    report = run_period(engine, Period.parse("2024Q2"), district, store)
    (opened,) = report.opened()  # 李明's 长期不履职 of 2024-04-12
    name = "shizhong.cycle/exit_dismissal/2024Q2"
    shown = CliRunner().invoke(
        app, ["runs", "show", name, "--database", str(store.engine.url), "-f", "json"]
    )
    records = orjson.loads(shown.output)["records"]
    assert [r["procedure"] for r in records if r["result"] == "hit"] == [opened.id]
    assert {r["procedure"] for r in records if r["result"] != "hit"} == {None}
    assert verify(store).ok  # the tie is part of the chained body


@pytest.mark.parametrize("tampered", ["query row", "body"])
def test_a_tampered_record_is_not_shown_as_recorded(tmp_path: Path, tampered: str) -> None:
    engine = Engine.load(plugins=["shizhong"])
    store = SqlStore(f"sqlite:///{tmp_path / 'g.db'}")
    verdicts = engine.evaluate("shizhong.exit_conditions", [dossier()], AS_OF)
    store.decisions.record_verdicts(verdicts, run="q")
    store.decisions.record_verdicts(verdicts, run="later")  # a row after it, linked to it
    with store.engine.begin() as c:
        if tampered == "query row":
            c.execute(text("UPDATE verdicts SET outcome = 'not_hit' WHERE position = 1"))
        else:
            c.execute(
                text(
                    "UPDATE events SET body = replace(body, '\"hit\"', '\"not_hit\"') "
                    "WHERE position = 1"
                )
            )
    shown = CliRunner().invoke(app, ["runs", "show", "q", "--database", str(store.engine.url)])
    assert shown.exit_code == 1 and "audit verify" in shown.output
