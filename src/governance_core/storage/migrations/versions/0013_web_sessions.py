"""The workbench's signed-in sessions, shared by every worker of the service: a session's id
hashed, the token it signed in with, its forms' CSRF token, when it began and was last used.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_sessions",
        sa.Column("id_hash", sa.String(64), primary_key=True),
        sa.Column("token_id", sa.String(64), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("last_seen", sa.DateTime, nullable=False),
    )
    op.create_index("web_sessions_by_last_seen", "web_sessions", ["last_seen"])


def downgrade() -> None:
    op.drop_index("web_sessions_by_last_seen", "web_sessions")
    op.drop_table("web_sessions")
