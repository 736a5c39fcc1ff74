"""forms, registry, files, applications, outbox

Shared data elements and usage log; form building blocks, versioned definitions and drafts;
content-addressed files; applications with their timeline; the outbox.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 14:47:43.247175
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "form_definitions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_code", sa.String(length=40), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("checksum", sa.String(length=64), nullable=False),
        sa.Column(
            "document",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_definitions")),
        sa.UniqueConstraint(
            "scenario_code", "version", name=op.f("uq_form_definitions_scenario_code_version")
        ),
    )
    with op.batch_alter_table("form_definitions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_form_definitions_scenario_code"), ["scenario_code"], unique=False
        )

    op.create_table(
        "form_fields",
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("label", sa.String(length=80), nullable=False),
        sa.Column("label_en", sa.String(length=160), nullable=False),
        sa.Column("widget", sa.String(length=20), nullable=False),
        sa.Column("fill", sa.String(length=10), nullable=False),
        sa.Column("element_code", sa.String(length=80), nullable=False),
        sa.Column("section", sa.String(length=20), nullable=False),
        sa.Column(
            "spec",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_form_fields")),
    )
    op.create_table(
        "form_fieldsets",
        sa.Column("basic_item_code", sa.String(length=12), nullable=False),
        sa.Column(
            "content",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("basic_item_code", name=op.f("pk_form_fieldsets")),
    )
    op.create_table(
        "form_material_sources",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("database_code", sa.String(length=40), nullable=False),
        sa.Column(
            "where",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_form_material_sources")),
    )
    op.create_table(
        "outbox",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("topic", sa.String(length=60), nullable=False),
        sa.Column(
            "payload",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("available_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index("ix_outbox_pending", ["done_at", "available_at"], unique=False)

    op.create_table(
        "stored_files",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("mime", sa.String(length=40), nullable=False),
        sa.Column("pages", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_stored_files")),
    )
    op.create_table(
        "data_elements",
        sa.Column("code", sa.String(length=80), nullable=False),
        sa.Column("database_code", sa.String(length=40), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("name_en", sa.String(length=120), nullable=False),
        sa.Column("value_type", sa.String(length=20), nullable=False),
        sa.Column("owner_department_code", sa.String(length=40), nullable=False),
        sa.Column("sensitivity", sa.String(length=12), nullable=False),
        sa.Column("update_frequency", sa.String(length=12), nullable=False),
        sa.Column(
            "options",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["database_code"],
            ["thematic_databases.code"],
            name=op.f("fk_data_elements_database_code_thematic_databases"),
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_data_elements")),
    )
    with op.batch_alter_table("data_elements", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_data_elements_database_code"), ["database_code"], unique=False
        )

    op.create_table(
        "data_usage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subject_key", sa.String(length=64), nullable=False),
        sa.Column("database_code", sa.String(length=40), nullable=False),
        sa.Column(
            "elements",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("purpose", sa.String(length=12), nullable=False),
        sa.Column("actor_person_id", sa.Integer(), nullable=True),
        sa.Column("scenario_code", sa.String(length=40), nullable=False),
        sa.Column("draft_id", sa.String(length=32), nullable=False),
        sa.Column("application_no", sa.String(length=32), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_person_id"], ["persons.id"], name=op.f("fk_data_usage_actor_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_usage")),
    )
    with op.batch_alter_table("data_usage", schema=None) as batch_op:
        batch_op.create_index("ix_data_usage_subject_at", ["subject_key", "at"], unique=False)

    op.create_table(
        "applications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=True),
        sa.Column("scenario_code", sa.String(length=40), nullable=False),
        sa.Column("definition_id", sa.Integer(), nullable=False),
        sa.Column("definition_version", sa.Integer(), nullable=False),
        sa.Column("definition_checksum", sa.String(length=64), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column(
            "content",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("fields_shown", sa.Integer(), nullable=False),
        sa.Column("fields_free", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=64), nullable=False),
        sa.Column("draft_id", sa.String(length=32), nullable=False),
        sa.Column("corrections", sa.Integer(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["definition_id"],
            ["form_definitions.id"],
            name=op.f("fk_applications_definition_id_form_definitions"),
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_applications_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_applications_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_applications_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applications")),
        sa.UniqueConstraint("draft_id", name=op.f("uq_applications_draft_id")),
        sa.UniqueConstraint("number", name=op.f("uq_applications_number")),
        sa.UniqueConstraint(
            "person_id", "idempotency_key", name=op.f("uq_applications_person_id_idempotency_key")
        ),
    )
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_applications_department_id"), ["department_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_applications_enterprise_id"), ["enterprise_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_applications_person_id"), ["person_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_applications_region_code"), ["region_code"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_applications_scenario_code"), ["scenario_code"], unique=False
        )

    op.create_table(
        "form_drafts",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("enterprise_id", sa.Integer(), nullable=True),
        sa.Column("scenario_code", sa.String(length=40), nullable=False),
        sa.Column("definition_id", sa.Integer(), nullable=False),
        sa.Column(
            "answers",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "values",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "provenance",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "attachments",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("application_no", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["definition_id"],
            ["form_definitions.id"],
            name=op.f("fk_form_drafts_definition_id_form_definitions"),
        ),
        sa.ForeignKeyConstraint(
            ["enterprise_id"],
            ["enterprises.id"],
            name=op.f("fk_form_drafts_enterprise_id_enterprises"),
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["persons.id"], name=op.f("fk_form_drafts_person_id_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_form_drafts")),
    )
    with op.batch_alter_table("form_drafts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_form_drafts_enterprise_id"), ["enterprise_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_form_drafts_person_id"), ["person_id"], unique=False)

    op.create_table(
        "application_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_person_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_person_id"],
            ["persons.id"],
            name=op.f("fk_application_events_actor_person_id_persons"),
        ),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_application_events_application_id_applications"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_events")),
    )
    with op.batch_alter_table("application_events", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_application_events_application_id"), ["application_id"], unique=False
        )

    with op.batch_alter_table("shared_records", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("record_no", sa.String(length=60), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("grade", sa.String(length=1), nullable=False, server_default="A")
        )
        batch_op.drop_constraint(
            batch_op.f("uq_shared_records_database_code_subject_key"), type_="unique"
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_shared_records_database_code_subject_key_record_no"),
            ["database_code", "subject_key", "record_no"],
        )

    with op.batch_alter_table("thematic_databases", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("subject_kind", sa.String(length=12), nullable=False, server_default="person")
        )
        batch_op.add_column(
            sa.Column(
                "update_frequency", sa.String(length=12), nullable=False, server_default="daily"
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("thematic_databases", schema=None) as batch_op:
        batch_op.drop_column("update_frequency")
        batch_op.drop_column("subject_kind")

    with op.batch_alter_table("shared_records", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("uq_shared_records_database_code_subject_key_record_no"), type_="unique"
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_shared_records_database_code_subject_key"),
            ["database_code", "subject_key"],
        )
        batch_op.drop_column("grade")
        batch_op.drop_column("record_no")

    with op.batch_alter_table("application_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_application_events_application_id"))

    op.drop_table("application_events")
    with op.batch_alter_table("form_drafts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_form_drafts_person_id"))
        batch_op.drop_index(batch_op.f("ix_form_drafts_enterprise_id"))

    op.drop_table("form_drafts")
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_applications_scenario_code"))
        batch_op.drop_index(batch_op.f("ix_applications_region_code"))
        batch_op.drop_index(batch_op.f("ix_applications_person_id"))
        batch_op.drop_index(batch_op.f("ix_applications_enterprise_id"))
        batch_op.drop_index(batch_op.f("ix_applications_department_id"))

    op.drop_table("applications")
    with op.batch_alter_table("data_usage", schema=None) as batch_op:
        batch_op.drop_index("ix_data_usage_subject_at")

    op.drop_table("data_usage")
    with op.batch_alter_table("data_elements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_data_elements_database_code"))

    op.drop_table("data_elements")
    op.drop_table("stored_files")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_outbox_pending")

    op.drop_table("outbox")
    op.drop_table("form_fieldsets")
    op.drop_table("form_material_sources")
    op.drop_table("form_fields")
    with op.batch_alter_table("form_definitions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_form_definitions_scenario_code"))

    op.drop_table("form_definitions")
