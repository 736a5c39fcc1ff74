"""Values sealed at rest (AES-256-GCM) under a key derived from the installation secret."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from yiwang.config import get_settings


@cache
def _key(secret: str) -> bytes:
    return hmac.new(secret.encode(), b"yiwang sealed-value key", hashlib.sha256).digest()


def seal(text: str, context: str) -> str:
    """`context` is bound into the ciphertext: a value sealed for one purpose cannot be
    replayed as another."""
    nonce = os.urandom(12)
    box = AESGCM(_key(get_settings().secret())).encrypt(nonce, text.encode(), context.encode())
    return base64.urlsafe_b64encode(nonce + box).decode()


def unseal(token: str, context: str) -> str:
    raw = base64.urlsafe_b64decode(token.encode())
    return (
        AESGCM(_key(get_settings().secret())).decrypt(raw[:12], raw[12:], context.encode()).decode()
    )
