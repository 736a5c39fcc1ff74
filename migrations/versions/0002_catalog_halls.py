"""catalogue, scenarios, halls, calendar overrides, job runs

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 06:57:24.241856
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calendar_overrides",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("is_workday", sa.Boolean(), nullable=False),
        sa.Column("note", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("day", name=op.f("pk_calendar_overrides")),
    )
    op.create_table(
        "catalog_domains",
        sa.Column("code", sa.String(length=30), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("name_en", sa.String(length=120), nullable=False),
        sa.Column("sort", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_catalog_domains")),
    )
    op.create_table(
        "catalog_synonyms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("phrase", sa.String(length=60), nullable=False),
        sa.Column("expansion", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_synonyms")),
        sa.UniqueConstraint("phrase", name=op.f("uq_catalog_synonyms_phrase")),
    )
    op.create_table(
        "halls",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("name_en", sa.String(length=240), nullable=False),
        sa.Column("level", sa.String(length=12), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("district_code", sa.String(length=6), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lng", sa.Float(), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("windows", sa.Integer(), nullable=False),
        sa.Column(
            "accessibility",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "weekly_hours",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("open_on_holidays", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_halls")),
        sa.UniqueConstraint("code", name=op.f("uq_halls_code")),
    )
    with op.batch_alter_table("halls", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_halls_district_code"), ["district_code"], unique=False)
        batch_op.create_index("ix_halls_lat_lng", ["lat", "lng"], unique=False)
        batch_op.create_index(batch_op.f("ix_halls_level"), ["level"], unique=False)
        batch_op.create_index(batch_op.f("ix_halls_region_code"), ["region_code"], unique=False)

    op.create_table(
        "catalog_basic_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("name_en", sa.String(length=240), nullable=False),
        sa.Column("item_type", sa.String(length=20), nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=False),
        sa.Column("exercise_level", sa.String(length=20), nullable=False),
        sa.Column("domain_code", sa.String(length=30), nullable=False),
        sa.ForeignKeyConstraint(
            ["domain_code"],
            ["catalog_domains.code"],
            name=op.f("fk_catalog_basic_items_domain_code_catalog_domains"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_basic_items")),
        sa.UniqueConstraint("code", name=op.f("uq_catalog_basic_items_code")),
    )
    with op.batch_alter_table("catalog_basic_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_catalog_basic_items_domain_code"), ["domain_code"], unique=False
        )

    op.create_table(
        "catalog_scenarios",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("name_en", sa.String(length=240), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("summary_en", sa.Text(), nullable=False),
        sa.Column("domain_code", sa.String(length=30), nullable=False),
        sa.Column(
            "applicant_types",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "tree",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("sort", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["domain_code"],
            ["catalog_domains.code"],
            name=op.f("fk_catalog_scenarios_domain_code_catalog_domains"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_scenarios")),
        sa.UniqueConstraint("code", name=op.f("uq_catalog_scenarios_code")),
    )
    with op.batch_alter_table("catalog_scenarios", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_catalog_scenarios_domain_code"), ["domain_code"], unique=False
        )

    op.create_table(
        "hall_exceptions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hall_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column(
            "hours",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("note", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["hall_id"], ["halls.id"], name=op.f("fk_hall_exceptions_hall_id_halls")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hall_exceptions")),
        sa.UniqueConstraint("hall_id", "day", name=op.f("uq_hall_exceptions_hall_id_day")),
    )
    with op.batch_alter_table("hall_exceptions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hall_exceptions_hall_id"), ["hall_id"], unique=False)

    op.create_table(
        "job_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column(
            "params",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "result",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"], ["persons.id"], name=op.f("fk_job_runs_created_by_persons")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_runs")),
    )
    with op.batch_alter_table("job_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_job_runs_kind"), ["kind"], unique=False)

    op.create_table(
        "catalog_impl_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=36), nullable=False),
        sa.Column("basic_item_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("name_en", sa.String(length=240), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=False),
        sa.Column("department_credit_code", sa.String(length=18), nullable=False),
        sa.Column("region_code", sa.String(length=12), nullable=False),
        sa.Column("acceptance_conditions", sa.Text(), nullable=False),
        sa.Column("statutory_limit", sa.Integer(), nullable=False),
        sa.Column("statutory_unit", sa.String(length=10), nullable=False),
        sa.Column("promised_limit", sa.Integer(), nullable=False),
        sa.Column("promised_unit", sa.String(length=10), nullable=False),
        sa.Column("has_fee", sa.Boolean(), nullable=False),
        sa.Column("where_to_apply", sa.Text(), nullable=False),
        sa.Column("when_to_apply", sa.Text(), nullable=False),
        sa.Column("online_depth", sa.Integer(), nullable=False),
        sa.Column("max_visits", sa.Integer(), nullable=False),
        sa.Column(
            "applicant_types",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "topics",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["basic_item_id"],
            ["catalog_basic_items.id"],
            name=op.f("fk_catalog_impl_items_basic_item_id_catalog_basic_items"),
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_catalog_impl_items_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["region_code"],
            ["regions.code"],
            name=op.f("fk_catalog_impl_items_region_code_regions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_impl_items")),
        sa.UniqueConstraint("code", name=op.f("uq_catalog_impl_items_code")),
    )
    with op.batch_alter_table("catalog_impl_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_catalog_impl_items_basic_item_id"), ["basic_item_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_catalog_impl_items_department_id"), ["department_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_catalog_impl_items_region_code"), ["region_code"], unique=False
        )

    op.create_table(
        "catalog_faqs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("impl_item_id", sa.Integer(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("sort", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["impl_item_id"],
            ["catalog_impl_items.id"],
            name=op.f("fk_catalog_faqs_impl_item_id_catalog_impl_items"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_faqs")),
    )
    with op.batch_alter_table("catalog_faqs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_catalog_faqs_impl_item_id"), ["impl_item_id"], unique=False
        )

    op.create_table(
        "catalog_fees",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("impl_item_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("amount", sa.String(length=120), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["impl_item_id"],
            ["catalog_impl_items.id"],
            name=op.f("fk_catalog_fees_impl_item_id_catalog_impl_items"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_fees")),
    )
    with op.batch_alter_table("catalog_fees", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_catalog_fees_impl_item_id"), ["impl_item_id"], unique=False
        )

    op.create_table(
        "catalog_handling_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("impl_item_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=160), nullable=False),
        sa.Column("name_en", sa.String(length=240), nullable=False),
        sa.ForeignKeyConstraint(
            ["impl_item_id"],
            ["catalog_impl_items.id"],
            name=op.f("fk_catalog_handling_items_impl_item_id_catalog_impl_items"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_handling_items")),
        sa.UniqueConstraint("code", name=op.f("uq_catalog_handling_items_code")),
    )
    with op.batch_alter_table("catalog_handling_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_catalog_handling_items_impl_item_id"), ["impl_item_id"], unique=False
        )

    op.create_table(
        "catalog_materials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("impl_item_id", sa.Integer(), nullable=False),
        sa.Column("handling_kind", sa.String(length=10), nullable=True),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=300), nullable=False),
        sa.Column("requirement", sa.String(length=12), nullable=False),
        sa.Column("condition", sa.Text(), nullable=False),
        sa.Column("form", sa.String(length=12), nullable=False),
        sa.Column("copies", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=12), nullable=False),
        sa.Column("blank_form_url", sa.String(length=300), nullable=False),
        sa.Column("sample_url", sa.String(length=300), nullable=False),
        sa.Column("standard", sa.Text(), nullable=False),
        sa.Column("sort", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["impl_item_id"],
            ["catalog_impl_items.id"],
            name=op.f("fk_catalog_materials_impl_item_id_catalog_impl_items"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_materials")),
    )
    with op.batch_alter_table("catalog_materials", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_catalog_materials_impl_item_id"), ["impl_item_id"], unique=False
        )

    op.create_table(
        "catalog_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("impl_item_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("licence_type_code", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["impl_item_id"],
            ["catalog_impl_items.id"],
            name=op.f("fk_catalog_results_impl_item_id_catalog_impl_items"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_results")),
    )
    with op.batch_alter_table("catalog_results", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_catalog_results_impl_item_id"), ["impl_item_id"], unique=False
        )

    op.create_table(
        "hall_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hall_id", sa.Integer(), nullable=False),
        sa.Column("impl_item_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["hall_id"], ["halls.id"], name=op.f("fk_hall_items_hall_id_halls")
        ),
        sa.ForeignKeyConstraint(
            ["impl_item_id"],
            ["catalog_impl_items.id"],
            name=op.f("fk_hall_items_impl_item_id_catalog_impl_items"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hall_items")),
        sa.UniqueConstraint(
            "hall_id", "impl_item_id", name=op.f("uq_hall_items_hall_id_impl_item_id")
        ),
    )
    with op.batch_alter_table("hall_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_hall_items_hall_id"), ["hall_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_hall_items_impl_item_id"), ["impl_item_id"], unique=False
        )

    op.create_table(
        "catalog_scenario_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("handling_item_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["handling_item_id"],
            ["catalog_handling_items.id"],
            name=op.f("fk_catalog_scenario_items_handling_item_id_catalog_handling_items"),
        ),
        sa.ForeignKeyConstraint(
            ["scenario_id"],
            ["catalog_scenarios.id"],
            name=op.f("fk_catalog_scenario_items_scenario_id_catalog_scenarios"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_catalog_scenario_items")),
        sa.UniqueConstraint(
            "scenario_id",
            "handling_item_id",
            name=op.f("uq_catalog_scenario_items_scenario_id_handling_item_id"),
        ),
    )
    with op.batch_alter_table("catalog_scenario_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_catalog_scenario_items_handling_item_id"),
            ["handling_item_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_catalog_scenario_items_scenario_id"), ["scenario_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("catalog_scenario_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_catalog_scenario_items_scenario_id"))
        batch_op.drop_index(batch_op.f("ix_catalog_scenario_items_handling_item_id"))

    op.drop_table("catalog_scenario_items")
    with op.batch_alter_table("hall_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hall_items_impl_item_id"))
        batch_op.drop_index(batch_op.f("ix_hall_items_hall_id"))

    op.drop_table("hall_items")
    with op.batch_alter_table("catalog_results", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_catalog_results_impl_item_id"))

    op.drop_table("catalog_results")
    with op.batch_alter_table("catalog_materials", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_catalog_materials_impl_item_id"))

    op.drop_table("catalog_materials")
    with op.batch_alter_table("catalog_handling_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_catalog_handling_items_impl_item_id"))

    op.drop_table("catalog_handling_items")
    with op.batch_alter_table("catalog_fees", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_catalog_fees_impl_item_id"))

    op.drop_table("catalog_fees")
    with op.batch_alter_table("catalog_faqs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_catalog_faqs_impl_item_id"))

    op.drop_table("catalog_faqs")
    with op.batch_alter_table("catalog_impl_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_catalog_impl_items_region_code"))
        batch_op.drop_index(batch_op.f("ix_catalog_impl_items_department_id"))
        batch_op.drop_index(batch_op.f("ix_catalog_impl_items_basic_item_id"))

    op.drop_table("catalog_impl_items")
    with op.batch_alter_table("job_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_runs_kind"))

    op.drop_table("job_runs")
    with op.batch_alter_table("hall_exceptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_hall_exceptions_hall_id"))

    op.drop_table("hall_exceptions")
    with op.batch_alter_table("catalog_scenarios", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_catalog_scenarios_domain_code"))

    op.drop_table("catalog_scenarios")
    with op.batch_alter_table("catalog_basic_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_catalog_basic_items_domain_code"))

    op.drop_table("catalog_basic_items")
    with op.batch_alter_table("halls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_halls_region_code"))
        batch_op.drop_index(batch_op.f("ix_halls_level"))
        batch_op.drop_index("ix_halls_lat_lng")
        batch_op.drop_index(batch_op.f("ix_halls_district_code"))

    op.drop_table("halls")
    op.drop_table("catalog_synonyms")
    op.drop_table("catalog_domains")
    op.drop_table("calendar_overrides")
