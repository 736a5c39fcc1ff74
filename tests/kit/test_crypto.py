"""Sealed values (typed ID numbers): readable again only for the purpose they were sealed for."""

from __future__ import annotations

import pytest
from cryptography.exceptions import InvalidTag

from yiwang.kit.crypto import seal, unseal


def test_a_sealed_value_opens_only_for_its_purpose() -> None:
    token = seal("37020219840512978X", "form:food.manager_id")
    assert "37020219840512978X" not in token
    assert unseal(token, "form:food.manager_id") == "37020219840512978X"
    assert seal("37020219840512978X", "form:food.manager_id") != token, "a fresh nonce each time"
    with pytest.raises(InvalidTag):
        unseal(token, "form:agent.id_number")
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    with pytest.raises((InvalidTag, ValueError)):
        unseal(tampered, "form:food.manager_id")
