"""Recorded verdicts and score sheets in the audit chain: ``events`` gains ``kind`` (its
existing rows are steps) and its instance and sequence become optional; ``verdicts`` and
``score_sheets`` hold the columns to query those records by.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch: SQLite rebuilds the table to change a column's nullability
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("kind", sa.String(20), nullable=False, server_default="step"))
        batch.alter_column("instance", existing_type=sa.String(200), nullable=True)
        batch.alter_column("sequence", existing_type=sa.Integer, nullable=True)
    op.create_table(
        "verdicts",
        sa.Column("position", sa.Integer, sa.ForeignKey("events.position"), primary_key=True),
        sa.Column("list_id", sa.String(200)),
        sa.Column("person_id", sa.String(200), nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("outcome", sa.String(40), nullable=False),
        sa.Column("conclusive", sa.Boolean, nullable=False),
        sa.Column("instance", sa.String(200)),
        sa.Column("sequence", sa.Integer),
        sa.Column("guard", sa.String(200)),
    )
    op.create_index("verdicts_by_list", "verdicts", ["list_id", "person_id", "as_of"])
    op.create_table(
        "score_sheets",
        sa.Column("position", sa.Integer, sa.ForeignKey("events.position"), primary_key=True),
        sa.Column("policy_id", sa.String(200), nullable=False),
        sa.Column("person_id", sa.String(200), nullable=False),
        sa.Column("as_of", sa.Date, nullable=False),
        sa.Column("score", sa.String(60)),
        sa.Column("place", sa.Integer),
        sa.Column("grade", sa.String(100)),
        sa.Column("conclusive", sa.Boolean, nullable=False),
    )
    op.create_index("score_sheets_by_policy", "score_sheets", ["policy_id", "person_id", "as_of"])


def downgrade() -> None:
    op.drop_table("score_sheets")
    op.drop_table("verdicts")
    with op.batch_alter_table("events") as batch:
        batch.alter_column("sequence", existing_type=sa.Integer, nullable=False)
        batch.alter_column("instance", existing_type=sa.String(200), nullable=False)
        batch.drop_column("kind")
