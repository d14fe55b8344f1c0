"""Recorded runs: what each run recorded (verdicts, score sheets) is found again by its name."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import orjson
from typer.testing import CliRunner

from governance_core import Engine
from governance_core.cli import app
from governance_core.runtime.storage import SqlStore

from .conftest import AS_OF, dossier


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
    assert record == {"rule": "shizhong.exit_conditions", "person": "p1", "result": "hit",
                      "conclusive": True}  # fmt: skip
    missing = CliRunner().invoke(app, ["runs", "show", "monthly/2023-01", "--database", url])
    assert missing.exit_code == 1
