"""The response version each committee entry judged, so an edit after certification no longer counts as
certified. Entries stored before are taken to judge the version their submission counts now.

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
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.add_column(sa.Column("response_version_id", sa.Integer(), nullable=True))
    op.execute(
        "UPDATE review SET response_version_id = "
        "(SELECT submission.response_version_id FROM submission WHERE submission.key = review.submission_key)"
    )


def downgrade() -> None:
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_column("response_version_id")
