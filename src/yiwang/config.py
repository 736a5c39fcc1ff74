"""Runtime configuration, read from YIWANG_* environment variables."""

from __future__ import annotations

import secrets
from functools import cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="YIWANG_", extra="ignore")

    var_dir: Path = Path("var")
    database_url: str = ""
    secret_key: str = ""
    city_name: str = "青岛市"
    city_name_en: str = "Qingdao"
    region_code: str = "370200"
    base_url: str = "http://127.0.0.1:8000"
    session_hours: int = 8
    session_idle_minutes: int = 60
    login_max_failures: int = 5
    login_window_minutes: int = 15
    log_json: bool = True
    log_level: str = "INFO"
    mail_host: str = "127.0.0.1"
    mail_port: int = 25
    mail_sender: str = "noreply@yiwang.invalid"
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    # Shared with the identity verifier (face / certificate) that raises a session to level 4 or 5.
    verifier_key: str = ""
    upload_max_mb: int = 10
    # RFC 3161 timestamp authority for seals (PAdES B-T); `yiwang sign tsa` serves a local one.
    tsa_url: str = ""
    sql_echo: bool = Field(default=False)

    @property
    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.var_dir / 'yiwang.db'}"

    @property
    def secure_cookies(self) -> bool:
        return self.base_url.startswith("https://")

    @property
    def secret_file(self) -> Path:
        return self.var_dir / "secret_key"

    def secret(self) -> str:
        if self.secret_key:
            return self.secret_key
        if self.secret_file.exists():
            return self.secret_file.read_text().strip()
        raise RuntimeError(
            "no secret key: run `yiwang init` or set YIWANG_SECRET_KEY / "
            "没有密钥：请先运行 yiwang init"
        )

    def verifier_secret(self) -> str:
        """Empty when no verifier is configured: then no session can rise above level 3."""
        if self.verifier_key:
            return self.verifier_key
        path = self.var_dir / "verifier_key"
        return path.read_text().strip() if path.exists() else ""

    def ensure_secret(self) -> bool:
        """Create var/secret_key (and the local verifier's key) when none is configured;
        True when the secret key was written."""
        written = False
        for name, configured in (
            ("secret_key", self.secret_key),
            ("verifier_key", self.verifier_key),
        ):
            path = self.var_dir / name
            if configured or path.exists():
                continue
            self.var_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
            written = written or name == "secret_key"
        return written


@cache
def get_settings() -> Settings:
    return Settings()
