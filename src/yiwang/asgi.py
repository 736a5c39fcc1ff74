"""Entry point for ASGI servers: `uvicorn yiwang.asgi:app`."""

from yiwang.app import create_app
from yiwang.config import get_settings
from yiwang.kit import logging as kitlog

_settings = get_settings()
kitlog.configure(_settings.log_level, _settings.log_json)
app = create_app(_settings)
