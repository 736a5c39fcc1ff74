"""What the applications API reads and answers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from yiwang.applications import workflow


class StepIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    opinion: str = Field(default="", max_length=workflow.OPINION_MAX)
    # 补正: exactly which fields and materials to fix.
    fields: list[str] = Field(default_factory=list, max_length=100)
    materials: list[str] = Field(default_factory=list, max_length=100)
    # 特别程序: hearing, expert or inspection.
    kind: str | None = Field(default=None, max_length=20)

    def details(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.fields:
            out["fields"] = self.fields
        if self.materials:
            out["materials"] = self.materials
        if self.kind is not None:
            out["kind"] = self.kind
        return out


class EventOut(BaseModel):
    at: dt.datetime
    action: str
    label: dict[str, str]
    status: str
    exchange_code: str
    opinion: str
    details: dict[str, Any]


class DeadlineOut(BaseModel):
    time_limit: int | None
    unit: str
    due_on: dt.date | None
    paused_days: int
    flag: str  # none | ok | near | paused | overdue | done


class ReviewOut(BaseModel):
    department: dict[str, str]
    status: str  # pending | agreed | disagreed
    opinion: str
    decided_at: dt.datetime | None


class ApplicationOut(BaseModel):
    number: str
    scenario: str
    status: str
    status_label: dict[str, str]
    exchange_code: str
    submitted_at: dt.datetime
    accepted_at: dt.datetime | None
    decided_at: dt.datetime | None
    concluded_at: dt.datetime | None
    deadline: DeadlineOut
    allowed_steps: list[str]
    join_rule: str  # all | any | a number of departments that must agree
    co_review: list[ReviewOut]
    timeline: list[EventOut]
