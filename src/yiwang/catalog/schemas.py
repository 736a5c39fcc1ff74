"""JSON shapes of the catalogue API."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class SearchHitOut(BaseModel):
    type: Literal["item", "scenario"]
    code: str
    name: str
    name_en: str
    # A scenario spans several departments: none is named.
    department: str | None
    department_en: str | None
    score: float
