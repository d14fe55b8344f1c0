"""The tables of the SQL store (SQLAlchemy Core), the same on SQLite and PostgreSQL.

``events`` is the audit chain: ``position`` orders every event of the store, and each row
keeps the SHA-256 of its canonical JSON together with the previous row's hash; its head is the
last row. On PostgreSQL every append first locks the single row of ``chain_lock``, so the chain
has one order even with several writing processes (SQLite's BEGIN IMMEDIATE serialises
writers already). The schema's version is the alembic revision (``alembic_version``).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

__all__ = ["metadata"]

metadata = MetaData()

definitions = Table(
    "definitions",
    metadata,
    Column("hash", String(64), primary_key=True),
    Column("process", String(200), nullable=False),
    Column("version", Integer, nullable=False),
    Column("body", JSON, nullable=False),
)

instances = Table(
    "instances",
    metadata,
    Column("id", String(200), primary_key=True),
    Column("process", String(200), nullable=False),
    Column("process_version", Integer, nullable=False),
    Column("definition_hash", String(64), ForeignKey("definitions.hash"), nullable=False),
    Column("subject", String(200), nullable=False),
    Column("state", String(200), nullable=False),
    Column("version", Integer, nullable=False),
    Column("entered_on", Date, nullable=False),
)

events = Table(
    "events",
    metadata,
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("instance", String(200), ForeignKey("instances.id"), nullable=False),
    Column("sequence", Integer, nullable=False),
    Column("request_id", String(200), unique=True),
    Column("body", Text, nullable=False),  # canonical JSON, exactly as hashed
    Column("hash", String(64), nullable=False),
    Column("previous_hash", String(64), nullable=False),
    UniqueConstraint("instance", "sequence"),
)

chain_lock = Table("chain_lock", metadata, Column("id", Integer, primary_key=True))

deadlines = Table(
    "deadlines",
    metadata,
    Column("instance", String(200), ForeignKey("instances.id"), primary_key=True),
    Column("step", String(200), primary_key=True),
    Column("last_day", Date),
    Column("automatic", Boolean, nullable=False),
    Column("unknown_because", Text),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("instance", String(200), nullable=False),
    Column("sequence", Integer, nullable=False),
    Column("kind", String(100), nullable=False),
    Column("payload", JSON, nullable=False),
)
