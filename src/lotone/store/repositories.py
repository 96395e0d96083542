"""Repositories: typed reads and writes of one kind of row each; they never commit.

Only :class:`lotone.store.unit_of_work.UnitOfWork` commits, so every request's writes land
together or not at all.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import Insert, Select, Table, and_, bindparam, func, insert, null, select, update
from sqlalchemy.orm import Session

from lotone.store.tables import (
    ApiKeyRow,
    ConfigurationRow,
    ConsentRow,
    CustomerRow,
    FamilyRow,
    OrderEventRow,
    OrderRow,
    WorkOrderRow,
)

__all__ = [
    "ApiKeys",
    "Configurations",
    "Customers",
    "Families",
    "Orders",
    "WorkOrders",
]


class Families:
    """Product-family versions (immutable once stored)."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def get(self, family_id: str, version: str) -> FamilyRow | None:
        """One version, or None."""
        return self._s.get(FamilyRow, (family_id, version))

    def versions(self, family_id: str) -> list[FamilyRow]:
        """Every version of a family, oldest first."""
        rows = self._s.scalars(
            select(FamilyRow)
            .where(FamilyRow.id == family_id)
            .order_by(FamilyRow.created_at, FamilyRow.version)
        )
        return list(rows)

    def newest(self, family_id: str) -> FamilyRow | None:
        """The last of :meth:`versions`, or None (one row read, not every version)."""
        q = select(FamilyRow).where(FamilyRow.id == family_id)
        q = q.order_by(FamilyRow.created_at.desc(), FamilyRow.version.desc())
        return self._s.scalars(q.limit(1)).first()

    def all(self) -> list[FamilyRow]:
        """Every version of every family, by id then age."""
        return list(self._s.scalars(select(FamilyRow).order_by(FamilyRow.id, FamilyRow.created_at)))

    def add(self, row: FamilyRow) -> None:
        """Store a new version (the primary key refuses a second copy of a version)."""
        self._s.add(row)


class Customers:
    """Customers and their consent records."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def get(self, customer_id: str) -> CustomerRow | None:
        """A customer (also an erased one), or None."""
        return self._s.get(CustomerRow, customer_id)

    def page(self, limit: int, offset: int) -> list[CustomerRow]:
        """Customers, oldest first."""
        q = select(CustomerRow).order_by(CustomerRow.created_at, CustomerRow.id)
        return list(self._s.scalars(q.limit(limit).offset(offset)))

    def add(self, row: CustomerRow) -> None:
        """Store a new customer."""
        self._s.add(row)

    def consents(self, customer_id: str) -> list[ConsentRow]:
        """Every consent decision of a customer, oldest first."""
        q = select(ConsentRow).where(ConsentRow.customer_id == customer_id)
        return list(self._s.scalars(q.order_by(ConsentRow.recorded_at, ConsentRow.id)))

    def record_consent(self, row: ConsentRow) -> None:
        """Append a consent decision."""
        self._s.add(row)

    def delete_consents(self, customer_id: str) -> None:
        """Drop every consent record of a customer (on erasure)."""
        for row in self.consents(customer_id):
            self._s.delete(row)


class ApiKeys:
    """API keys, found by the SHA-256 of the key."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def by_digest(self, digest: str) -> ApiKeyRow | None:
        """The key with this digest, or None."""
        return self._s.scalars(select(ApiKeyRow).where(ApiKeyRow.digest == digest)).first()

    def add(self, row: ApiKeyRow) -> None:
        """Store a new key."""
        self._s.add(row)

    def of_customer(self, customer_id: str) -> list[ApiKeyRow]:
        """The keys bound to a customer."""
        return list(self._s.scalars(select(ApiKeyRow).where(ApiKeyRow.customer_id == customer_id)))


class Configurations:
    """Saved configuration sessions."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def get(self, config_id: str) -> ConfigurationRow | None:
        """One saved configuration, or None."""
        return self._s.get(ConfigurationRow, config_id)

    def of_customer(self, customer_id: str) -> list[ConfigurationRow]:
        """A customer's saved configurations, oldest first."""
        q = select(ConfigurationRow).where(ConfigurationRow.customer_id == customer_id)
        return list(self._s.scalars(q.order_by(ConfigurationRow.created_at)))

    def add(self, row: ConfigurationRow) -> None:
        """Store a new configuration."""
        self._s.add(row)

    def delete(self, row: ConfigurationRow) -> None:
        """Delete one configuration."""
        self._s.delete(row)


class Orders:
    """Orders, their idempotency keys and their status history."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def get(self, order_id: str) -> OrderRow | None:
        """One order, or None."""
        return self._s.get(OrderRow, order_id)

    def by_idempotency(self, scope: str, key: str) -> OrderRow | None:
        """The order an idempotency key already produced in this scope, or None."""
        q = select(OrderRow).where(
            OrderRow.idempotency_scope == scope, OrderRow.idempotency_key == key
        )
        return self._s.scalars(q).first()

    def intake(
        self, customer_id: str, scope: str, key: str
    ) -> tuple[CustomerRow | None, OrderRow | None]:
        """The customer and the order ``key`` already produced in ``scope``, in one round trip.

        (None, None) when the customer is unknown.
        """
        params = {"customer_id": customer_id, "scope": scope, "key": key}
        found = self._s.execute(_intake_query(), params).first()
        return (None, None) if found is None else (found[0], found[1])

    def page(
        self, customer_id: str | None, status: str | None, limit: int, offset: int
    ) -> list[OrderRow]:
        """Orders, newest first; of one customer when ``customer_id`` is given."""
        q = select(OrderRow)
        if customer_id is not None:
            q = q.where(OrderRow.customer_id == customer_id)
        if status is not None:
            q = q.where(OrderRow.status == status)
        q = q.order_by(OrderRow.created_at.desc(), OrderRow.id).limit(limit).offset(offset)
        return list(self._s.scalars(q))

    def of_customer(self, customer_id: str) -> list[OrderRow]:
        """Every order of a customer, oldest first."""
        q = select(OrderRow).where(OrderRow.customer_id == customer_id)
        return list(self._s.scalars(q.order_by(OrderRow.created_at)))

    def of_family(self, family_id: str, limit: int) -> list[OrderRow]:
        """The newest ``limit`` orders of a family (any version) that were not cancelled and
        still have a customer (an erased customer's orders are unreadable), newest first."""
        q = select(OrderRow).where(
            OrderRow.family_id == family_id,
            OrderRow.status != "cancelled",
            OrderRow.customer_id.is_not(None),
        )
        q = q.order_by(OrderRow.created_at.desc(), OrderRow.id).limit(limit)
        return list(self._s.scalars(q))

    def count(self) -> int:
        """How many orders are stored."""
        return int(self._s.scalar(select(func.count()).select_from(OrderRow)) or 0)

    def add(self, row: OrderRow) -> None:
        """Store a new order."""
        self._s.add(row)

    def place(self, row: OrderRow, actor_role: str) -> None:
        """INSERT a new order and its first event (``placed``) now, in the unit's transaction.

        Core INSERTs instead of the ORM's flush (which cost more CPU than the rest of an
        intake): ``row`` stays transient, outside the session. On PostgreSQL both rows go in
        one statement (one round trip). A second order with the same idempotency scope and
        key raises :class:`sqlalchemy.exc.IntegrityError` at once.
        """
        conn = self._s.connection()
        order = {c.key: getattr(row, c.key) for c in _table(OrderRow).columns}
        if conn.dialect.name == "postgresql":
            conn.execute(_place_both(), {**order, "actor_role": actor_role})
            return
        conn.execute(insert(_table(OrderRow)), order)
        event = {
            "order_id": row.id,
            "from_status": None,
            "to_status": row.status,
            "actor_role": actor_role,
            "at": row.created_at,
        }
        conn.execute(insert(_table(OrderEventRow)), event)

    def move(self, order_id: str, src: str, dst: str, at: datetime) -> bool:
        """Set the status from ``src`` to ``dst`` only if it still is ``src`` (compare-and-set)."""
        result = self._s.execute(
            update(OrderRow)
            .where(OrderRow.id == order_id, OrderRow.status == src)
            .values(status=dst, updated_at=at)
            .execution_options(synchronize_session=False)
        )
        moved = getattr(result, "rowcount", 0) == 1
        if moved:
            row = self._s.get(OrderRow, order_id)
            if row is not None:
                self._s.refresh(row)
        return moved

    def add_event(self, row: OrderEventRow) -> None:
        """Append a status change to the audit trail."""
        self._s.add(row)

    def events(self, order_ids: Sequence[str]) -> list[OrderEventRow]:
        """The status changes of some orders, in order."""
        if not order_ids:
            return []
        q = select(OrderEventRow).where(OrderEventRow.order_id.in_(order_ids))
        return list(self._s.scalars(q.order_by(OrderEventRow.at, OrderEventRow.id)))


# The statements of an intake are built once: a statement object remembers its cache key, so
# SQLAlchemy finds the compiled SQL without walking the statement again on every order.
@functools.cache
def _intake_query() -> Select[CustomerRow, OrderRow]:
    by_key = and_(
        OrderRow.idempotency_scope == bindparam("scope"),
        OrderRow.idempotency_key == bindparam("key"),
    )
    q = select(CustomerRow, OrderRow).outerjoin(OrderRow, by_key)
    return q.where(CustomerRow.id == bindparam("customer_id"))


@functools.cache
def _place_both() -> Insert:
    # WITH placed AS (INSERT INTO orders ... RETURNING ...) INSERT INTO order_events SELECT ...
    orders, events = _table(OrderRow), _table(OrderEventRow)
    values = {c.key: bindparam(c.key, type_=c.type) for c in orders.columns}
    ret = (orders.c.id, orders.c.status, orders.c.created_at)
    placed = insert(orders).values(values).returning(*ret).cte("placed")
    actor = bindparam("actor_role", type_=events.c.actor_role.type)
    first = select(placed.c.id, null(), placed.c.status, actor, placed.c.created_at)
    names = ["order_id", "from_status", "to_status", "actor_role", "at"]
    return insert(events).from_select(names, first)


def _table(row: type[OrderRow | OrderEventRow]) -> Table:
    return cast(Table, row.__table__)


class WorkOrders:
    """Work orders exploded on release."""

    def __init__(self, session: Session) -> None:
        self._s = session

    def get(self, order_id: str) -> WorkOrderRow | None:
        """The work order of an order, or None."""
        return self._s.get(WorkOrderRow, order_id)

    def add(self, row: WorkOrderRow) -> None:
        """Store a work order."""
        self._s.add(row)
