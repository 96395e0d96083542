"""Envelope encryption of personal data: a data key per customer, wrapped by a master key.

Every customer gets a random 256-bit data key; personal fields are AES-GCM ciphertexts under it
(``nonce || ciphertext+tag``), bound to the customer and the field by the associated data so a
ciphertext cannot be moved to another row. The data key is stored only wrapped (AES-GCM under
the master key from the settings). Destroying the wrapped key makes every ciphertext of that
customer unreadable (crypto-shredding).
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from lotone.errors import LotoneError

__all__ = ["DataKey", "Shredded", "Vault"]

_NONCE = 12


class Shredded(LotoneError):
    """The data key is gone (the customer was erased) or a ciphertext does not verify."""


@dataclass(frozen=True, slots=True)
class DataKey:
    """A customer's data key in the clear (lives only in memory, for one request)."""

    owner: str
    key: bytes

    def seal(self, field: str, data: object) -> bytes:
        """``data`` as JSON, encrypted and bound to (owner, field)."""
        nonce = os.urandom(_NONCE)
        plain = json.dumps(data, separators=(",", ":"), sort_keys=True).encode("utf-8")
        return nonce + AESGCM(self.key).encrypt(nonce, plain, _aad(self.owner, field))

    def open(self, field: str, blob: bytes) -> object:
        """The JSON value sealed by :meth:`seal`; raises :class:`Shredded` if it does not verify."""
        try:
            plain = AESGCM(self.key).decrypt(blob[:_NONCE], blob[_NONCE:], _aad(self.owner, field))
        except InvalidTag:
            raise Shredded(f"{field} of customer {self.owner} cannot be decrypted") from None
        return json.loads(plain)


class Vault:
    """Makes and unwraps data keys with the master key (32 bytes, from the settings)."""

    def __init__(self, master_key: bytes) -> None:
        if len(master_key) != 32:
            raise LotoneError(
                f"the master key must be 32 bytes, got {len(master_key)} "
                "(hint: set LOTONE_MASTER_KEY to 64 hex digits)"
            )
        self._master = AESGCM(master_key)

    def new_key(self, owner: str) -> tuple[DataKey, bytes]:
        """A fresh data key for ``owner`` and its wrapped form to store."""
        key = AESGCM.generate_key(bit_length=256)
        nonce = os.urandom(_NONCE)
        wrapped = nonce + self._master.encrypt(nonce, key, _aad(owner, "data-key"))
        return DataKey(owner, key), wrapped

    def unwrap(self, owner: str, wrapped: bytes | None) -> DataKey:
        """The data key of ``owner``; :class:`Shredded` when it was destroyed."""
        if wrapped is None:
            raise Shredded(f"the data key of customer {owner} was destroyed (erased)")
        try:
            key = self._master.decrypt(wrapped[:_NONCE], wrapped[_NONCE:], _aad(owner, "data-key"))
        except InvalidTag:
            raise Shredded(f"the data key of customer {owner} does not verify") from None
        return DataKey(owner, key)


def _aad(owner: str, field: str) -> bytes:
    return f"lotone:{owner}:{field}".encode()
