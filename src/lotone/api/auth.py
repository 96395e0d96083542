"""API keys with roles: ``customer`` (bound to one customer), ``operator`` and ``admin``.

A key is ``lk_`` followed by 32 random bytes (URL-safe base64); only its SHA-256 is stored,
which is enough for a secret of that strength and lets a lookup be one indexed query.
Requests carry it as ``X-API-Key: <key>`` or ``Authorization: Bearer <key>``.

Each process remembers the keys it checked for a few seconds (:class:`KeyCache`), so a burst of
requests costs one lookup, not one per request. Erasing a customer forgets their keys at once
in the process that erased them; other server processes stop accepting them within the cache's
lifetime (``LOTONE_KEY_CACHE_S``, default 2 s; 0 turns the cache off), and they find the
customer erased in the meantime.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from lotone.api.problems import ApiProblem
from lotone.store.tables import ApiKeyRow
from lotone.store.unit_of_work import Store, UnitOfWork

__all__ = [
    "ROLES",
    "KeyCache",
    "Principal",
    "PrincipalDep",
    "Role",
    "digest",
    "issue_key",
    "new_key",
    "require",
]

Role = Literal["customer", "operator", "admin"]
ROLES: tuple[Role, ...] = ("customer", "operator", "admin")


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the key's id, its role and, for a customer key, the customer."""

    key_id: str
    role: Role
    customer_id: str | None

    @property
    def staff(self) -> bool:
        """Operators and admins act for any customer."""
        return self.role in ("operator", "admin")

    def may_see(self, customer_id: str | None) -> bool:
        """Whether this caller may read data of ``customer_id``."""
        return self.staff or (customer_id is not None and customer_id == self.customer_id)


def new_key() -> str:
    """A fresh random API key."""
    return "lk_" + secrets.token_urlsafe(32)


def digest(key: str) -> str:
    """The SHA-256 (hex) stored for ``key``."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def issue_key(
    uow: UnitOfWork,
    role: Role,
    customer_id: str | None = None,
    label: str = "",
    key: str | None = None,
) -> tuple[ApiKeyRow, str]:
    """Add a key (not committed) and return its row and the key itself (shown once)."""
    if (role == "customer") != (customer_id is not None):
        raise ApiProblem(
            422,
            "invalid-key-request",
            "A customer key needs a customer_id; operator and admin keys must not have one",
            errors=[("body.customer_id", "required for role customer only")],
        )
    text = key or new_key()
    row = ApiKeyRow(
        id=str(uuid.uuid4()),
        digest=digest(text),
        role=role,
        customer_id=customer_id,
        label=label,
        created_at=datetime.now(UTC),
        revoked=False,
    )
    uow.keys.add(row)
    return row, text


class KeyCache:
    """Principals of recently checked keys, by digest, for ``ttl`` seconds (thread-safe)."""

    def __init__(self, ttl: float = 2.0, size: int = 10_000) -> None:
        self.ttl = ttl
        self.size = size
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[float, Principal]] = {}

    def get(self, key_digest: str) -> Principal | None:
        """The principal checked less than ``ttl`` seconds ago, or None."""
        if self.ttl <= 0:
            return None
        entry = self._entries.get(key_digest)
        if entry is None or time.monotonic() - entry[0] > self.ttl:
            return None
        return entry[1]

    def put(self, key_digest: str, principal: Principal) -> None:
        """Remember a key that was just checked against the database."""
        if self.ttl <= 0:
            return
        with self._lock:
            if len(self._entries) >= self.size:
                self._entries.clear()  # a burst of distinct keys: start over
            self._entries[key_digest] = (time.monotonic(), principal)

    def forget_customer(self, customer_id: str) -> None:
        """Forget every key of a customer (on erasure)."""
        with self._lock:
            for d in [d for d, (_, p) in self._entries.items() if p.customer_id == customer_id]:
                del self._entries[d]


_header = APIKeyHeader(name="X-API-Key", auto_error=False, description="An API key (lk_...)")
_bearer = HTTPBearer(auto_error=False, description="The API key as a bearer token")


async def _principal(
    request: Request,
    api_key: Annotated[str | None, Depends(_header)],
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The caller: from the key cache on the event loop, else from the database in a thread."""
    key = api_key or (bearer.credentials if bearer is not None else None)
    if not key:
        raise ApiProblem(
            401,
            "unauthenticated",
            "An API key is required",
            "send it as X-API-Key or Authorization: Bearer",
            headers={"WWW-Authenticate": "Bearer"},
        )
    key_digest = digest(key)
    cache: KeyCache = request.app.state.keys
    known = cache.get(key_digest)
    if known is not None:
        return known
    principal = await run_in_threadpool(_look_up, request.app.state.store, key_digest)
    cache.put(key_digest, principal)
    return principal


def _look_up(store: Store, key_digest: str) -> Principal:
    with store.unit() as uow:
        row = uow.keys.by_digest(key_digest)
        if row is None or row.revoked or row.role not in ROLES:
            raise ApiProblem(
                401,
                "unauthenticated",
                "Unknown or revoked API key",
                headers={"WWW-Authenticate": "Bearer"},
            )
        role: Role = row.role
        return Principal(row.id, role, row.customer_id)


PrincipalDep = Annotated[Principal, Depends(_principal)]


def require(principal: Principal, *roles: Role) -> None:
    """Refuse with 403 unless the caller has one of ``roles``."""
    if principal.role not in roles:
        raise ApiProblem(
            403,
            "forbidden",
            "Not allowed for this role",
            f"needs role {' or '.join(roles)}; the key has role {principal.role}",
        )
