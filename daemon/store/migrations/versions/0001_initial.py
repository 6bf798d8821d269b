"""Initial tables: forms, response versions, people, submissions, evidence, Drive checks, scores, flags,
reviews, checkpoints, sync runs and their API-call ledger.

Revision ID: 0001
Revises:
Create Date: 2026-11-21 20:58:03.726130
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_call",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.String(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("api", sa.String(), nullable=False),
        sa.Column("method", sa.String(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("duration_ms", sa.Float(), nullable=False),
        sa.Column("request_bytes", sa.Integer(), nullable=False),
        sa.Column("response_bytes", sa.Integer(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("is_write", sa.Boolean(), nullable=False),
        sa.Column("inner_calls", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("api_call", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_call_run_id"), ["run_id"], unique=False)

    op.create_table(
        "checkpoint",
        sa.Column("form_id", sa.String(), nullable=False),
        sa.Column("watermark", sa.String(), nullable=False),
        sa.Column("full_pass_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("form_id"),
    )
    op.create_table(
        "drive_file",
        sa.Column("file_id", sa.String(), nullable=False),
        sa.Column("resource_key", sa.String(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=True),
        sa.Column("mime_type", sa.String(), nullable=True),
        sa.Column("size", sa.Integer(), nullable=True),
        sa.Column("web_view_link", sa.String(), nullable=True),
        sa.Column("modified_time", sa.String(), nullable=True),
        sa.Column("md5_checksum", sa.String(), nullable=True),
        sa.Column("via_shortcut", sa.String(), nullable=True),
        sa.Column("detail", sa.String(), nullable=False),
        sa.Column("checked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("file_id"),
    )
    op.create_table(
        "evidence_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_key", sa.String(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("original", sa.String(), nullable=False),
        sa.Column("file_id", sa.String(), nullable=True),
        sa.Column("resource_key", sa.String(), nullable=True),
        sa.Column("upload_name", sa.String(), nullable=True),
        sa.Column("upload_mime_type", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("submission_key", "position"),
    )
    with op.batch_alter_table("evidence_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evidence_item_file_id"), ["file_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_evidence_item_submission_key"), ["submission_key"], unique=False)

    op.create_table(
        "flag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_key", sa.String(), nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("detail", sa.String(), nullable=False),
        sa.Column("opened_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("closed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("flag", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_flag_submission_key"), ["submission_key"], unique=False)

    op.create_table(
        "form",
        sa.Column("form_id", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("revision_id", sa.String(), nullable=False),
        sa.Column("question_map", sa.String(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("form_id"),
    )
    op.create_table(
        "person",
        sa.Column("email", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("unit", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("staff_type", sa.String(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("email"),
    )
    op.create_table(
        "response_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("form_id", sa.String(), nullable=False),
        sa.Column("response_id", sa.String(), nullable=False),
        sa.Column("last_submitted_time", sa.String(), nullable=False),
        sa.Column("submitted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("create_time", sa.String(), nullable=False),
        sa.Column("respondent_email", sa.String(), nullable=False),
        sa.Column("raw_json", sa.String(), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.Column("withdrawn", sa.Boolean(), nullable=False),
        sa.Column("received_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("form_id", "response_id", "last_submitted_time"),
    )
    with op.batch_alter_table("response_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_response_version_form_id"), ["form_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_response_version_response_id"), ["response_id"], unique=False)

    op.create_table(
        "review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_key", sa.String(), nullable=False),
        sa.Column("decision", sa.String(), nullable=False),
        sa.Column("override_score", sa.String(), nullable=False),
        sa.Column("comment", sa.String(), nullable=False),
        sa.Column("first_seen_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("replaced_by", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_submission_key"), ["submission_key"], unique=False)

    op.create_table(
        "score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_key", sa.String(), nullable=False),
        sa.Column("indicator_code", sa.String(), nullable=False),
        sa.Column("rubric_version", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("explanation", sa.String(), nullable=False),
        sa.Column("computed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("is_current", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("score", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_score_submission_key"), ["submission_key"], unique=False)

    op.create_table(
        "submission",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("form_id", sa.String(), nullable=False),
        sa.Column("response_id", sa.String(), nullable=False),
        sa.Column("response_version_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(), nullable=False),
        sa.Column("respondent_name", sa.String(), nullable=False),
        sa.Column("indicator_code", sa.String(), nullable=True),
        sa.Column("indicator_text", sa.String(), nullable=False),
        sa.Column("round_months", sa.Integer(), nullable=True),
        sa.Column("fiscal_year", sa.Integer(), nullable=True),
        sa.Column("submitted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("value_text", sa.String(), nullable=False),
        sa.Column("note_text", sa.String(), nullable=False),
        sa.Column("date_text", sa.String(), nullable=False),
        sa.Column("steps_json", sa.String(), nullable=False),
        sa.Column("awards_json", sa.String(), nullable=False),
        sa.Column("files_attached", sa.Boolean(), nullable=False),
        sa.Column("parse_flags_json", sa.String(), nullable=False),
        sa.Column("superseded_by", sa.String(), nullable=True),
        sa.Column("withdrawn", sa.Boolean(), nullable=False),
        sa.Column("content_hash", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_submission_email"), ["email"], unique=False)
        batch_op.create_index(batch_op.f("ix_submission_form_id"), ["form_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_submission_indicator_code"), ["indicator_code"], unique=False)

    op.create_table(
        "sync_run",
        sa.Column("run_id", sa.String(), nullable=False),
        sa.Column("started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("finished_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("outcome", sa.String(), nullable=False),
        sa.Column("dry_run", sa.Boolean(), nullable=False),
        sa.Column("counts_json", sa.String(), nullable=False),
        sa.Column("api_calls", sa.Integer(), nullable=False),
        sa.Column("write_calls", sa.Integer(), nullable=False),
        sa.Column("error", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("run_id"),
    )


def downgrade() -> None:
    op.drop_table("sync_run")
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_submission_indicator_code"))
        batch_op.drop_index(batch_op.f("ix_submission_form_id"))
        batch_op.drop_index(batch_op.f("ix_submission_email"))

    op.drop_table("submission")
    with op.batch_alter_table("score", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_score_submission_key"))

    op.drop_table("score")
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_submission_key"))

    op.drop_table("review")
    with op.batch_alter_table("response_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_response_version_response_id"))
        batch_op.drop_index(batch_op.f("ix_response_version_form_id"))

    op.drop_table("response_version")
    op.drop_table("person")
    op.drop_table("form")
    with op.batch_alter_table("flag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_flag_submission_key"))

    op.drop_table("flag")
    with op.batch_alter_table("evidence_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evidence_item_submission_key"))
        batch_op.drop_index(batch_op.f("ix_evidence_item_file_id"))

    op.drop_table("evidence_item")
    op.drop_table("drive_file")
    op.drop_table("checkpoint")
    with op.batch_alter_table("api_call", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_call_run_id"))

    op.drop_table("api_call")
