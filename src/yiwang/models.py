"""Every domain's tables, imported once so the metadata is complete (migrations, tests)."""

from yiwang.accounts import models as accounts
from yiwang.applications import models as applications
from yiwang.audit import models as audit
from yiwang.catalog import models as catalog
from yiwang.db import Base
from yiwang.files import models as files
from yiwang.forms import models as forms
from yiwang.halls import models as halls
from yiwang.jobs import models as jobs
from yiwang.kit import workdays
from yiwang.notify import models as notify
from yiwang.registry import models as registry
from yiwang.signing import models as signing

__all__ = [
    "Base",
    "accounts",
    "applications",
    "audit",
    "catalog",
    "files",
    "forms",
    "halls",
    "jobs",
    "notify",
    "registry",
    "signing",
    "workdays",
]
