"""Consequences are delivered: each ``outbox`` row gains its delivery state (pending,
delivering under a lease, delivered, dead), its attempts, when it may be tried next, the last
error and when it was delivered. Existing rows are pending.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(
            sa.Column("status", sa.String(20), nullable=False, server_default="pending")
        )
        batch.add_column(sa.Column("attempts", sa.Integer, nullable=False, server_default="0"))
        batch.add_column(sa.Column("next_attempt", sa.DateTime))
        batch.add_column(sa.Column("lease_until", sa.DateTime))
        batch.add_column(sa.Column("claim", sa.String(64)))
        batch.add_column(sa.Column("last_error", sa.Text))
        batch.add_column(sa.Column("delivered_at", sa.DateTime))
    op.create_index("outbox_by_status", "outbox", ["status", "next_attempt"])


def downgrade() -> None:
    op.drop_index("outbox_by_status", "outbox")
    with op.batch_alter_table("outbox") as batch:
        for column in (
            "delivered_at",
            "last_error",
            "claim",
            "lease_until",
            "next_attempt",
            "attempts",
            "status",
        ):
            batch.drop_column(column)
