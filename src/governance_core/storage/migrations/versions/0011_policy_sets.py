"""The policy sets that decided: the manifest of each (its suppliers and the hash of every
record they supplied) is a record of kind ``policy_set``, once per digest, and each verdict and
score sheet a run records names the digest it was decided under (governance replay).

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "policy_sets",
        sa.Column("position", sa.Integer, sa.ForeignKey("events.position"), primary_key=True),
        sa.Column("digest", sa.String(64), nullable=False, unique=True),
    )


def downgrade() -> None:
    op.drop_table("policy_sets")
