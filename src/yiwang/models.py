"""Every domain's tables, imported once so the metadata is complete (migrations, tests)."""

from yiwang.accounts import models as accounts
from yiwang.audit import models as audit
from yiwang.catalog import models as catalog
from yiwang.db import Base
from yiwang.halls import models as halls
from yiwang.jobs import models as jobs
from yiwang.kit import workdays
from yiwang.registry import models as registry

__all__ = ["Base", "accounts", "audit", "catalog", "halls", "jobs", "registry", "workdays"]
