"""A new SQLite store is made from the schema template (storage/_database.py), which is read
back from the migrations themselves: the store it gives is the one alembic's run gives, table
for table, index for index, row for row (issue 36)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import create_engine

from governance_core.storage import SqlStore
from governance_core.storage._database import _alembic_config


def _schema(path: Path) -> dict[str, Any]:
    # a table's SQL text is not compared: alembic's batch migrations rebuild a table with its
    # constraints in an order that varies from run to run; what they declare is compared
    with sqlite3.connect(path) as db:
        master = db.execute(
            "SELECT type, name, tbl_name, CASE type WHEN 'table' THEN '' ELSE sql END "
            "FROM sqlite_master ORDER BY type, name"
        ).fetchall()
        tables = [name for kind, name, _t, _s in master if kind == "table"]

        def indexes(table: str) -> list[Any]:
            listed = db.execute(f'PRAGMA index_list("{table}")').fetchall()
            return sorted(
                (unique, origin, db.execute(f'PRAGMA index_info("{name}")').fetchall())
                for _seq, name, unique, origin, _partial in listed
            )

        return {
            "master": master,
            "columns": {t: db.execute(f'PRAGMA table_info("{t}")').fetchall() for t in tables},
            "keys": {t: db.execute(f'PRAGMA foreign_key_list("{t}")').fetchall() for t in tables},
            "indexes": {t: indexes(t) for t in tables},
            "rows": {t: sorted(db.execute(f'SELECT * FROM "{t}"').fetchall()) for t in tables},
        }


def _migrated(path: Path) -> None:
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        config = _alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    engine.dispose()


def test_a_store_made_from_the_template_is_the_store_the_migrations_make(tmp_path: Path) -> None:
    SqlStore(f"sqlite:///{tmp_path / 'template.db'}").engine.dispose()
    _migrated(tmp_path / "migrated.db")
    made, migrated = _schema(tmp_path / "template.db"), _schema(tmp_path / "migrated.db")
    assert made == migrated
    assert {"events", "verdicts", "alembic_version"} <= set(made["columns"])
    assert made["rows"]["alembic_version"]  # the revision is a row of the template


def test_a_store_made_from_the_template_opens_as_a_store_and_keeps_its_chain(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'g.db'}"
    first = SqlStore(url)
    assert first.head()[0] == 0
    first.engine.dispose()
    again = SqlStore(url)  # at the head revision: opened as it is
    assert again.head()[0] == 0
    again.engine.dispose()


def test_a_database_that_already_holds_tables_is_not_given_the_template(tmp_path: Path) -> None:
    # the template is for a database of its own: anything else goes through alembic, which
    # refuses or migrates as it always did
    path = tmp_path / "shared.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE their_table (x INTEGER)")
    SqlStore(f"sqlite:///{path}").engine.dispose()
    with sqlite3.connect(path) as db:
        names = {n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"their_table", "events", "alembic_version"} <= names
