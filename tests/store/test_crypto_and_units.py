"""Envelope encryption and the unit of work."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import IntegrityError

from lotone.errors import LotoneError
from lotone.store import Shredded, Store, Vault, connect, migrate
from lotone.store.tables import CustomerRow, FamilyRow, OrderRow


def test_sealed_data_opens_only_for_its_owner_and_field() -> None:
    """A ciphertext is bound to its customer and field; a destroyed key opens nothing."""
    vault = Vault(bytes(range(32)))
    key, wrapped = vault.new_key("c1")
    blob = key.seal("measurements", {"foot_length_mm": 271})
    assert b"271" not in blob
    assert vault.unwrap("c1", wrapped).open("measurements", blob) == {"foot_length_mm": 271}
    with pytest.raises(Shredded):
        key.open("profile", blob)
    with pytest.raises(Shredded):
        vault.unwrap("c2", wrapped)
    with pytest.raises(Shredded):
        vault.unwrap("c1", None)
    with pytest.raises(Shredded):
        Vault(bytes(32)).unwrap("c1", wrapped)
    with pytest.raises(LotoneError, match="32 bytes"):
        Vault(b"short")


@pytest.fixture
def store(fresh_database_url: str) -> Store:
    """A migrated store on an empty database."""
    s = Store(connect(fresh_database_url), Vault(bytes(32)))
    migrate(s.engine)
    return s


def test_nothing_is_stored_without_commit(store: Store) -> None:
    """Leaving a unit without commit drops its writes; commit keeps them."""
    now = datetime.now(UTC)
    with store.unit() as uow:
        uow.customers.add(CustomerRow(id="a", created_at=now))
    with store.unit() as uow:
        assert uow.customers.get("a") is None
        uow.customers.add(CustomerRow(id="b", created_at=now))
        uow.commit()
    with store.unit() as uow:
        assert uow.customers.get("b") is not None
    store.dispose()


def test_family_versions_cannot_be_stored_twice(store: Store) -> None:
    """The (id, version) key refuses a second copy of a version."""
    row = {"id": "f", "version": "1", "name": "F", "source": "x", "created_at": datetime.now(UTC)}
    with store.unit() as uow:
        uow.families.add(FamilyRow(**row))
        uow.commit()
    with store.unit() as uow:
        uow.families.add(FamilyRow(**{**row, "source": str(uuid.uuid4())}))
        with pytest.raises(IntegrityError):
            uow.commit()
    store.dispose()


def test_newest_family_version_is_the_last_of_versions_even_on_equal_timestamps(
    store: Store,
) -> None:
    """newest() reads one row and agrees with versions()[-1], ties broken by version."""
    at = datetime.now(UTC)
    with store.unit() as uow:
        assert uow.families.newest("g") is None
        for version in ("2", "1", "3"):
            uow.families.add(
                FamilyRow(id="g", version=version, name="G", source="x", created_at=at)
            )
        uow.commit()
    with store.unit() as uow:
        newest = uow.families.newest("g")
        assert newest is not None
        assert newest.version == uow.families.versions("g")[-1].version == "3"
    store.dispose()


def _order(order_id: str, key: str) -> OrderRow:
    now = datetime.now(UTC)
    return OrderRow(
        id=order_id, customer_id="c", idempotency_scope="customer:c", idempotency_key=key,
        request_digest="0" * 64, family_id="f", family_version="1", configuration_hash="h",
        configuration=b"sealed", price="1.00", currency="EUR", status="placed",
        created_at=now, updated_at=now,
    )  # fmt: skip


def test_intake_unit_stores_an_order_in_one_statement_on_postgres_only(store: Store) -> None:
    """PostgreSQL: the intake unit's INSERT is durable when it returns, no transaction left
    open (no BEGIN/COMMIT round trips); SQLite: it is a plain unit that needs its commit.
    Plain units handed the same pooled connections afterwards are transactional again."""
    now = datetime.now(UTC)
    with store.unit() as uow:
        uow.customers.add(CustomerRow(id="c", created_at=now))
        uow.families.add(FamilyRow(id="f", version="1", name="F", source="x", created_at=now))
        uow.commit()
    postgres = store.engine.dialect.name == "postgresql"
    with store.intake_unit() as uow:
        assert uow.orders.intake("c", "customer:c", "k1")[1] is None
        uow.orders.place(_order("o1", "k1"), "customer")
        if postgres:
            dbapi = uow.session.connection().connection.dbapi_connection
            assert dbapi is not None
            assert dbapi.info.transaction_status.name == "IDLE"
    with store.unit() as uow:
        assert (uow.orders.get("o1") is not None) is postgres
        uow.orders.place(_order("o2", "k2"), "customer")  # no commit: dropped
    with store.unit() as uow:
        assert uow.orders.get("o2") is None
    store.dispose()
