"""Every domain's tables, imported once so the metadata is complete (migrations, tests)."""

from yiwang.accounts import models as accounts
from yiwang.audit import models as audit
from yiwang.db import Base
from yiwang.registry import models as registry

__all__ = ["Base", "accounts", "audit", "registry"]
