"""Recorded verdicts and score sheets: chained with the steps, found by their columns,
repeatable by run, and checked by the audit against their hashed bodies; and the schema the
migrations make, from nothing and from revision 0001 with data in it."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select, update

from governance_core import Actor, Engine, Roster
from governance_core.rules.scoring import read_assessment
from governance_core.storage import SqlStore
from governance_core.storage import _schema as schema
from governance_core.storage.audit import verify
from tests.storage.test_store import BRANCH, FOUR, chained, engine
from tests.support import ROOT

__all__ = ["engine"]  # a fixture shared with test_store

AS_OF = date(2024, 6, 30)
EXIT = "shizhong.exit_conditions"
QUARTER = ROOT / "plugins_contrib/shizhong/docs/example-quarter.yaml"
TOWN = Actor("镇党委", frozenset({"town_committee"}))


@pytest.mark.districts
def test_verdicts_are_recorded_whole_and_once_per_run(
    database: str, examples: Engine, example_roster: Roster
) -> None:
    store = SqlStore(database)
    verdicts = examples.evaluate(EXIT, example_roster, AS_OF)
    assert store.decisions.record_verdicts(verdicts, run="monthly/2024-06") == 4
    assert store.decisions.record_verdicts(verdicts, run="monthly/2024-06") == 0
    assert store.decisions.record_verdicts(verdicts[:1], run="monthly/2024-07") == 1
    # some recorded before: the insert is refused, and only the others are written
    assert store.decisions.record_verdicts(verdicts[:2], run="monthly/2024-08") == 2
    assert store.decisions.record_verdicts(verdicts, run="monthly/2024-08") == 2
    (hit, *_later) = store.decisions.recorded_verdicts(list_id=EXIT, person_id="p002")
    assert (hit.outcome, hit.conclusive, hit.as_of, hit.guard) == ("hit", True, AS_OF, None)
    items = {i["id"]: i for i in hit.body["verdict"]["items"]}
    assert items["long_term_non_performance"]["status"] == "met"
    assert items["long_term_non_performance"]["observations"]  # explained, as evaluated
    assert len(store.decisions.recorded_verdicts()) == 9
    report = verify(store)
    assert report.ok and report.rows == 9


@pytest.mark.districts
def test_a_guard_s_explained_verdict_follows_its_step(
    database: str, examples: Engine, example_roster: Roster
) -> None:
    store = SqlStore(database)
    runtime = examples.runtime(store, roster=example_roster)
    hits = [v for v in examples.evaluate(EXIT, example_roster, AS_OF) if v.person_id == "p002"]
    at = datetime(2024, 7, 1, 9, 0)
    (opened,) = runtime.open_procedures(hits, Actor("区委组织部"), at)
    runtime.fire(opened, "verify", TOWN, at, evidence={"verification": "V-1"})
    result = runtime.fire(opened, "dismiss", TOWN, at, evidence={"collective_study_minutes": "M-7"})
    (recorded,) = store.decisions.recorded_verdicts(person_id="p002")
    assert (recorded.instance, recorded.sequence) == (opened.id, result.event.sequence)
    assert (recorded.list_id, recorded.outcome, recorded.guard) == (
        EXIT,
        "passed",
        "condition_still_found",
    )
    listed = recorded.body["guard"]["list_verdict"]
    assert any(i["observations"] for i in listed["items"] if i["status"] == "met")
    # the event keeps the status and reason; the record after it keeps the explanation
    (stored,) = store.events(opened.id)[-1].verdicts
    assert stored.list_verdict is None and stored.reason == result.event.verdicts[0].reason
    assert verify(store).ok


@pytest.mark.districts
def test_score_sheets_are_recorded_with_grade_sheet_and_vote(
    database: str, examples: Engine
) -> None:
    read = read_assessment(QUARTER)
    policy = "shizhong.monthly_ranking"
    result = examples.assess(policy, read.entries, read.as_of)
    store = SqlStore(database)
    assert store.decisions.record_assessment(result, run="q1") == len(result.graded)
    assert store.decisions.record_assessment(result, run="q1") == 0
    sheets = {s.person_id: s for s in store.decisions.recorded_score_sheets(policy_id=policy)}
    for g in result.graded:
        s = sheets[g.person_id]
        assert (s.grade, s.place, s.conclusive) == (g.grade, g.place, g.conclusive)
        assert s.score == (None if g.score is None else str(g.score))
        assert s.body["graded"]["rule"] == g.rule
        if g.person_id in result.sheets:
            assert s.body["sheet"]["total"] == str(result.sheets[g.person_id].total)
    assert verify(store).ok


@pytest.mark.districts
@pytest.mark.parametrize(
    ("table", "change", "reason"),
    [
        (schema.verdicts, {"outcome": "not_hit"}, "its verdict row differs from its content"),
        (schema.verdicts, None, "its verdict row is missing"),
    ],
)
def test_an_edited_or_missing_record_row_is_caught(
    database: str,
    examples: Engine,
    example_roster: Roster,
    table: object,
    change: dict[str, str] | None,
    reason: str,
) -> None:
    store = SqlStore(database)
    store.decisions.record_verdicts(examples.evaluate(EXIT, example_roster, AS_OF))
    with store.engine.begin() as c:
        if change is None:
            c.execute(schema.verdicts.delete().where(schema.verdicts.c.position == 2))
        else:
            c.execute(
                update(schema.verdicts).where(schema.verdicts.c.position == 2).values(**change)
            )
    report = verify(store)
    assert (report.broken_at, report.reason) == (2, reason)


def test_a_score_sheet_row_moved_to_a_step_is_caught(database: str, engine: Engine) -> None:
    store = chained(database, engine)
    with store.engine.begin() as c:
        c.execute(
            schema.score_sheets.insert().values(
                position=1, policy_id="p", person_id="x", as_of=AS_OF, conclusive=True
            )
        )
    report = verify(store)
    assert report.broken_at == 1 and "score_sheet row has no record" in (report.reason or "")


def _alembic() -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(Path(schema.__file__).parent / "migrations"))
    return config


def test_the_migrations_make_exactly_the_declared_schema(database: str) -> None:
    store = SqlStore(database)
    with store.engine.connect() as c:
        differences = compare_metadata(MigrationContext.configure(c), schema.metadata)
    assert differences == []


def test_a_revision_0001_database_with_steps_is_upgraded_in_place(
    database: str, engine: Engine
) -> None:
    store = chained(database, engine)
    written = [store.events(f"m{n}") for n in range(3)]
    config = _alembic()
    with store.engine.begin() as c:
        config.attributes["connection"] = c
        command.downgrade(config, "0001")
    store.engine.dispose()
    reopened = SqlStore(database)  # upgrades to the head again
    with reopened.engine.connect() as c:
        kinds = set(c.execute(select(schema.events.c.kind)).scalars())
    assert kinds == {"step"}
    assert [reopened.events(f"m{n}") for n in range(3)] == written
    # below 0003 the states chained with each step are dropped, and their hashes no longer
    # verify: a downgrade loses audit evidence, which is why the states are in the chain
    report = verify(reopened)
    assert not report.ok and report.broken_at == 1
    runtime = engine.runtime(reopened)
    instance = runtime.start(FOUR, "修桥", BRANCH, datetime(2024, 3, 2, 9), instance_id="after")
    assert reopened.load(instance.id).version == 1
