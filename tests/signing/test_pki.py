from __future__ import annotations

import datetime as dt
import stat
import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, ExtensionOID, NameOID
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import fresh_database_url
from tests.support import run_cli
from yiwang.config import get_settings
from yiwang.signing import pki, service
from yiwang.signing.keystore import FileKeyStore, key_password
from yiwang.signing.models import SigningCertificate


def test_ca_is_made_once_and_chains(ca: pki.CA, tmp_path: Path) -> None:
    again = pki.ensure_ca(get_settings())
    assert pki.fingerprint(again.root) == pki.fingerprint(ca.root)
    assert pki.fingerprint(again.issuing) == pki.fingerprint(ca.issuing)
    assert isinstance(ca.root.public_key(), ec.EllipticCurvePublicKey)
    assert ca.root.public_key().curve.name == "secp256r1"
    assert ca.root.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    issuing_bc = ca.issuing.extensions.get_extension_for_class(x509.BasicConstraints).value
    assert issuing_bc.ca and issuing_bc.path_length == 0
    # openssl, not our code, checks the chain.
    (tmp_path / "root.pem").write_text(pki.pem(ca.root))
    (tmp_path / "issuing.pem").write_text(pki.pem(ca.issuing))
    done = subprocess.run(
        ["openssl", "verify", "-CAfile", tmp_path / "root.pem", tmp_path / "issuing.pem"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


def test_keys_on_disk_are_encrypted_and_private(ca: pki.CA) -> None:
    store = pki.keystore()
    for name in (pki.ROOT, pki.ISSUING):
        path = store.key_path(name)
        data = path.read_bytes()
        assert data.startswith(b"-----BEGIN ENCRYPTED PRIVATE KEY-----")
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        with pytest.raises(TypeError):  # "password was not given but the key is encrypted"
            serialization.load_pem_private_key(data, password=None)
        with pytest.raises(ValueError, match="password"):
            serialization.load_pem_private_key(data, password=b"not the password")
        key = serialization.load_pem_private_key(
            data, password=key_password(get_settings().secret())
        )
        assert key.public_key() == store.public_key(name)
    assert stat.S_IMODE(store.root.stat().st_mode) == 0o700


def test_leaf_profiles(ca: pki.CA) -> None:
    subject = pki.name("测试局", "测试局", "370202-test")
    seal, _ = pki.ensure_leaf(ca, "seal-test-profile", "seal", subject)
    usage = seal.extensions.get_extension_for_class(x509.KeyUsage)
    assert usage.critical and usage.value.content_commitment and usage.value.digital_signature
    assert not usage.value.key_cert_sign
    assert not seal.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    # No CRL or OCSP address for validators to fetch.
    oids = {e.oid for e in seal.extensions}
    assert ExtensionOID.CRL_DISTRIBUTION_POINTS not in oids
    assert ExtensionOID.AUTHORITY_INFORMATION_ACCESS not in oids
    assert seal.issuer == ca.issuing.subject
    ca.issuing.public_key().verify(  # type: ignore[union-attr]
        seal.signature, seal.tbs_certificate_bytes, ec.ECDSA(hashes.SHA256())
    )
    assert seal.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)[0].value == "测试局"

    tsa = pki.ensure_tsa(ca)
    eku = tsa.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert eku.critical and list(eku.value) == [ExtendedKeyUsageOID.TIME_STAMPING]


def test_leaf_is_reused_then_reissued_on_rename(ca: pki.CA) -> None:
    first, new = pki.ensure_leaf(ca, "seal-test-rename", "seal", pki.name("甲局", "甲局"))
    same, again = pki.ensure_leaf(ca, "seal-test-rename", "seal", pki.name("甲局", "甲局"))
    assert new and not again and same == first
    renamed, new = pki.ensure_leaf(ca, "seal-test-rename", "seal", pki.name("乙局", "乙局"))
    assert new and renamed.serial_number != first.serial_number
    assert renamed.public_key() != first.public_key()  # a new certificate gets a new key


def make_pkcs12(
    password: bytes, holder: str = "外部签章"
) -> tuple[bytes, x509.Certificate, x509.Certificate]:
    """A PKCS#12 file with a signing key, its certificate and the certificate of the (other)
    CA that issued it."""
    now = dt.datetime.now(dt.UTC)

    def issue(
        subject: str,
        key: ec.EllipticCurvePrivateKey,
        issuer: x509.Name,
        by: ec.EllipticCurvePrivateKey,
    ) -> x509.Certificate:
        return (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(issuer)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=30))
            .sign(by, hashes.SHA256())
        )

    ca_key, key = ec.generate_private_key(ec.SECP256R1()), ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "其他 CA")])
    ca = issue("其他 CA", ca_key, ca_name, ca_key)
    cert = issue(holder, key, ca.subject, ca_key)
    data = pkcs12.serialize_key_and_certificates(
        b"seal", key, cert, [ca], serialization.BestAvailableEncryption(password)
    )
    return data, cert, ca


def test_pkcs12_import(tmp_path: Path) -> None:
    store = FileKeyStore(tmp_path / "keys", b"store password")
    data, cert, other_ca = make_pkcs12(b"p12 password")
    with pytest.raises(ValueError, match="password"):
        pki.import_pkcs12(store, "imported", data, b"wrong")
    assert not store.exists("imported")

    imported = pki.import_pkcs12(store, "imported", data, b"p12 password")
    assert imported.certificate == cert and store.certificate("imported") == cert
    assert imported.chain == (other_ca,) and store.chain("imported") == (other_ca,)
    assert store.key_path("imported").read_bytes().startswith(b"-----BEGIN ENCRYPTED")
    assert stat.S_IMODE(store.key_path("imported").stat().st_mode) == 0o600
    signature = store.sign("imported", b"document digest")
    public = cert.public_key()
    assert isinstance(public, ec.EllipticCurvePublicKey)
    public.verify(signature, b"document digest", ec.ECDSA(hashes.SHA256()))
    with pytest.raises(InvalidSignature):
        public.verify(signature, b"another digest", ec.ECDSA(hashes.SHA256()))


async def test_staff_certificate_is_recorded(session: AsyncSession, ca: pki.CA) -> None:
    from yiwang.accounts import service as accounts

    person = await accounts.find_person_by_login(session, "reviewer.shinan")
    assert person is not None
    cert = await service.staff_certificate(session, person.id)
    assert cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == person.name
    assert cert.extensions.get_extension_for_class(x509.KeyUsage).value.content_commitment
    # Asking again neither issues nor records a second certificate.
    assert await service.staff_certificate(session, person.id) == cert
    rows = (
        (
            await session.execute(
                select(SigningCertificate).where(SigningCertificate.person_id == person.id)
            )
        )
        .scalars()
        .all()
    )
    assert [(r.kind, r.fingerprint) for r in rows] == [("staff", pki.fingerprint(cert))]
    assert rows[0].serial == format(cert.serial_number, "x")
    assert rows[0].not_after == cert.not_valid_after_utc
    assert x509.load_pem_x509_certificate(rows[0].pem.encode()) == cert


def test_init_makes_the_ca(tmp_path: Path) -> None:
    url = fresh_database_url("yiwang_signing_init")
    env = {"YIWANG_DATABASE_URL": url, "YIWANG_VAR_DIR": str(tmp_path), "YIWANG_SECRET_KEY": ""}
    done = run_cli("init", env=env)
    assert done.returncode == 0, done.stderr
    keys = tmp_path / "keys"
    for name in ("root", "issuing"):
        assert stat.S_IMODE((keys / f"{name}.key").stat().st_mode) == 0o600
    root = x509.load_pem_x509_certificate((keys / "root.pem").read_bytes())
    exported = run_cli("sign", "export-ca", "-o", str(tmp_path / "ca.pem"), env=env)
    assert exported.returncode == 0, exported.stderr
    assert x509.load_pem_x509_certificate((tmp_path / "ca.pem").read_bytes()) == root
