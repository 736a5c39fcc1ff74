"""Files are judged by their content: what passes, what is refused and why, in both languages."""

from __future__ import annotations

import pytest

from tests.files import samples
from yiwang.files.inspect import TooLarge, Unsupported, inspect, signature_integrity
from yiwang.kit.errors import AppError, Invalid

LIMIT = 10_000_000


def check(data: bytes) -> object:
    return inspect(data, field_name="materials.m1", max_bytes=LIMIT)


def test_a_pdf_is_accepted_with_its_page_count() -> None:
    found = check(samples.pdf(pages=3))
    assert found.mime == "application/pdf"
    assert found.pages == 3
    assert found.notes["signature"] == "none"
    assert len(found.sha256) == 64


@pytest.mark.parametrize("kind", ["PNG", "JPEG"])
def test_images_are_accepted(kind: str) -> None:
    found = check(samples.image(kind))
    assert found.mime == f"image/{kind.lower()}"
    assert found.notes["low_resolution"] is False


def test_a_small_photo_is_kept_but_flagged_low_resolution() -> None:
    assert check(samples.image("JPEG", (320, 240))).notes["low_resolution"] is True


def _refused(data: bytes, kind: type[AppError]) -> AppError:
    with pytest.raises(kind) as caught:
        check(data)
    err = caught.value
    assert err.field == "materials.m1"
    message = err.to_dict()["message"]
    assert message["zh"] and message["en"] and message["zh"] != message["en"]
    return err


def test_a_program_named_pdf_is_refused_and_called_a_program() -> None:
    err = _refused(samples.windows_program(), Unsupported)
    assert err.status == 415
    assert "program" in err.to_dict()["message"]["en"]


def test_a_decompression_bomb_is_refused_before_decoding() -> None:
    bomb = samples.png_bomb()
    assert len(bomb) < 1_000_000  # small on disk …
    err = _refused(bomb, Invalid)  # … 400 megapixels when opened
    assert err.code == "file_too_many_pixels"


def test_a_truncated_image_is_unreadable() -> None:
    data = samples.image("PNG")
    assert _refused(data[: len(data) // 2], Invalid).code == "file_unreadable"


def test_a_file_over_the_limit_is_refused() -> None:
    with pytest.raises(TooLarge) as caught:
        inspect(samples.pdf(), field_name="materials.m1", max_bytes=100)
    assert caught.value.status == 413


def test_an_empty_file_is_refused() -> None:
    assert _refused(b"", Invalid).code == "file_empty"


def test_signed_pdfs_report_their_integrity() -> None:
    signed = samples.signed_pdf()
    assert signature_integrity(signed) == "valid"
    assert check(signed).notes["signature"] == "valid"
    assert signature_integrity(samples.tampered(signed)) == "invalid"


def test_a_password_protected_pdf_is_noted() -> None:
    found = check(samples.encrypted_pdf())
    assert found.notes["encrypted"] is True
