"""一个入口: the national 事项 structure — basic catalogue → implementation list → handling items —
and the scenarios (一件事) that bundle handling items behind a question tree."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from yiwang.db import Base, utcnow


class Domain(Base):
    """One of the high-frequency domains (企业开办, 工程建设, 交通运输 …)."""

    __tablename__ = "catalog_domains"

    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    name_en: Mapped[str] = mapped_column(String(120))
    sort: Mapped[int] = mapped_column(default=0)


class BasicItem(Base):
    """基本目录: the nationally or provincially defined item."""

    __tablename__ = "catalog_basic_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(240), default="")
    item_type: Mapped[str] = mapped_column(String(20))  # 行政许可, 行政确认, 公共服务 …
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    exercise_level: Mapped[str] = mapped_column(String(20))  # 国家级 … 县级
    domain_code: Mapped[str] = mapped_column(ForeignKey("catalog_domains.code"), index=True)


class ImplItem(Base):
    """实施清单: how one department in one region implements a basic item."""

    __tablename__ = "catalog_impl_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(36), unique=True)
    basic_item_id: Mapped[int] = mapped_column(ForeignKey("catalog_basic_items.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(240), default="")
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    department_credit_code: Mapped[str] = mapped_column(String(18), default="")
    region_code: Mapped[str] = mapped_column(ForeignKey("regions.code"), index=True)
    acceptance_conditions: Mapped[str] = mapped_column(Text, default="")
    statutory_limit: Mapped[int] = mapped_column(Integer)
    statutory_unit: Mapped[str] = mapped_column(String(10))  # working | natural
    promised_limit: Mapped[int] = mapped_column(Integer)
    promised_unit: Mapped[str] = mapped_column(String(10))
    has_fee: Mapped[bool] = mapped_column(Boolean, default=False)
    where_to_apply: Mapped[str] = mapped_column(Text, default="")
    when_to_apply: Mapped[str] = mapped_column(Text, default="")
    # 1 information only … 4 全程网办 (handled entirely online).
    online_depth: Mapped[int] = mapped_column(Integer, default=1)
    max_visits: Mapped[int] = mapped_column(Integer, default=1)
    applicant_types: Mapped[dict[str, Any]]  # {"types": ["person", "enterprise"]}
    topics: Mapped[dict[str, Any]]  # {"topics": [...]}
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class HandlingItem(Base):
    """业务办理项: the case types of an implementation item (新设 / 变更 / 延续 / 注销)."""

    __tablename__ = "catalog_handling_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    impl_item_id: Mapped[int] = mapped_column(ForeignKey("catalog_impl_items.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # new | change | renew | cancel
    name: Mapped[str] = mapped_column(String(160))
    name_en: Mapped[str] = mapped_column(String(240), default="")


class Material(Base):
    __tablename__ = "catalog_materials"

    id: Mapped[int] = mapped_column(primary_key=True)
    impl_item_id: Mapped[int] = mapped_column(ForeignKey("catalog_impl_items.id"), index=True)
    # Limited to one handling item (e.g. only 变更 needs it); null for all of them.
    handling_kind: Mapped[str | None] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(300), default="")
    requirement: Mapped[str] = mapped_column(String(12))  # required | conditional
    condition: Mapped[str] = mapped_column(Text, default="")
    form: Mapped[str] = mapped_column(String(12))  # original | copy | electronic
    copies: Mapped[int] = mapped_column(Integer, default=1)
    # Where it comes from: licence (e-licence), shared (shared data), history, upload.
    source: Mapped[str] = mapped_column(String(12))
    blank_form_url: Mapped[str] = mapped_column(String(300), default="")
    sample_url: Mapped[str] = mapped_column(String(300), default="")
    standard: Mapped[str] = mapped_column(Text, default="")
    sort: Mapped[int] = mapped_column(default=0)


class Fee(Base):
    __tablename__ = "catalog_fees"

    id: Mapped[int] = mapped_column(primary_key=True)
    impl_item_id: Mapped[int] = mapped_column(ForeignKey("catalog_impl_items.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    amount: Mapped[str] = mapped_column(String(120))
    basis: Mapped[str] = mapped_column(Text, default="")


class Faq(Base):
    __tablename__ = "catalog_faqs"

    id: Mapped[int] = mapped_column(primary_key=True)
    impl_item_id: Mapped[int] = mapped_column(ForeignKey("catalog_impl_items.id"), index=True)
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    sort: Mapped[int] = mapped_column(default=0)


class Result(Base):
    """What the item produces, e.g. a licence of a given type."""

    __tablename__ = "catalog_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    impl_item_id: Mapped[int] = mapped_column(ForeignKey("catalog_impl_items.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))  # licence | approval | certificate | other
    licence_type_code: Mapped[str] = mapped_column(String(40), default="")


class Scenario(Base):
    """一件事: handling items across departments, reached through a question tree."""

    __tablename__ = "catalog_scenarios"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(240), default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    summary_en: Mapped[str] = mapped_column(Text, default="")
    domain_code: Mapped[str] = mapped_column(ForeignKey("catalog_domains.code"), index=True)
    applicant_types: Mapped[dict[str, Any]]
    # {"start": qid, "questions": {qid: {...}}, "outcomes": {oid: {...}}}; see catalog.tree.
    tree: Mapped[dict[str, Any]]
    # The department (by code) whose 综合窗口 receives the application, when one of the outcome's
    # items is its own; otherwise the outcome's first item's department receives it.
    lead_department: Mapped[str] = mapped_column(String(40), default="")
    # 并联审批: the departments of the outcome's items review in parallel; approval needs all of
    # them to agree, any one, or a number of them ("2").
    join_rule: Mapped[str] = mapped_column(String(12), default="all")
    published: Mapped[bool] = mapped_column(Boolean, default=True)
    sort: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ScenarioItem(Base):
    """The handling items a scenario bundles (the union of its outcomes)."""

    __tablename__ = "catalog_scenario_items"
    __table_args__ = (UniqueConstraint("scenario_id", "handling_item_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scenario_id: Mapped[int] = mapped_column(ForeignKey("catalog_scenarios.id"), index=True)
    handling_item_id: Mapped[int] = mapped_column(
        ForeignKey("catalog_handling_items.id"), index=True
    )


class Synonym(Base):
    """Everyday phrasing → catalogue words (开饭店 → 食品经营许可), kept by administrators."""

    __tablename__ = "catalog_synonyms"

    id: Mapped[int] = mapped_column(primary_key=True)
    phrase: Mapped[str] = mapped_column(String(60), unique=True)
    expansion: Mapped[str] = mapped_column(String(200))
