"""What the signatures API answers."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from yiwang.kit.i18n import both
from yiwang.signing.verify import PROBLEMS, Report, SignatureResult


class ProblemOut(BaseModel):
    code: str
    message: dict[str, str]  # {"zh": …, "en": …}


class SignatureOut(BaseModel):
    field: str
    valid: bool
    intact: bool
    trusted: bool
    signer: str
    department: str | None
    signed_at: dt.datetime | None
    timestamp_at: dt.datetime | None
    timestamp_trusted: bool
    coverage: str
    modification: str | None
    changed_after_signing: bool
    problems: list[ProblemOut]

    @classmethod
    def of(cls, s: SignatureResult) -> SignatureOut:
        data = {k: v for k, v in vars(s).items() if k != "problems"}
        problems = [ProblemOut(code=p, message=both(PROBLEMS[p])) for p in s.problems]
        return cls(**data, problems=problems)


class VerifyOut(BaseModel):
    valid: bool  # at least one signature, and every signature valid
    signatures: list[SignatureOut]

    @classmethod
    def of(cls, report: Report) -> VerifyOut:
        return cls(valid=report.valid, signatures=[SignatureOut.of(s) for s in report.signatures])
