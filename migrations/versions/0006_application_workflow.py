"""application workflow: decision and conclusion times, the promised limit and its clock,
review tasks of the departments reviewing in parallel and the rule that joins them, and the
department that receives a scenario's applications

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
        batch_op.add_column(
            sa.Column("join_rule", sa.String(length=12), nullable=False, server_default="all")
        )
        batch_op.add_column(sa.Column("assignee_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_applications_due_on"), ["due_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_applications_assignee_id"), ["assignee_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_applications_assignee_id_persons"), "persons", ["assignee_id"], ["id"]
        )
    with op.batch_alter_table("catalog_scenarios", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("lead_department", sa.String(length=40), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("join_rule", sa.String(length=12), nullable=False, server_default="all")
        )
    op.create_table(
        "review_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("opinion", sa.Text(), nullable=False),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_review_tasks_application_id_applications"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["persons.id"], name=op.f("fk_review_tasks_decided_by_persons")
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_review_tasks_department_id_departments"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_tasks")),
        sa.UniqueConstraint(
            "application_id",
            "department_id",
            name=op.f("uq_review_tasks_application_id_department_id"),
        ),
    )
    with op.batch_alter_table("review_tasks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_review_tasks_application_id"), ["application_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_review_tasks_department_id"), ["department_id"], unique=False
        )
    with op.batch_alter_table("application_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("details", JSON, nullable=False, server_default="{}"))
    op.execute("UPDATE applications SET status = 'review' WHERE status = 'accepted'")


def downgrade() -> None:
    op.execute("UPDATE applications SET status = 'accepted' WHERE status = 'review'")
    op.drop_table("review_tasks")
    with op.batch_alter_table("catalog_scenarios", schema=None) as batch_op:
        batch_op.drop_column("join_rule")
        batch_op.drop_column("lead_department")
    with op.batch_alter_table("application_events", schema=None) as batch_op:
        batch_op.drop_column("details")
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_applications_assignee_id_persons"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_applications_assignee_id"))
        batch_op.drop_index(batch_op.f("ix_applications_due_on"))
        for column in (
            "assignee_id",
            "join_rule",
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
