"""Tokens in the hash chain: every issue, change and revocation of a token is a record of kind
``token`` (docs/security.md). A token issued before this revision has no record: it is refused
at authentication and must be issued again (``governance token create``).

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "token_records",
        sa.Column("position", sa.Integer, sa.ForeignKey("events.position"), primary_key=True),
        sa.Column("token_id", sa.String(32), nullable=False),
    )
    op.create_index("token_records_by_token", "token_records", ["token_id", "position"])


def downgrade() -> None:
    op.drop_index("token_records_by_token", "token_records")
    op.drop_table("token_records")
