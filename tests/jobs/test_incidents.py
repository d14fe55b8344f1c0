"""Incidents (docs/incidents.md): a step the sweep cannot take no longer stops the sweep and is
an incident; a delivery that dies is one; an effect a decision could not apply is one. Each
is opened once, retried (the cause checked again) and resolved, all chained."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from governance_core import Engine
from governance_core.cli import app
from governance_core.jobs.deliverers import channels
from governance_core.jobs.delivery import deliver_due
from governance_core.jobs.effects import of_assessment
from governance_core.jobs.incidents import of_not_applied, open_blocked, retry
from governance_core.model import Roster
from governance_core.plugins import DeliverySettings
from governance_core.storage import SqlStore
from governance_core.storage.audit import verify
from governance_core.storage.incidents import IncidentError, IncidentKind, IncidentStatus
from tests.hostile.test_audit import AT, CLERK, PROCESS
from tests.jobs.test_delivery_channels import SECRET, _checks_signature, _Receiver, receiver
from tests.rules import test_effects
from tests.rules.test_calendar import EXAMPLE_2027, NOTICE, TOWN

__all__ = ["receiver"]  # the fixture, used here

YEAR_END = datetime(2027, 1, 8, 9)  # past the provisional last day, 2027 unpublished
LATER = datetime(2024, 4, 2, 9)


def _setting(tmp_path: Path, *overlays: str) -> tuple[Engine, SqlStore]:
    """An instance of test.notice whose automatic step falls due across 2027, a year no notice
    has published (tests/rules/test_calendar.py), beside test.warning's, which does not."""
    (tmp_path / "n.yaml").write_text(NOTICE, encoding="utf-8")
    (tmp_path / "p.yaml").write_text(PROCESS, encoding="utf-8")
    (tmp_path / "y.yaml").write_text(EXAMPLE_2027, encoding="utf-8")
    engine = Engine.from_files(
        [tmp_path / "n.yaml", tmp_path / "p.yaml"], overlays=[tmp_path / o for o in overlays]
    )
    store = SqlStore(f"sqlite:///{tmp_path / 'governance.db'}")
    if not list(store.instances()):
        runtime = engine.runtime(store)
        notice = runtime.start(
            "test.notice", "p1", TOWN, datetime(2026, 12, 20, 10), instance_id="n1"
        )
        runtime.fire(notice, "decide", TOWN, datetime(2026, 12, 28, 10))
        warning = runtime.start("test.warning", "p1", CLERK, AT, instance_id="w1")
        runtime.fire(warning, "warn", CLERK, AT)
    return engine, store


def test_a_blocked_step_is_an_incident_and_the_others_are_taken(tmp_path: Path) -> None:
    engine, store = _setting(tmp_path)
    sweep = engine.runtime(store).swept(YEAR_END)
    assert [r.event.instance for r in sweep.taken] == ["w1"]
    (blocked,) = sweep.blocked
    assert (blocked.deadline.instance, blocked.provisional_year) == ("n1", 2027)
    assert open_blocked(store, sweep.blocked, YEAR_END) == 1
    again = engine.runtime(store).swept(YEAR_END)
    assert open_blocked(store, again.blocked, YEAR_END) == 0  # the same cause: opened once
    (incident,) = store.incidents.incidents()
    assert (incident.kind, incident.subject, incident.target) == (
        IncidentKind.BLOCKED_STEP,
        "p1",
        "n1/notice_ends",
    )
    assert "2027" in incident.cause
    still = retry(engine, store, incident.id, YEAR_END)
    assert (still.status, still.retries) == (IncidentStatus.OPEN, 1)
    done = store.incidents.resolve(incident.id, YEAR_END, by="镇党委", note="人工办结")
    assert (
        done.status is IncidentStatus.RESOLVED and store.incidents.incidents(open_only=True) == []
    )
    with pytest.raises(IncidentError, match="resolved already"):
        retry(engine, store, incident.id, YEAR_END)
    assert verify(store).ok


def test_a_retry_takes_the_step_once_the_year_is_published(tmp_path: Path) -> None:
    engine, store = _setting(tmp_path)
    open_blocked(store, engine.runtime(store).swept(YEAR_END).blocked, YEAR_END)
    (incident,) = store.incidents.incidents()
    published, _store = _setting(tmp_path, "y.yaml")
    resolved = retry(published, store, incident.id, YEAR_END)
    assert resolved.status is IncidentStatus.RESOLVED and resolved.resolved_by == "retry"
    assert store.load("n1").state == "done"
    assert verify(store).ok


def test_a_dead_delivery_is_an_incident_a_retry_delivers(tmp_path: Path, receiver: Any) -> None:
    engine, store = _setting(tmp_path)
    down: _Receiver = receiver(lambda body, headers: (503, b"down"))
    report = deliver_due(
        engine,
        store,
        AT,
        channels=channels(DeliverySettings(webhook=down.url, webhook_secret=SECRET)),
        max_attempts=1,
    )
    assert len(report.dead) == 1  # the warning's consequence (the notice has none)
    found = store.incidents.incidents()
    assert {i.kind for i in found} == {IncidentKind.DEAD_LETTER} and len(found) == 1
    assert {i.subject for i in found} == {"p1"} and "503" in found[0].cause
    up: _Receiver = receiver(_checks_signature)
    through = channels(DeliverySettings(webhook=up.url, webhook_secret=SECRET))
    resolved = retry(engine, store, found[0].id, LATER, channels=through)
    assert resolved.status is IncidentStatus.RESOLVED and len(up.seen) >= 1
    assert verify(store).ok


def test_an_effect_not_applied_is_an_incident_a_roster_with_the_post_resolves(
    tmp_path: Path,
) -> None:
    (tmp_path / "policy.yaml").write_text(test_effects.POLICY, encoding="utf-8")
    engine = Engine.from_files([tmp_path / "policy.yaml"])
    store = SqlStore(f"sqlite:///{tmp_path / 'governance.db'}")
    result = engine.assess("t.bottom", test_effects.ENTRIES, test_effects.DAY)
    imposed = of_assessment(engine, result, "run/q3", Roster(people=test_effects.ROSTER.people))
    (missed,) = imposed.not_applied
    store.incidents.open([of_not_applied(missed, datetime(2024, 9, 30))])
    (incident,) = store.incidents.incidents()
    assert incident.kind is IncidentKind.EFFECT_NOT_APPLIED and incident.subject == "p3"
    without = retry(engine, store, incident.id, LATER)
    assert without.status is IncidentStatus.OPEN and "--roster" in without.cause
    done = retry(engine, store, incident.id, LATER, roster=test_effects.ROSTER)
    assert done.status is IncidentStatus.RESOLVED
    (lagging,) = [r.effect for r in store.effects.effects()]
    assert (lagging.effect, lagging.organisation, lagging.starts) == (
        "t.lagging",
        "v3",
        date(2024, 9, 30),
    )


def test_the_commands(tmp_path: Path) -> None:
    _engine, store = _setting(tmp_path)
    url = f"sqlite:///{tmp_path / 'governance.db'}"
    policies = [f"--policy={tmp_path / n}" for n in ("n.yaml", "p.yaml")]
    runner = CliRunner()
    swept = runner.invoke(app, ["sweep", "--until", "2027-01-08", "--database", url, *policies])
    assert swept.exit_code == 0 and "n1/notice_ends" in swept.output
    listed = runner.invoke(app, ["incidents", "--database", url], env={"COLUMNS": "200"})
    assert listed.exit_code == 0 and "步骤受阻" in listed.output and "未结" in listed.output
    (incident,) = store.incidents.incidents()
    again = runner.invoke(app, ["incidents", "retry", incident.id, "--database", url, *policies])
    assert again.exit_code == 1  # the cause remains: 2027 is still unpublished
    resolve = ["incidents", "resolve", incident.id, "--by", "镇党委", "--note", "办结"]
    assert runner.invoke(app, [*resolve, "--database", url]).exit_code == 0
    twice = runner.invoke(app, [*resolve, "--database", url])
    assert twice.exit_code == 1 and "已经解决" in twice.output and "Traceback" not in twice.output
    unknown = runner.invoke(
        app, ["incidents", "resolve", "nope", "--by", "x", "--note", "y", "--database", url]
    )
    assert unknown.exit_code == 1 and "nope" in unknown.output
    assert (
        runner.invoke(app, ["incidents", "--all", "--database", url, "-f", "json"]).exit_code == 0
    )
