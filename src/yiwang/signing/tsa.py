"""The timestamp client: seals get their RFC 3161 timestamp from the authority at
`YIWANG_TSA_URL` (a real TSA in production, `yiwang sign tsa` locally)."""

from __future__ import annotations

from pyhanko.sign.timestamps import HTTPTimeStamper

from yiwang.config import get_settings
from yiwang.kit.errors import AppError
from yiwang.kit.i18n import N_

TIMEOUT_SECONDS = 15


class TimestampUnavailable(AppError):
    status = 503
    code = "timestamp_unavailable"
    default_message = N_(
        "The timestamp service cannot be reached, so nothing was sealed. Please try again later."
    )


def timestamper(url: str | None = None) -> HTTPTimeStamper:
    """A client for `url`, or for the configured authority; a seal without a trusted time is not
    made at all, so a missing URL is an error rather than a signature without a timestamp."""
    url = get_settings().tsa_url if url is None else url
    if not url:
        raise TimestampUnavailable(
            N_("No timestamp service is configured, so nothing was sealed."),
            error_code="timestamp_not_configured",
        )
    return HTTPTimeStamper(url, timeout=TIMEOUT_SECONDS)
