"""What decides an instance's outcome is in the audit chain: ``events`` gains ``state``, the
instance's row (its subject, process, pinned definition, state) and its deadlines after the
step, as canonical JSON hashed together with the step's body.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.add_column(sa.Column("state", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("events") as batch:
        batch.drop_column("state")
