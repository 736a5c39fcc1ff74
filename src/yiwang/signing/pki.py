"""The platform's own PKI: a root CA, an issuing CA under it, and the certificates the issuing CA
gives departments (seals), staff and the local timestamp authority. ECDSA P-256 throughout.

Certificates name no CRL or OCSP address: validators would try to fetch them (and fail offline),
and revocation here is a record in `signing_certificates`, not a published list."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped]
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from yiwang.config import Settings, get_settings
from yiwang.signing.keystore import FileKeyStore, KeyStore, key_password

ROOT, ISSUING, TSA = "root", "issuing", "tsa"
YEAR = dt.timedelta(days=365)
LIFETIMES = {
    "root": 20 * YEAR,
    "issuing": 10 * YEAR,
    "seal": 3 * YEAR,
    "staff": 2 * YEAR,
    "tsa": 5 * YEAR,
}
# A leaf is issued again this long before it expires, so no seal is made with a dying certificate.
RENEW_BEFORE = dt.timedelta(days=30)
# Clocks of the machines that check our signatures may lag ours a little.
BACKDATE = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class CA:
    store: KeyStore
    root: x509.Certificate
    issuing: x509.Certificate

    @property
    def chain(self) -> tuple[x509.Certificate, x509.Certificate]:
        return self.issuing, self.root


def keystore(settings: Settings | None = None) -> FileKeyStore:
    s = settings or get_settings()
    return FileKeyStore(s.var_dir / "keys", key_password(s.secret()))


def name(common_name: str, organisation: str, serial: str | None = None) -> x509.Name:
    attrs = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
    ]
    if serial:
        # Two departments (or people) may share a name; the serialNumber attribute keeps their
        # distinguished names apart.
        attrs.append(x509.NameAttribute(NameOID.SERIAL_NUMBER, serial))
    return x509.Name(attrs)


def platform_name(settings: Settings) -> str:
    return f"{settings.city_name}一网通办平台"


def fingerprint(cert: x509.Certificate) -> str:
    return cert.fingerprint(hashes.SHA256()).hex()


def asn1(cert: x509.Certificate) -> asn1_x509.Certificate:
    """The certificate as pyHanko takes it (asn1crypto)."""
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def pem(cert: x509.Certificate) -> str:
    return cert.public_bytes(serialization.Encoding.PEM).decode()


def _usage(*, sign: bool = False, ca: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=sign,
        content_commitment=sign,  # nonRepudiation: pyHanko requires it of signers
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def _signed_by(store: KeyStore, issuer: str, builder: x509.CertificateBuilder) -> x509.Certificate:
    """`cryptography` signs certificates only with a key object in memory. To let the issuer's
    key stay inside its store (or token), the certificate is built with a throwaway key of the
    same type, and the to-be-signed part is then signed by the store and reassembled."""
    if not isinstance(store.public_key(issuer), ec.EllipticCurvePublicKey):
        raise ValueError("the platform's CA keys are ECDSA keys")
    draft = builder.sign(ec.generate_private_key(ec.SECP256R1()), hashes.SHA256())
    tbs = draft.tbs_certificate_bytes
    der = asn1_x509.Certificate(
        {
            "tbs_certificate": asn1_x509.TbsCertificate.load(tbs),
            "signature_algorithm": {"algorithm": "sha256_ecdsa"},
            "signature_value": store.sign(issuer, tbs, "sha256"),
        }
    ).dump()
    return x509.load_der_x509_certificate(der)


def _builder(
    subject: x509.Name, issuer: x509.Name, public: PublicKeyTypes, lifetime: dt.timedelta
) -> x509.CertificateBuilder:
    now = dt.datetime.now(dt.UTC)
    if not isinstance(public, ec.EllipticCurvePublicKey):
        raise ValueError("the platform issues ECDSA certificates only")
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - BACKDATE)
        .not_valid_after(now + lifetime)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
    )


def _issuer_ski(issuer: x509.Certificate) -> x509.AuthorityKeyIdentifier:
    ski = issuer.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    return x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski)


def ensure_ca(settings: Settings | None = None) -> CA:
    """The root and issuing CA, made the first time and read from the key store afterwards."""
    s = settings or get_settings()
    store = keystore(s)
    root, issuing = store.certificate(ROOT), store.certificate(ISSUING)
    if root is not None and issuing is not None:
        # Files are renamed into place whole, so no lock is needed just to read them: every
        # verification passes here.
        return CA(store, root, issuing)
    org = platform_name(s)
    with store.lock():
        root = store.certificate(ROOT)
        if root is None:
            subject = name(f"{org} 根证书 Root CA", org)
            builder = (
                _builder(subject, subject, store.generate(ROOT), LIFETIMES["root"])
                .add_extension(x509.BasicConstraints(ca=True, path_length=1), critical=True)
                .add_extension(_usage(ca=True), critical=True)
            )
            root = _signed_by(store, ROOT, builder)
            store.put_certificate(ROOT, root)
        issuing = store.certificate(ISSUING)
        if issuing is None:
            subject = name(f"{org} 签章证书 Issuing CA", org)
            builder = (
                _builder(subject, root.subject, store.generate(ISSUING), LIFETIMES["issuing"])
                .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
                .add_extension(_usage(ca=True), critical=True)
                .add_extension(_issuer_ski(root), critical=False)
            )
            issuing = _signed_by(store, ROOT, builder)
            store.put_certificate(ISSUING, issuing)
    return CA(store, root, issuing)


def _leaf_builder(kind: str) -> Callable[[x509.CertificateBuilder], x509.CertificateBuilder]:
    def seal_or_staff(b: x509.CertificateBuilder) -> x509.CertificateBuilder:
        return b.add_extension(_usage(sign=True), critical=True)

    def tsa(b: x509.CertificateBuilder) -> x509.CertificateBuilder:
        # RFC 3161 §2.3: a TSA certificate has exactly this extended key usage, marked critical.
        eku = x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING])
        return b.add_extension(_usage(sign=True), critical=True).add_extension(eku, critical=True)

    return tsa if kind == "tsa" else seal_or_staff


def ensure_leaf(
    ca: CA, key_name: str, kind: str, subject: x509.Name
) -> tuple[x509.Certificate, bool]:
    """The certificate under `key_name`, issued (with a new key) when there is none, when it
    expires within RENEW_BEFORE, or when its subject or key no longer match; True when new.
    A certificate of another CA imported under that name is kept until it expires."""
    store = ca.store
    now = dt.datetime.now(dt.UTC)
    with store.lock():
        cert = store.certificate(key_name)
        if (
            cert is not None
            and cert.issuer != ca.issuing.subject
            and cert.not_valid_after_utc > now
        ):
            return cert, False
        if (
            cert is not None
            and store.exists(key_name)
            and cert.subject == subject
            and cert.not_valid_after_utc - now > RENEW_BEFORE
            and cert.public_key() == store.public_key(key_name)
        ):
            return cert, False
        builder = _builder(subject, ca.issuing.subject, store.generate(key_name), LIFETIMES[kind])
        builder = builder.add_extension(
            x509.BasicConstraints(ca=False, path_length=None), critical=True
        ).add_extension(_issuer_ski(ca.issuing), critical=False)
        cert = _signed_by(store, ISSUING, _leaf_builder(kind)(builder))
        store.put_certificate(key_name, cert)
    return cert, True


def ensure_tsa(ca: CA, settings: Settings | None = None) -> x509.Certificate:
    org = platform_name(settings or get_settings())
    return ensure_leaf(ca, TSA, "tsa", name(f"{org} 时间戳服务 TSA", org))[0]


@dataclass(frozen=True)
class Imported:
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]


def import_pkcs12(store: KeyStore, key_name: str, data: bytes, password: bytes | None) -> Imported:
    """Takes a certificate and its key from a PKCS#12 file (a seal issued by another CA, say)
    into the store under `key_name`. Raises ValueError on a wrong password or a file without
    both a key and a certificate, or whose key is not the certificate's."""
    p12 = pkcs12.load_pkcs12(data, password)
    if p12.key is None or p12.cert is None:
        raise ValueError("the PKCS#12 file must hold a private key and its certificate")
    cert = p12.cert.certificate
    if cert.public_key() != p12.key.public_key():
        raise ValueError("the private key does not belong to the certificate")
    chain = tuple(c.certificate for c in p12.additional_certs)
    with store.lock():
        store.put(key_name, p12.key)
        store.put_certificate(key_name, cert, chain)
    return Imported(cert, chain)


def describe(cert: x509.Certificate) -> dict[str, str | dt.datetime]:
    """The columns a certificate's record keeps besides its kind and owner."""
    return {
        "subject": cert.subject.rfc4514_string(),
        "serial": format(cert.serial_number, "x"),
        "not_before": cert.not_valid_before_utc,
        "not_after": cert.not_valid_after_utc,
        "fingerprint": fingerprint(cert),
        "pem": pem(cert),
    }
