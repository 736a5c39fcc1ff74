"""PAdES baseline B-T signatures with pyHanko: the department's seal certificate, the chain up to
the platform root embedded, and a timestamp on the signature from the TSA. No database here."""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.sign.fields import SigSeedSubFilter, enumerate_sig_fields
from pyhanko.sign.signers import PdfSignatureMetadata, PdfSigner, Signer
from pyhanko.sign.timestamps import TimeStamper, TimestampRequestError
from pyhanko_certvalidator.registry import SimpleCertificateStore

from yiwang.kit.errors import Invalid
from yiwang.kit.i18n import N_
from yiwang.signing import pki
from yiwang.signing.keystore import KeyStore
from yiwang.signing.tsa import TimestampUnavailable


class StoreSigner(Signer):
    """A pyHanko signer whose signatures come from a key store, so the key never leaves it."""

    def __init__(
        self,
        store: KeyStore,
        key_name: str,
        cert: x509.Certificate,
        chain: tuple[x509.Certificate, ...],
    ) -> None:
        # pyHanko leaves this constructor unannotated.
        registry = SimpleCertificateStore.from_certs(  # type: ignore[no-untyped-call]
            [pki.asn1(c) for c in chain]
        )
        super().__init__(signing_cert=pki.asn1(cert), cert_registry=registry)
        self._store, self._key_name = store, key_name
        public = cert.public_key()
        if isinstance(public, ec.EllipticCurvePublicKey):
            # DER of (r, s): two integers of the curve's size, each with a possible sign byte.
            self._size = 2 * ((public.key_size + 7) // 8 + 1) + 8
        elif isinstance(public, rsa.RSAPublicKey):
            self._size = public.key_size // 8
        else:
            raise ValueError("only ECDSA and RSA keys can seal")

    async def async_sign_raw(
        self, data: bytes, digest_algorithm: str, dry_run: bool = False
    ) -> bytes:
        if dry_run:  # pyHanko only sizes the space to reserve in the file
            return bytes(self._size)
        return self._store.sign(self._key_name, data, digest_algorithm)


@dataclass(frozen=True)
class SealRequest:
    pdf: bytes
    signer: StoreSigner
    signer_name: str
    reason: str
    location: str
    timestamper: TimeStamper


def _unreadable() -> Invalid:
    return Invalid(
        N_("The document is not a PDF that can be sealed."),
        field="pdf",
        error_code="pdf_unreadable",
    )


async def _seal(req: SealRequest) -> bytes:
    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(req.pdf))
    except (PdfError, ValueError, KeyError, TypeError):
        raise _unreadable() from None
    if writer.security_handler is not None:
        raise _unreadable()
    taken = {name for name, *_ in enumerate_sig_fields(writer)}
    field = next(f"Seal{n}" for n in range(1, len(taken) + 2) if f"Seal{n}" not in taken)
    meta = PdfSignatureMetadata(
        field_name=field,
        md_algorithm="sha256",
        reason=req.reason,
        location=req.location,
        name=req.signer_name,
        subfilter=SigSeedSubFilter.PADES,
    )
    signer = PdfSigner(meta, req.signer, timestamper=req.timestamper)
    try:
        out = await signer.async_sign_pdf(writer)
    except TimestampRequestError:
        raise TimestampUnavailable() from None
    return bytes(out.getvalue())


def seal(req: SealRequest) -> bytes:
    """Blocking: hashing the document is CPU work, so callers run this in a worker thread, where
    it gets an event loop of its own for the timestamp request."""
    return asyncio.run(_seal(req))
