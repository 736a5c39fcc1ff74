"""Every record of the synthetic people and enterprises, for the demo's shared data.

Pure: the keyed hash of ID numbers is passed in (accounts.service.hash_id needs the
installation secret), so the records can be generated and checked without settings or a
database. Dates of validity follow today; everything else is the same on every run.
"""

from __future__ import annotations

from collections.abc import Iterator

from yiwang.kit.timeutil import local_today
from yiwang.registry.demo_base import Ctx, HashId, RecordRow
from yiwang.registry.demo_enterprises import SynthEnterprise, enterprises
from yiwang.registry.demo_people import SynthPerson, food_safety_manager, people
from yiwang.registry.demo_records_civil import civil_records
from yiwang.registry.demo_records_enterprise import enterprise_records
from yiwang.registry.demo_records_property import property_records
from yiwang.registry.demo_records_work import work_records

__all__ = [
    "RecordRow",
    "SynthEnterprise",
    "SynthPerson",
    "enterprises",
    "food_safety_manager",
    "people",
    "records",
]


def records(hash_id: HashId) -> Iterator[RecordRow]:
    """(database, subject key, record number, data, grade) of every record: people's keyed by
    the hash of their ID number, enterprises' by their credit code."""
    ctx = Ctx(local_today(), hash_id)
    for p in people():
        yield from civil_records(p, ctx)
        yield from work_records(p, ctx)
        yield from property_records(p, ctx)
    for e in enterprises():
        yield from enterprise_records(e, ctx)
