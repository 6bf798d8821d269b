"""What normalization and the derived parts (scores and flags, the dashboard) were last computed from, so a
sync with nothing new recomputes nothing: ``form.normalized_with`` and the ``derived`` table. Both start
empty, which means stale: the first sync after the upgrade recomputes everything once.

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
    with op.batch_alter_table("form", schema=None) as batch_op:
        batch_op.add_column(sa.Column("normalized_with", sa.String(), nullable=False, server_default=""))
    op.create_table(
        "derived",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("computed_with", sa.String(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("derived")
    with op.batch_alter_table("form", schema=None) as batch_op:
        batch_op.drop_column("normalized_with")
