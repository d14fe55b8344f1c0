"""The first schema: definitions, instances, events (hash chain), chain lock, deadlines,
outbox.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "definitions",
        sa.Column("hash", sa.String(64), primary_key=True),
        sa.Column("process", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("body", sa.JSON, nullable=False),
    )
    op.create_table(
        "instances",
        sa.Column("id", sa.String(200), primary_key=True),
        sa.Column("process", sa.String(200), nullable=False),
        sa.Column("process_version", sa.Integer, nullable=False),
        sa.Column(
            "definition_hash", sa.String(64), sa.ForeignKey("definitions.hash"), nullable=False
        ),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("state", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("entered_on", sa.Date, nullable=False),
    )
    op.create_table(
        "events",
        sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("instance", sa.String(200), sa.ForeignKey("instances.id"), nullable=False),
        sa.Column("sequence", sa.Integer, nullable=False),
        sa.Column("request_id", sa.String(200), unique=True),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.Column("previous_hash", sa.String(64), nullable=False),
        sa.UniqueConstraint("instance", "sequence"),
    )
    chain_lock = op.create_table("chain_lock", sa.Column("id", sa.Integer, primary_key=True))
    op.bulk_insert(chain_lock, [{"id": 1}])  # the one row appends lock on PostgreSQL
    op.create_table(
        "deadlines",
        sa.Column("instance", sa.String(200), sa.ForeignKey("instances.id"), primary_key=True),
        sa.Column("step", sa.String(200), primary_key=True),
        sa.Column("last_day", sa.Date),
        sa.Column("automatic", sa.Boolean, nullable=False),
        sa.Column("unknown_because", sa.Text),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("instance", sa.String(200), nullable=False),
        sa.Column("sequence", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(100), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "outbox",
        "deadlines",
        "chain_lock",
        "events",
        "instances",
        "definitions",
    ):
        op.drop_table(table)
