"""Incidents in the hash chain: each opening, retry and resolution of an incident (a dead
delivery, an automatic step blocked, an effect that could not be applied) is a record of kind
``incident`` with a row in ``incident_records`` (docs/incidents.md).

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "incident_records",
        sa.Column("position", sa.Integer, sa.ForeignKey("events.position"), primary_key=True),
        sa.Column("incident_id", sa.String(400), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
    )
    op.create_index("incident_records_by_id", "incident_records", ["incident_id", "position"])


def downgrade() -> None:
    op.drop_index("incident_records_by_id", "incident_records")
    op.drop_table("incident_records")
