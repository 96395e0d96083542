"""The unit of work: one transaction per request, the only place that commits."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from lotone.store.crypto import Vault
from lotone.store.repositories import (
    ApiKeys,
    Configurations,
    Customers,
    Families,
    Orders,
    WorkOrders,
)

__all__ = ["Store", "UnitOfWork"]


class UnitOfWork:
    """Repositories over one session; leaving without :meth:`commit` rolls everything back.

    >>> # with store.unit() as uow: uow.orders.add(row); uow.commit()
    """

    def __init__(self, session: Session, vault: Vault) -> None:
        self.session = session
        self.vault = vault
        self.families = Families(session)
        self.customers = Customers(session)
        self.keys = ApiKeys(session)
        self.configurations = Configurations(session)
        self.orders = Orders(session)
        self.work_orders = WorkOrders(session)

    def commit(self) -> None:
        """Commit every write made through this unit."""
        self.session.commit()

    def rollback(self) -> None:
        """Drop every write not yet committed."""
        self.session.rollback()

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # close() rolls back what was not committed and keeps loaded rows readable (detached)
        self.session.close()


class Store:
    """The database and the vault: hands out units of work."""

    def __init__(self, engine: Engine, vault: Vault) -> None:
        self.engine = engine
        self.vault = vault
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def unit(self) -> UnitOfWork:
        """A new unit of work (use it in a ``with`` block)."""
        return UnitOfWork(self._sessions(), self.vault)

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
