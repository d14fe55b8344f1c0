"""The manifests of the policy sets steps were taken under, by digest: each step's event names
its digest in the chain, and the manifest, kept here as definitions are, hashes to it
(governance replay).

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "policy_set_manifests",
        sa.Column("digest", sa.String(64), primary_key=True),
        sa.Column("body", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("policy_set_manifests")
