"""The outbox: consequences delivered at least once through governance_deliver, acknowledged,
retried with back-off, dead after N failures, revived; a deliverer that crashes half-way
loses nothing, and nothing acknowledged is delivered again."""

from __future__ import annotations

import multiprocessing
import os
import signal
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import orjson
import pytest
from typer.testing import CliRunner

from governance_core import Actor, Engine
from governance_core.cli import app
from governance_core.jobs.delivery import deliver_due
from governance_core.plugins import Delivery, hookimpl
from governance_core.rules.common import Supplier, SupplierKind
from governance_core.storage import SqlStore
from governance_core.storage.audit import verify
from tests.hostile.test_audit import PROCESS

AT = datetime(2024, 3, 1, 9)
NOW = datetime(2024, 3, 2, 8)
CLERK = Actor("镇党委", frozenset({"town_committee"}))
BY = Supplier(SupplierKind.PLUGIN, "notices", "1.0")


def _deliverer(outcomes: list[Any], sent: list[tuple[int, int]]) -> Any:
    """A plugin whose n-th delivery does ``outcomes[n]`` (None: succeed; an exception: raise;
    a callable: call it)."""

    @hookimpl
    def governance_deliver(delivery: Delivery) -> None:
        sent.append((delivery.id, delivery.attempt))
        outcome = outcomes[len(sent) - 1] if len(sent) <= len(outcomes) else None
        if isinstance(outcome, BaseException):
            raise outcome
        if callable(outcome):
            outcome()

    return SimpleNamespace(governance_deliver=governance_deliver)


def _store(tmp_path: Path, plugin: Any = None) -> tuple[Engine, SqlStore]:
    policy = tmp_path / "process.yaml"
    policy.write_text(PROCESS, encoding="utf-8")
    register = [(plugin, BY)] if plugin is not None else []
    engine = Engine.load(policies=[policy], register=register)
    store = SqlStore(f"sqlite:///{tmp_path / 'governance.db'}")
    runtime = engine.runtime(store)
    for n in (1, 2):
        instance = runtime.start("test.warning", f"p{n}", CLERK, AT, instance_id=f"w{n}")
        runtime.fire(instance, "warn", CLERK, AT)
    return engine, store


def test_every_consequence_is_delivered_and_acknowledged_once(tmp_path: Path) -> None:
    sent: list[tuple[int, int]] = []
    engine, store = _store(tmp_path, _deliverer([], sent))
    report = deliver_due(engine, store, NOW)
    assert report.delivered == (1, 2) and sent == [(1, 1), (2, 1)]
    assert deliver_due(engine, store, NOW + timedelta(days=9)).delivered == ()
    assert [r.status for r in store.outbox.rows()] == ["delivered", "delivered"]
    assert verify(store).ok  # delivery state is beside the chain, the consequence in it


def test_failures_back_off_then_die_and_a_retry_revives(tmp_path: Path) -> None:
    sent: list[tuple[int, int]] = []
    down = ConnectionError("personnel system down")
    engine, store = _store(tmp_path, _deliverer([down] * 6, sent))
    minute = timedelta(minutes=1)
    first = deliver_due(engine, store, NOW, max_attempts=3)
    assert [i for i, _ in first.failed] == [1, 2] and "personnel system down" in first.failed[0][1]
    (row, _) = list(store.outbox.rows())
    assert row.status == "pending" and row.next_attempt == NOW + minute
    assert deliver_due(engine, store, NOW, max_attempts=3) == type(first)()  # backing off
    deliver_due(engine, store, NOW + minute, max_attempts=3)  # 2nd attempt, then 2 minutes
    assert next(store.outbox.rows()).next_attempt == NOW + 3 * minute
    third = deliver_due(engine, store, NOW + 3 * minute, max_attempts=3)
    assert third.dead == (1, 2) and [r.status for r in store.outbox.rows()] == ["dead"] * 2
    assert store.outbox.retry(1) and not store.outbox.retry(1)
    assert deliver_due(engine, store, NOW + 4 * minute, max_attempts=3).delivered == (1,)
    assert sent[-1] == (1, 1)  # attempts count from zero again
    # from the command line too: the store is opened to write (it was opened read-only)
    url = f"sqlite:///{tmp_path / 'governance.db'}"
    retried = CliRunner().invoke(app, ["outbox", "retry", "2", "--database", url])
    assert retried.exit_code == 0, retried.output
    assert [r.status for r in store.outbox.rows()][1] == "pending"


def _crash_after_sending(url: str, policy: str, log: str) -> None:
    """A deliverer that sends the first consequence, then dies before acknowledging it."""

    @hookimpl
    def governance_deliver(delivery: Delivery) -> None:
        with open(log, "a", encoding="utf-8") as out:
            out.write(f"{delivery.id}\n")
        os.kill(os.getpid(), signal.SIGKILL)

    plugin = SimpleNamespace(governance_deliver=governance_deliver)
    engine = Engine.load(policies=[policy], register=[(plugin, BY)])
    deliver_due(engine, SqlStore(url), NOW)


def test_a_crash_half_way_loses_nothing_and_repeats_nothing_acknowledged(tmp_path: Path) -> None:
    _engine, store = _store(tmp_path)
    log = tmp_path / "sent.log"
    child = multiprocessing.get_context("fork").Process(
        target=_crash_after_sending,
        args=(str(store.engine.url), str(tmp_path / "process.yaml"), str(log)),
    )
    child.start()
    child.join()
    assert child.exitcode == -signal.SIGKILL and log.read_text() == "1\n"
    rows = list(store.outbox.rows())
    assert [r.status for r in rows] == ["delivering", "pending"]  # sent, not acknowledged
    sent: list[tuple[int, int]] = []
    survivor = Engine.load(
        policies=[tmp_path / "process.yaml"], register=[(_deliverer([], sent), BY)]
    )
    assert deliver_due(survivor, store, NOW).delivered == (2,)  # 1 is still under its lease
    later = NOW + timedelta(minutes=11)
    assert deliver_due(survivor, store, later).delivered == (1,)  # at least once: again
    assert deliver_due(survivor, store, later + timedelta(days=1)).delivered == ()
    assert sent == [(2, 1), (1, 2)]


def test_a_lost_claim_cannot_acknowledge(tmp_path: Path) -> None:
    _engine, store = _store(tmp_path)
    mine = store.outbox.claim(NOW, timedelta(minutes=1))
    theirs = store.outbox.claim(NOW + timedelta(minutes=2), timedelta(minutes=1))
    assert mine is not None and theirs is not None and mine.id == theirs.id == 1
    assert not store.outbox.acknowledge(mine, NOW) and store.outbox.acknowledge(theirs, NOW)


def test_the_command_line(tmp_path: Path) -> None:
    _engine, store = _store(tmp_path)
    url = str(store.engine.url)
    runner = CliRunner()
    listed = runner.invoke(app, ["outbox", "list", "--database", url, "-f", "json"])
    assert listed.exit_code == 0, listed.output
    rows = orjson.loads(listed.output)
    assert [(r["id"], r["status"], r["payload"]["zh"]) for r in rows] == [
        (1, "pending", "年度考核不得评为优秀"),
        (2, "pending", "年度考核不得评为优秀"),
    ]
    nobody = runner.invoke(app, ["outbox", "deliver", "--database", url])
    assert nobody.exit_code == 2 and "governance_deliver" in nobody.output
    not_dead = runner.invoke(app, ["outbox", "retry", "1", "--database", url])
    assert not_dead.exit_code == 1
    missing = runner.invoke(app, ["outbox", "list", "--database", f"sqlite:///{tmp_path}/x.db"])
    assert missing.exit_code == 1 and not (tmp_path / "x.db").exists()


@pytest.mark.parametrize("bad", [timedelta(0), timedelta(minutes=-1)])
def test_a_back_off_must_be_positive(tmp_path: Path, bad: timedelta) -> None:
    engine, store = _store(tmp_path)
    with pytest.raises(ValueError, match="positive"):
        deliver_due(engine, store, NOW, backoff=bad)
