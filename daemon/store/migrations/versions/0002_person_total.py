"""Person-round figures (total, weighted, per category), kept so a rescore can report what a rubric change
did to them.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "person_total",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(), nullable=False),
        sa.Column("fiscal_year", sa.Integer(), nullable=False),
        sa.Column("round_months", sa.Integer(), nullable=False),
        sa.Column("item", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("person_total", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_person_total_email"), ["email"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("person_total", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_total_email"))
    op.drop_table("person_total")
