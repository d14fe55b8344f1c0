"""The SQL store on SQLite: what the runtime writes survives a reopen, the version check and
request ids hold in the database, the events form a hash chain, and a newer schema is
refused. (The [store] issue adds PostgreSQL, the crash and concurrency harnesses, the audit
command and migrations.)"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import insert, select, text, update

from governance_core import Actor, Engine, StepRefusedError, VersionConflictError
from governance_core.storage import GENESIS, SqlStore, StoreError
from governance_core.storage import _schema as schema
from governance_core.storage._chain import chain_hash
from governance_core.storage.audit import replay_all, sign_head, verify

FOUR = "core.four_deliberations_two_disclosures"
AT = datetime(2024, 3, 1, 9, 0)
BRANCH = Actor("支部", frozenset({"village_party_branch"}))
COMMITTEES = Actor("两委", frozenset({"two_committees"}))


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load()


def test_what_is_written_survives_a_reopen(database: str, engine: Engine) -> None:
    runtime = engine.runtime(SqlStore(database))
    instance = runtime.start(FOUR, "修村道", BRANCH, AT, instance_id="m1", request_id="s1")
    runtime.fire(instance, "propose", BRANCH, AT, evidence={"proposal": "P"}, request_id="f1")
    with pytest.raises(StepRefusedError):
        runtime.fire(instance, "review", BRANCH, AT)
    reopened = engine.runtime(SqlStore(database))
    again = reopened.store.load("m1")
    assert (again.state, again.version) == ("proposed", 2)
    assert reopened.history("m1") == runtime.history("m1")
    assert reopened.start(FOUR, "修村道", BRANCH, AT, request_id="s1").id == "m1"
    repeated = reopened.fire(
        again, "propose", BRANCH, AT, evidence={"proposal": "P"}, request_id="f1"
    )
    assert repeated.repeated and len(reopened.history("m1")) == 2


def test_a_stale_version_is_refused_by_the_database(database: str, engine: Engine) -> None:
    runtime = engine.runtime(SqlStore(database))
    first = runtime.start(FOUR, "修村道", BRANCH, AT, instance_id="m1")
    stale = runtime.store.load("m1")
    runtime.fire(first, "propose", BRANCH, AT, evidence={"proposal": "P"})
    with pytest.raises(VersionConflictError):
        runtime.fire(stale, "propose", BRANCH, AT, evidence={"proposal": "P2"})
    assert (stale.state, stale.version) == ("raised", 1)
    assert len(runtime.history("m1")) == 2


def test_events_form_a_hash_chain(database: str, engine: Engine) -> None:
    store = SqlStore(database)
    runtime = engine.runtime(store)
    for n in range(3):
        instance = runtime.start(FOUR, f"事项{n}", BRANCH, AT)
        runtime.fire(instance, "propose", BRANCH, AT, evidence={"proposal": "P"})
        runtime.fire(instance, "deliberate", COMMITTEES, AT, evidence={"minutes": "M"})
    with store.engine.connect() as c:
        rows = c.execute(select(schema.events).order_by(schema.events.c.position)).all()
    head = verify(store).head
    previous = GENESIS
    for position, row in enumerate(rows, 1):
        assert row.position == position and row.previous_hash == previous
        state = None if row.state is None else row.state.encode("utf-8")
        assert row.hash == chain_hash(previous, row.body.encode("utf-8"), state)
        previous = row.hash
    assert (head.position, head.hash) == (len(rows), previous) == (9, rows[-1].hash)


@pytest.mark.districts
def test_deadlines_are_rows(database: str, engine: Engine) -> None:
    shizhong = Engine.load(plugins=["shizhong"])
    runtime = shizhong.runtime(SqlStore(database))
    district = Actor("区委组织部", frozenset({"district", "secretary"}))
    project = runtime.start("shizhong.secretary_project", "后村：花卉市场", district, AT)
    runtime.fire(project, "choose", district, AT, evidence={"needs_survey": "S"})
    runtime.fire(project, "arena_pitch", district, datetime(2024, 3, 20, 9))
    (due,) = runtime.due(date(2024, 4, 15))
    assert (due.deadline.step, due.deadline.last_day) == ("start_push_month", date(2024, 4, 20))


def test_a_newer_schema_is_refused(database: str) -> None:
    store = SqlStore(database)
    with store.engine.begin() as c:
        c.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(StoreError, match="schema revision 9999, newer than this library's 0013"):
        SqlStore(database)


def test_the_schema_is_made_by_the_migrations(database: str) -> None:
    from sqlalchemy import inspect

    store = SqlStore(database)
    tables = set(inspect(store.engine).get_table_names())
    assert tables >= set(schema.metadata.tables) | {"alembic_version"}
    with store.engine.connect() as c:
        assert c.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0013"
    SqlStore(database)  # opening again migrates nothing


def chained(database: str, engine: Engine) -> SqlStore:
    store = SqlStore(database)
    runtime = engine.runtime(store)
    for n in range(3):
        instance = runtime.start(FOUR, f"事项{n}", BRANCH, AT, instance_id=f"m{n}")
        runtime.fire(instance, "propose", BRANCH, AT, evidence={"proposal": "P"})
    return store


def test_an_untouched_chain_verifies(database: str, engine: Engine) -> None:
    report = verify(chained(database, engine))
    assert report.ok and report.rows == 6 and report.head.position == 6


@pytest.mark.parametrize(
    ("tamper", "position", "reason"),
    [
        (
            lambda c: c.execute(
                update(schema.events)
                .where(schema.events.c.position == 3)
                .values(body=schema.events.c.body + " ")
            ),
            3,
            "its content does not match its hash",
        ),
        (
            lambda c: c.execute(schema.events.delete().where(schema.events.c.position == 2)),
            2,
            "position 2 is missing",
        ),
        (
            lambda c: [
                c.execute(
                    update(schema.events).where(schema.events.c.position == p).values(position=q)
                )
                for p, q in ((2, 100), (3, 2), (100, 3))
            ],
            2,
            "its previous hash is not the hash of the event before it",
        ),
    ],
)
def test_an_edit_a_deletion_and_a_reordering_are_each_caught(
    database: str, engine: Engine, tamper: Any, position: int, reason: str
) -> None:
    store = chained(database, engine)
    with store.engine.begin() as c:
        tamper(c)
    report = verify(store)
    assert (report.broken_at, report.reason is not None and reason in report.reason) == (
        position,
        True,
    )


def test_a_truncation_shows_against_the_exported_head(database: str, engine: Engine) -> None:
    store = chained(database, engine)
    exported = verify(store).head
    signature = sign_head(exported, b"key kept elsewhere")
    with store.engine.begin() as c:  # the last step goes, and m2 is put back as it was before
        c.execute(schema.events.delete().where(schema.events.c.position == 6))
        before = orjson.loads(
            c.execute(
                select(schema.events.c.state).where(schema.events.c.position == 5)
            ).scalar_one()
        )
        c.execute(
            update(schema.instances)
            .where(schema.instances.c.id == "m2")
            .values(version=1, state=before["instance"]["state"])
        )
        c.execute(schema.deadlines.delete().where(schema.deadlines.c.instance == "m2"))
        for d in before["deadlines"]:
            day = d["last_day"] and date.fromisoformat(d["last_day"])
            c.execute(insert(schema.deadlines).values({**d, "last_day": day}))
    assert verify(store).ok  # a bare chain cannot tell
    report = verify(store, expected=exported)
    assert not report.ok and "no longer reaches the exported head" in (report.reason or "")
    assert sign_head(verify(store).head, b"key kept elsewhere") != signature


def test_concurrent_writers_each_transition_once_and_losers_conflict(
    database: str, engine: Engine
) -> None:
    from multiprocessing import get_context

    from tests.storage import store_workers

    runtime = engine.runtime(SqlStore(database))
    ids = [f"m{n}" for n in range(6)]
    for instance_id in ids:
        runtime.start(FOUR, instance_id, BRANCH, AT, instance_id=instance_id)
    spawn = get_context("spawn")
    barrier, queue = spawn.Barrier(4), spawn.Queue()
    workers = [
        spawn.Process(target=store_workers.race, args=(database, ids, n, barrier, queue))
        for n in range(4)
    ]
    for w in workers:
        w.start()
    results = [queue.get(timeout=120) for _ in workers]
    for w in workers:
        w.join(timeout=30)
    won = [w for ws, _ in results for w in ws]
    assert len(won) == len(set(won)) == 6 * 6  # every step of every instance exactly once
    assert sum(lost for _, lost in results) > 0
    for instance_id in ids:
        history = runtime.history(instance_id)
        assert [e.sequence for e in history] == list(range(1, 8))
        assert runtime.store.load(instance_id).state == "results_disclosed"
    assert verify(runtime.store).ok  # type: ignore[arg-type]


def moved_on(base: Engine, overlay_text: str, tmp_path: Path) -> Engine:
    overlay = tmp_path / "overlay.yaml"
    overlay.write_text(overlay_text, encoding="utf-8")
    return base.with_overlays([overlay])


PHOTO_OVERLAY = """\
overlay: {id: test.photos, title: {zh: 照片, en: Photos}, version: "2"}
processes:
  - process: core.four_deliberations_two_disclosures
    extend:
      - step: deliberate
        evidence:
          - {id: photo, title: {zh: 会议照片, en: Photo of the meeting}}
"""


def test_moving_to_a_new_definition_is_explicit(
    database: str, engine: Engine, tmp_path: Path
) -> None:
    old = engine.runtime(SqlStore(database))
    instance = old.start(FOUR, "修村道", BRANCH, AT, instance_id="m1")
    old.fire(instance, "propose", BRANCH, AT, evidence={"proposal": "P"})
    new = moved_on(engine, PHOTO_OVERLAY, tmp_path).runtime(SqlStore(database))
    copy = new.store.load("m1")
    with pytest.raises(StepRefusedError, match="migrate the instance first"):
        new.fire(copy, "deliberate", COMMITTEES, AT, evidence={"minutes": "M", "photo": "X"})
    with pytest.raises(StepRefusedError, match="a migration needs a reason"):
        new.migrate(copy, COMMITTEES, AT, reason=" ")
    moved = new.migrate(copy, COMMITTEES, AT, reason="区委组织部通知：商议须附照片")
    assert moved.event.step == "migrate" and copy.version == 3
    new.fire(copy, "deliberate", COMMITTEES, AT, evidence={"minutes": "M", "photo": "X"})
    assert replay_all(new.store) == [] and verify(new.store).ok  # type: ignore[arg-type]


@pytest.mark.districts
def test_an_unsafe_move_is_refused(database: str, tmp_path: Path) -> None:
    shizhong = Engine.load(plugins=["shizhong"])
    old = shizhong.runtime(SqlStore(database))
    district = Actor("区委组织部", frozenset({"district", "secretary", "town_committee"}))
    project = old.start("shizhong.secretary_project", "后村：花卉市场", district, AT)
    old.fire(project, "choose", district, AT, evidence={"needs_survey": "S"})
    old.fire(project, "arena_pitch", district, AT)
    old.fire(
        project,
        "monthly_feedback",
        district,
        AT,
        evidence={"liaison_opinions": "L", "feedback": "F"},
    )
    without_feedback = moved_on(
        shizhong,
        """\
overlay: {id: test.no_feedback, title: {zh: 无反馈, en: No feedback}, version: "2"}
processes:
  - process: shizhong.secretary_project
    remove:
      - {step: monthly_feedback, reason: 测试}
""",
        tmp_path,
    ).runtime(SqlStore(database))
    copy = without_feedback.store.load(project.id)
    with pytest.raises(StepRefusedError, match="does not replay under the new definition"):
        without_feedback.migrate(copy, district, AT, reason="测试")
    assert without_feedback.store.load(project.id).version == 4


def test_two_stores_on_one_database_keep_one_chain(database: str, engine: Engine) -> None:
    """Each store remembers the head it last wrote; the other's appends in between must be
    found, never chained over."""
    first, second = engine.runtime(SqlStore(database)), engine.runtime(SqlStore(database))
    a = first.start(FOUR, "甲", BRANCH, AT, instance_id="a")
    b = second.start(FOUR, "乙", BRANCH, AT, instance_id="b")
    first.fire(a, "propose", BRANCH, AT, evidence={"proposal": "P"})
    second.fire(b, "propose", BRANCH, AT, evidence={"proposal": "P"})
    first.fire(a, "deliberate", COMMITTEES, AT, evidence={"minutes": "M"})
    report = verify(first.store)  # type: ignore[arg-type]
    assert report.ok and report.rows == 5
