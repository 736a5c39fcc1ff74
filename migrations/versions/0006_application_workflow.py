"""application workflow: decision and conclusion times, the promised limit and its clock

The state machine's states replace "accepted" with "review" (审查), which acceptance leads to.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 19:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("concluded_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("time_limit", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("time_unit", sa.String(length=10), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("paused_days", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("clock_stopped_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("due_on", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column("resume_status", sa.String(length=16), nullable=False, server_default="")
        )
        batch_op.create_index(batch_op.f("ix_applications_due_on"), ["due_on"], unique=False)
    with op.batch_alter_table("application_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("details", JSON, nullable=False, server_default="{}"))
    op.execute("UPDATE applications SET status = 'review' WHERE status = 'accepted'")


def downgrade() -> None:
    op.execute("UPDATE applications SET status = 'accepted' WHERE status = 'review'")
    with op.batch_alter_table("application_events", schema=None) as batch_op:
        batch_op.drop_column("details")
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_applications_due_on"))
        for column in (
            "resume_status",
            "due_on",
            "clock_stopped_on",
            "paused_days",
            "time_unit",
            "time_limit",
            "concluded_at",
            "decided_at",
        ):
            batch_op.drop_column(column)
