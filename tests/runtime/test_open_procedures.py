"""Procedures opened from a list's hits are opened once per finding: the same finding seen
again next quarter opens nothing new; a new finding opens a new procedure."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import orjson
import pytest
from typer.testing import CliRunner

from governance_core import Actor, Engine, ProcessInstance
from governance_core.cli import app
from governance_core.messages import in_language
from governance_core.model import Finding
from governance_core.storage import SqlStore
from tests.support import ROOT, dossier

pytestmark = pytest.mark.districts  # every test here reads a contrib plugin

DEPARTMENT = Actor("区委组织部", frozenset({"district"}))
EXAMPLE = ROOT / "src" / "governance_core" / "examples" / "roster.yaml"


def test_the_same_finding_in_two_quarters_opens_one_procedure(tmp_path: Path) -> None:
    engine = Engine.load(plugins=["shizhong"])
    runtime = engine.runtime(SqlStore(f"sqlite:///{tmp_path / 'g.db'}"))
    finding = Finding("F1", "p1", "涉黑涉恶", date(2024, 5, 1), "镇党委")
    opened: list[ProcessInstance] = []
    for as_of in (date(2024, 9, 30), date(2024, 12, 31)):
        record = dossier(as_of=as_of, findings=(finding,))
        verdicts = engine.evaluate("shizhong.exit_conditions", [record], as_of)
        at = datetime.combine(as_of, datetime.min.time()) + timedelta(hours=9)
        opened += runtime.open_procedures(verdicts, DEPARTMENT, at)
    assert len({i.id for i in opened}) == 1 and len(list(runtime.store.instances())) == 1
    another = Finding("F2", "p1", "涉黑涉恶", date(2024, 11, 1), "镇党委")
    record = dossier(as_of=date(2024, 12, 31), findings=(finding, another))
    verdicts = engine.evaluate("shizhong.exit_conditions", [record], date(2024, 12, 31))
    runtime.open_procedures(verdicts, DEPARTMENT, datetime(2025, 1, 2, 9))
    assert len(list(runtime.store.instances())) == 2  # a new finding: a new procedure


def test_the_note_an_opening_keeps_is_in_the_records_language_whatever_the_callers() -> None:
    # a library caller gets English messages by default; the note stays in the district's
    # records, which its clerks read in Chinese
    engine = Engine.load(plugins=["shizhong"])
    runtime = engine.runtime()
    finding = Finding("F1", "p1", "涉黑涉恶", date(2024, 5, 1), "镇党委")
    record = dossier(as_of=date(2024, 9, 30), findings=(finding,))
    verdicts = engine.evaluate("shizhong.exit_conditions", [record], date(2024, 9, 30))
    with in_language("en"):
        (opened,) = runtime.open_procedures(verdicts, DEPARTMENT, datetime(2024, 10, 8, 9))
    (event,) = runtime.store.events(opened.id)
    assert event.note is not None
    assert event.note.startswith("由清单 shizhong.exit_conditions 于2024-09-30启动")
    assert event.note.endswith("；依据 F1")


def test_process_open_from_the_command_line(tmp_path: Path) -> None:
    journal = ["-j", str(tmp_path / "journal.jsonl")]
    common = [
        "process",
        "open",
        "shizhong.exit_conditions",
        str(EXAMPLE),
        "--actor",
        "区委组织部",
        "--plugin",
        "shizhong",
        "-f",
        "json",
        *journal,
    ]
    runner = CliRunner()
    first = runner.invoke(app, [*common, "--as-of", "2024-06-30", "--at", "2024-07-01T09:00"])
    assert first.exit_code == 0, first.output
    opened = orjson.loads(first.output)
    assert [i["subject"] for i in opened["opened"]] == ["p002"] and opened["already_open"] == []
    again = runner.invoke(app, [*common, "--as-of", "2024-09-30", "--at", "2024-10-01T09:00"])
    data = orjson.loads(again.output)
    assert data["opened"] == [] and [i["subject"] for i in data["already_open"]] == ["p002"]


def test_the_same_finding_opens_the_same_instance_id_in_any_store(tmp_path: Path) -> None:
    """An instance opened by a finding is named after it: a run repeated elsewhere (another
    store, a worker process) writes the same records, byte for byte."""
    engine = Engine.load(plugins=["shizhong"])
    finding = Finding("F1", "p1", "涉黑涉恶", date(2024, 5, 1), "镇党委")
    record = dossier(as_of=date(2024, 9, 30), findings=(finding,))
    verdicts = engine.evaluate("shizhong.exit_conditions", [record], date(2024, 9, 30))
    ids, heads = [], []
    for name in ("a.db", "b.db"):
        store = SqlStore(f"sqlite:///{tmp_path / name}")
        (opened,) = engine.runtime(store).open_procedures(
            verdicts, DEPARTMENT, datetime(2024, 10, 1, 9)
        )
        ids.append(opened.id)
        heads.append(store.head())
    assert ids[0] == ids[1] and ids[0].startswith("shizhong.exit_dismissal/")
    assert heads[0] == heads[1]
