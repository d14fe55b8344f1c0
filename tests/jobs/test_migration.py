"""Migrating running instances to the version loaded now (jobs/migration.py, `governance
migrate`): states matched by id or mapped, a plan that says what moves and what cannot and
why, a dry run that predicts exactly what the migration does (a property test), each move a
chained event whose history still replays."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from governance_core import Engine
from governance_core.cli import app
from governance_core.jobs.migration import MigrationError, migrate, plan
from governance_core.runtime import SWEEPER, Actor
from governance_core.storage import SqlStore
from governance_core.storage.audit import replay_all, verify
from tests.hostile.test_audit import AT, CLERK, PROCESS

# version 2 renames "warned" to "talked"; everything else is as in version 1
V2 = (
    PROCESS.replace("    subject: person\n", "    subject: person\n    version: 2\n")
    .replace(
        "{id: warned, title: {zh: 已谈话, en: Warned}}",
        "{id: talked, title: {zh: 已谈话, en: Talked}}",
    )
    .replace("dest: warned", "dest: talked")
    .replace("sources: [warned]", "sources: [talked]")
)
DEPARTMENT = Actor("区委组织部", frozenset({"district"}))
LATER = datetime(2024, 3, 5, 9)


def _store(folder: Path, states: list[str]) -> tuple[Path, str]:
    """A store of test.warning v1 instances, the n-th left in ``states[n]``."""
    (folder / "v1.yaml").write_text(PROCESS, encoding="utf-8")
    (folder / "v2.yaml").write_text(V2, encoding="utf-8")
    url = f"sqlite:///{folder / 'governance.db'}"
    runtime = Engine.load(policies=[folder / "v1.yaml"]).runtime(SqlStore(url))
    for n, state in enumerate(states):
        instance = runtime.start("test.warning", f"p{n}", CLERK, AT, instance_id=f"w{n}")
        if state in ("warned", "closed"):
            runtime.fire(instance, "warn", CLERK, AT)
        if state == "closed":
            runtime.fire(instance, "close", SWEEPER, datetime(2024, 4, 1))
    return folder / "v2.yaml", url


def test_states_matched_by_id_move_and_a_renamed_one_needs_a_map(tmp_path: Path) -> None:
    v2, url = _store(tmp_path, ["noted", "warned", "closed"])
    engine, store = Engine.load(policies=[v2]), SqlStore(url)
    found = plan(engine, store, "test.warning", 2)
    assert [(m.instance, m.to_state) for m in found.moves] == [("w0", "noted")]
    refused = {r.instance: r.reasons for r in found.refused}
    assert "its state 'warned' no longer exists" in refused["w1"][0]
    assert "does not replay" in refused["w2"][0]  # closed, but its history names "warned"
    mapped = plan(engine, store, "test.warning", 2, states={"warned": "talked"})
    assert [(m.instance, m.state, m.to_state) for m in mapped.moves] == [
        ("w0", "noted", "noted"),
        ("w1", "warned", "talked"),
        ("w2", "closed", "closed"),
    ]
    done = migrate(engine, store, mapped, DEPARTMENT, LATER, reason="第二版")
    assert done.moves == mapped.moves and done.refused == ()
    assert store.load("w1").state == "talked" and store.load("w1").process_version == 2
    assert verify(store).ok and replay_all(store) == []
    # the moved instance goes on under version 2
    engine.runtime(store).fire(store.load("w1"), "close", SWEEPER, datetime(2024, 4, 1))
    assert replay_all(store) == []
    again = migrate(
        engine, store, plan(engine, store, "test.warning", 2), DEPARTMENT, LATER, reason="x"
    )
    assert again.moves == () and again.refused == ()  # all run under version 2 now


def test_where_chooses_by_state_or_subject(tmp_path: Path) -> None:
    v2, url = _store(tmp_path, ["noted", "noted", "warned"])
    engine, store = Engine.load(policies=[v2]), SqlStore(url)
    assert [m.instance for m in plan(engine, store, "test.warning", 2, where=["p1"]).moves] == [
        "w1"
    ]
    by_state = plan(engine, store, "test.warning", 2, where=["warned"], states={"warned": "talked"})
    assert [m.instance for m in by_state.moves] == ["w2"]


def test_a_version_not_loaded_or_a_map_to_nowhere_is_refused(tmp_path: Path) -> None:
    v2, url = _store(tmp_path, ["noted"])
    engine, store = Engine.load(policies=[v2]), SqlStore(url)
    with pytest.raises(MigrationError, match="the loaded version is 2"):
        plan(engine, store, "test.warning", 3)
    with pytest.raises(MigrationError, match="does not have: nowhere"):
        plan(engine, store, "test.warning", 2, states={"warned": "nowhere"})


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    states=st.lists(st.sampled_from(["noted", "warned", "closed"]), min_size=1, max_size=5),
    mapped=st.booleans(),
    where=st.lists(st.sampled_from(["noted", "warned", "closed", "p0", "p1"]), max_size=2),
)
def test_the_dry_run_predicts_exactly_what_the_migration_does(
    tmp_path_factory: pytest.TempPathFactory, states: list[str], mapped: bool, where: list[str]
) -> None:
    v2, url = _store(tmp_path_factory.mktemp("m"), states)
    engine, store = Engine.load(policies=[v2]), SqlStore(url)
    mapping = {"warned": "talked"} if mapped else {}
    before = store.head()
    predicted = plan(engine, store, "test.warning", 2, states=mapping, where=where)
    assert store.head() == before  # the plan writes nothing
    done = migrate(engine, store, predicted, DEPARTMENT, LATER, reason="第二版")
    assert done == predicted
    moved = {m.instance for m in done.moves}
    for instance in store.instances():
        assert (instance.process_version == 2) == (instance.id in moved)
    assert verify(store).ok and replay_all(store) == []


def test_the_command(tmp_path: Path) -> None:
    v2, url = _store(tmp_path, ["noted", "warned"])
    runner = CliRunner()
    base = ["migrate", "test.warning", "--to", "2", "--database", url, "--policy", str(v2)]
    dry = runner.invoke(app, [*base, "--dry-run", "-f", "json"])
    assert dry.exit_code == 1  # w1 cannot move without the map
    shown = orjson.loads(dry.stdout)
    assert shown["dry_run"] and [m["instance"] for m in shown["moves"]] == ["w0"]
    no_reason = runner.invoke(app, [*base, "--map", "warned=talked"])
    assert no_reason.exit_code == 2 and "--reason" in no_reason.output
    bad_map = runner.invoke(app, [*base, "--map", "warned", "--reason", "x"])
    assert bad_map.exit_code == 2 and "OLD=NEW" in bad_map.output
    done = runner.invoke(
        app, [*base, "--map", "warned=talked", "--reason", "第二版"], env={"COLUMNS": "200"}
    )
    assert done.exit_code == 0, done.output
    assert "已迁移" in done.output and SqlStore(url).load("w1").state == "talked"
