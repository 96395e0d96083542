"""Each process remembers checked API keys for a few seconds; revocation still takes effect."""

from __future__ import annotations

import time

from sqlalchemy import update

from conftest import Service
from lotone.api.auth import KeyCache, Principal, digest
from lotone.store.tables import ApiKeyRow


def test_the_cache_forgets_keys_after_its_lifetime_and_on_erasure() -> None:
    """get() answers within ttl only; forget_customer drops that customer's keys; ttl 0 is off."""
    cache = KeyCache(ttl=0.05)
    alice, bob = Principal("k1", "customer", "c1"), Principal("k2", "customer", "c2")
    cache.put("d1", alice)
    cache.put("d2", bob)
    assert cache.get("d1") == alice
    cache.forget_customer("c1")
    assert cache.get("d1") is None
    assert cache.get("d2") == bob
    time.sleep(0.08)
    assert cache.get("d2") is None
    off = KeyCache(ttl=0)
    off.put("d1", alice)
    assert off.get("d1") is None


def test_a_key_revoked_by_another_process_is_refused_once_the_cache_lapses(
    service: Service,
) -> None:
    """A revocation written straight to the database (as another server process would) is
    honoured after the cache's lifetime: the next request is 401."""
    cid, me = service.customer()
    assert service.client.get(f"/v1/customers/{cid}", headers=me).status_code == 200
    with service.store.unit() as uow:
        uow.session.execute(
            update(ApiKeyRow)
            .where(ApiKeyRow.digest == digest(me["X-API-Key"]))
            .values(revoked=True)
        )
        uow.commit()
    cache: KeyCache = service.client.app.state.keys  # type: ignore[attr-defined]
    ttl, cache.ttl = cache.ttl, 0.05
    try:
        time.sleep(0.08)
        assert service.client.get(f"/v1/customers/{cid}", headers=me).status_code == 401
    finally:
        cache.ttl = ttl
