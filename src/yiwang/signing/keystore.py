"""Where the platform's private keys live.

Nothing outside a key store ever holds a private key: callers ask the store for a new key, its
public half, or a signature. That is the whole interface a PKCS#11 token offers too, so a token
can replace the file store without touching the CA or the sealing code."""

from __future__ import annotations

import base64
import contextlib
import fcntl
import hashlib
import hmac
import os
from abc import ABC, abstractmethod
from collections.abc import Iterator
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes, PublicKeyTypes

from yiwang.kit.fileio import write_atomic

DIGESTS: dict[str, type[hashes.HashAlgorithm]] = {
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


class KeyStore(ABC):
    """Named key pairs and the certificate issued for each. Keys are made inside the store."""

    @abstractmethod
    def exists(self, name: str) -> bool: ...

    @abstractmethod
    def generate(self, name: str) -> PublicKeyTypes:
        """A new ECDSA P-256 key pair under `name`, replacing any key of that name."""

    @abstractmethod
    def put(self, name: str, key: PrivateKeyTypes) -> None:
        """Take in a key made elsewhere (PKCS#12 import)."""

    @abstractmethod
    def public_key(self, name: str) -> PublicKeyTypes: ...

    @abstractmethod
    def sign(self, name: str, data: bytes, digest: str = "sha256") -> bytes:
        """ECDSA (DER-encoded) or RSA PKCS#1 v1.5 signature of `data`, by the key's type."""

    @abstractmethod
    def certificate(self, name: str) -> x509.Certificate | None: ...

    @abstractmethod
    def chain(self, name: str) -> tuple[x509.Certificate, ...]:
        """The CA certificates kept with an imported certificate (none for the platform's own)."""

    @abstractmethod
    def put_certificate(
        self, name: str, cert: x509.Certificate, chain: tuple[x509.Certificate, ...] = ()
    ) -> None: ...

    @abstractmethod
    def lock(self) -> contextlib.AbstractContextManager[None]:
        """Held while a key and its certificate are checked and made, across processes."""


def key_password(secret: str) -> bytes:
    """The key files' password, derived from the installation secret and bound to this purpose.
    Changing the secret makes the stored keys unreadable: the CA must then be made anew."""
    digest = hmac.new(secret.encode(), b"yiwang signing key files v1", hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest)


class FileKeyStore(KeyStore):
    """`<name>.key` (PKCS#8, encrypted with the best algorithm `cryptography` offers) and
    `<name>.pem` (the certificate) in one directory of mode 0700."""

    def __init__(self, root: Path, password: bytes) -> None:
        self.root = root
        self._password = password

    def key_path(self, name: str) -> Path:
        if not name or not all(c.isalnum() or c in "-_" for c in name):
            raise ValueError(f"bad key name {name!r}")
        return self.root / f"{name}.key"

    def cert_path(self, name: str) -> Path:
        return self.key_path(name).with_suffix(".pem")

    def _ensure_root(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.root.chmod(0o700)

    def exists(self, name: str) -> bool:
        return self.key_path(name).exists()

    def generate(self, name: str) -> PublicKeyTypes:
        key = ec.generate_private_key(ec.SECP256R1())
        self.put(name, key)
        return key.public_key()

    def put(self, name: str, key: PrivateKeyTypes) -> None:
        self._ensure_root()
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(self._password),
        )
        write_atomic(self.key_path(name), pem, 0o600)

    def _private(self, name: str) -> PrivateKeyTypes:
        return serialization.load_pem_private_key(
            self.key_path(name).read_bytes(), password=self._password
        )

    def public_key(self, name: str) -> PublicKeyTypes:
        return self._private(name).public_key()

    def sign(self, name: str, data: bytes, digest: str = "sha256") -> bytes:
        key = self._private(name)
        algorithm = DIGESTS[digest]()
        if isinstance(key, ec.EllipticCurvePrivateKey):
            return key.sign(data, ec.ECDSA(algorithm))
        if isinstance(key, rsa.RSAPrivateKey):
            return key.sign(data, padding.PKCS1v15(), algorithm)
        raise ValueError(f"unsupported key type {type(key).__name__}")

    def _bundle(self, name: str) -> list[x509.Certificate]:
        path = self.cert_path(name)
        return x509.load_pem_x509_certificates(path.read_bytes()) if path.exists() else []

    def certificate(self, name: str) -> x509.Certificate | None:
        return next(iter(self._bundle(name)), None)

    def chain(self, name: str) -> tuple[x509.Certificate, ...]:
        return tuple(self._bundle(name)[1:])

    def put_certificate(
        self, name: str, cert: x509.Certificate, chain: tuple[x509.Certificate, ...] = ()
    ) -> None:
        """The certificate first, then its chain, in one PEM file."""
        self._ensure_root()
        data = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in (cert, *chain))
        write_atomic(self.cert_path(name), data, 0o600)

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        self._ensure_root()
        fd = os.open(self.root / ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)
