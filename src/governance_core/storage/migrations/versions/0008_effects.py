"""Effects of decisions in the hash chain: every imposition and lifting of an effect is a record
of kind ``effect`` with a row in ``effect_records`` (docs/effects.md).

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "effect_records",
        sa.Column("position", sa.Integer, sa.ForeignKey("events.position"), primary_key=True),
        sa.Column("effect_record", sa.String(400), nullable=False),
        sa.Column("effect", sa.String(200), nullable=False),
        sa.Column("person_id", sa.String(200), nullable=False),
        sa.Column("event", sa.String(20), nullable=False),
    )
    op.create_index("effect_records_by_record", "effect_records", ["effect_record", "position"])
    op.create_index("effect_records_by_person", "effect_records", ["person_id", "position"])


def downgrade() -> None:
    op.drop_index("effect_records_by_person", "effect_records")
    op.drop_index("effect_records_by_record", "effect_records")
    op.drop_table("effect_records")
