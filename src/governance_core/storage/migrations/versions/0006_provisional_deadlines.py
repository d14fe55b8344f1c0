"""Deadlines counted provisionally across a year whose official calendar was not published
(``provisional_year``), and the day a recount moved them from (``moved_from``):
docs/calendar.md.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deadlines") as table:
        table.add_column(sa.Column("provisional_year", sa.Integer))
        table.add_column(sa.Column("moved_from", sa.Date))


def downgrade() -> None:
    with op.batch_alter_table("deadlines") as table:
        table.drop_column("moved_from")
        table.drop_column("provisional_year")
