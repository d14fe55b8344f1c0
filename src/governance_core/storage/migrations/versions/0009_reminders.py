"""Reminders and escalations in the hash chain: each is a record of kind ``reminder`` with a row
in ``reminder_records``, written with its outbox row (docs/reminders.md).

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reminder_records",
        sa.Column("position", sa.Integer, sa.ForeignKey("events.position"), primary_key=True),
        sa.Column("reminder_id", sa.String(400), nullable=False),
        sa.Column("outbox_key", sa.String(80), nullable=False),
    )
    op.create_index("reminder_records_by_id", "reminder_records", ["reminder_id"])


def downgrade() -> None:
    op.drop_index("reminder_records_by_id", "reminder_records")
    op.drop_table("reminder_records")
