"""A step's transaction on the driver's own connection (storage/_driver.py): what the block
writes lands whole or not at all, the driver's errors are SQLAlchemy's with the parameters
(personal data) left out, and a Core statement's values are bound as SQLAlchemy binds them
(a date, a protected column), on SQLite and PostgreSQL alike."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from governance_core import Actor, Engine
from governance_core.storage import SqlStore
from governance_core.storage import _schema as schema
from governance_core.storage._chain import insert_rows
from governance_core.storage._driver import literal_sql, writing

FOUR = "core.four_deliberations_two_disclosures"
AT = datetime(2024, 3, 1, 9, 0)
_ENTERED = select(schema.instances.c.entered_on).where(
    schema.instances.c.id == bindparam("key"), schema.instances.c.entered_on == bindparam("on")
)


@pytest.fixture
def store(database: str) -> SqlStore:
    store = SqlStore(database)
    Engine.load().runtime(store).start(FOUR, "张三", Actor("a"), AT, instance_id="m1")
    return store


def _outbox_rows(store: SqlStore) -> int:
    with store.engine.connect() as c:
        return len(c.execute(select(schema.outbox.c.id)).all())


def test_a_block_that_raises_writes_nothing(store: SqlStore) -> None:
    row = {"instance": "m1", "sequence": 1, "kind": "consequence", "payload": {"a": 1}}

    def insert_then_fail() -> None:
        with writing(store.engine) as c:
            insert_rows(c, schema.outbox, [row])
            raise RuntimeError("after the insert")

    with pytest.raises(RuntimeError):
        insert_then_fail()
    assert _outbox_rows(store) == 0
    with writing(store.engine) as c:
        insert_rows(c, schema.outbox, [row])
    assert _outbox_rows(store) == 1


def test_a_driver_error_is_sqlalchemys_without_the_parameters(store: SqlStore) -> None:
    with writing(store.engine) as c:
        head = c.exec_driver_sql(literal_sql(select(schema.events.c.position), c.dialect))
        assert head.first() is not None
    secret = "370102199001011234"
    taken = {"position": 1, "kind": "step", "body": secret, "hash": "h", "previous_hash": "p"}
    with pytest.raises(IntegrityError) as raised, writing(store.engine) as c:
        insert_rows(c, schema.events, [taken])  # position 1 is the opening event's
    assert secret not in str(raised.value)
    assert "events" in str(raised.value)  # what was refused, said


def test_a_core_statement_binds_dates_and_protected_values(store: SqlStore) -> None:
    with writing(store.engine) as c:
        found = c.run(_ENTERED, {"key": "m1", "on": date(2024, 3, 1)}).scalar()
        missing = c.run(_ENTERED, {"key": "m1", "on": date(2024, 3, 2)}).first()
    assert found is not None
    assert missing is None
