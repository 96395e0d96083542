"""The SQL tables (SQLAlchemy 2 declarative); the API's Pydantic schemas live apart in ``api``.

Personal data is never stored in the clear: a customer's profile, measurements, saved
configurations and the configuration part of their orders and work orders are AES-GCM
ciphertexts under the customer's own data key (``wrapped_key``, itself encrypted by the
master key). Erasing a customer drops that key, so every ciphertext becomes unreadable.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "ApiKeyRow",
    "Base",
    "ConfigurationRow",
    "ConsentRow",
    "CustomerRow",
    "FamilyRow",
    "OrderEventRow",
    "OrderRow",
    "WorkOrderRow",
]

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

_TS = DateTime(timezone=True)


class Base(DeclarativeBase):
    """Declarative base with stable constraint names (so migrations can refer to them)."""

    metadata = MetaData(naming_convention=NAMING)


class FamilyRow(Base):
    """One immutable version of a product family: its YAML source as uploaded."""

    __tablename__ = "families"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(_TS)


class CustomerRow(Base):
    """A customer; after erasure only the id, the dates and ``erased_at`` remain."""

    __tablename__ = "customers"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(_TS)
    erased_at: Mapped[datetime | None] = mapped_column(_TS, nullable=True)
    wrapped_key: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    profile: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    measurements: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)


class ConsentRow(Base):
    """A recorded consent decision (append-only: the latest row per purpose holds)."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    customer_id: Mapped[str] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    purpose: Mapped[str] = mapped_column(String(32))
    granted: Mapped[bool] = mapped_column(Boolean)
    recorded_at: Mapped[datetime] = mapped_column(_TS)


class ApiKeyRow(Base):
    """An API key: only its SHA-256 is stored; ``customer_id`` binds a customer key."""

    __tablename__ = "api_keys"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    customer_id: Mapped[str | None] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), nullable=True, index=True
    )
    label: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(_TS)
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)


class ConfigurationRow(Base):
    """A saved configuration session: the customer's choices, encrypted."""

    __tablename__ = "configurations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    customer_id: Mapped[str] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), index=True
    )
    family_id: Mapped[str] = mapped_column(String(64))
    family_version: Mapped[str] = mapped_column(String(32))
    choices: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(_TS)

    __table_args__ = (
        ForeignKeyConstraint(["family_id", "family_version"], ["families.id", "families.version"]),
    )


class OrderRow(Base):
    """An order: price fixed at intake, status guarded; ``customer_id`` is nulled on erasure."""

    __tablename__ = "orders"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    customer_id: Mapped[str | None] = mapped_column(
        ForeignKey("customers.id", ondelete="SET NULL"), nullable=True, index=True
    )
    idempotency_scope: Mapped[str] = mapped_column(String(80))
    idempotency_key: Mapped[str] = mapped_column(String(200))
    request_digest: Mapped[str] = mapped_column(String(64))
    family_id: Mapped[str] = mapped_column(String(64))
    family_version: Mapped[str] = mapped_column(String(32))
    configuration_hash: Mapped[str] = mapped_column(String(80))
    configuration: Mapped[bytes] = mapped_column(LargeBinary)
    price: Mapped[str] = mapped_column(String(32))  # exact decimal text, e.g. "104.50"
    currency: Mapped[str] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(_TS)
    updated_at: Mapped[datetime] = mapped_column(_TS)

    __table_args__ = (
        UniqueConstraint("idempotency_scope", "idempotency_key", name="uq_orders_idempotency"),
        ForeignKeyConstraint(["family_id", "family_version"], ["families.id", "families.version"]),
        Index("ix_orders_status", "status"),
    )


class OrderEventRow(Base):
    """One status change of an order (the audit trail), written with the change itself."""

    __tablename__ = "order_events"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=True)
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(16), nullable=True)
    to_status: Mapped[str] = mapped_column(String(16))
    actor_role: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(_TS)


class WorkOrderRow(Base):
    """The work order exploded when an order is released (encrypted: it holds measurements)."""

    __tablename__ = "work_orders"

    order_id: Mapped[str] = mapped_column(
        ForeignKey("orders.id", ondelete="CASCADE"), primary_key=True
    )
    hash: Mapped[str] = mapped_column(String(80))
    body: Mapped[bytes] = mapped_column(LargeBinary)
    sites: Mapped[str] = mapped_column(Text, default="[]")
    created_at: Mapped[datetime] = mapped_column(_TS)
