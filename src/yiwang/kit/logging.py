"""JSON log lines carrying the request id; anything shaped like an ID number is masked."""

from __future__ import annotations

import json
import logging
import re
import sys
import time
from contextvars import ContextVar

request_id_var: ContextVar[str] = ContextVar("request_id", default="-")

# 18-character resident IDs and 15-digit old ones, wherever they appear in a message.
_ID_PATTERN = re.compile(
    r"(?<![0-9A-Za-z])(\d{4})(\d{10}|\d{7})(\d{3}[0-9Xx]|\d{4})(?![0-9A-Za-z])"
)


def mask_ids(text: str) -> str:
    return _ID_PATTERN.sub(lambda m: m.group(1) + "*" * len(m.group(2)) + m.group(3), text)


class JsonFormatter(logging.Formatter):
    converter = staticmethod(time.gmtime)

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, object] = {
            "at": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "request_id": request_id_var.get(),
            "msg": mask_ids(record.getMessage()),
        }
        for key in ("method", "path", "status", "ms", "client"):
            if hasattr(record, key):
                data[key] = getattr(record, key)
        if record.exc_info:
            data["exc"] = mask_ids(self.formatException(record.exc_info))
        return json.dumps(data, ensure_ascii=False)


class PlainFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return mask_ids(super().format(record))


def configure(level: str = "INFO", as_json: bool = True) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(
        JsonFormatter() if as_json else PlainFormatter("%(levelname)s %(name)s %(message)s")
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        lg = logging.getLogger(name)
        lg.handlers[:] = []
        lg.propagate = True
    # Our own access line replaces uvicorn's, which would log query strings unmasked.
    logging.getLogger("uvicorn.access").disabled = True
