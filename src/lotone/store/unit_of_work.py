"""The unit of work: one transaction per request, the only place that commits."""

from __future__ import annotations

import threading
import time
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
from lotone.store.tables import FamilyRow

__all__ = ["FamilyRows", "Store", "UnitOfWork"]


class FamilyRows:
    """Family versions read recently, shared by a store's units of work (thread-safe).

    A stored version never changes, so ``(id, version)`` rows are kept (up to ``size``); which
    version is the newest can change with an upload, so that answer is kept ``ttl`` seconds
    (an upload through this store forgets it at once).
    """

    def __init__(self, ttl: float = 2.0, size: int = 1024) -> None:
        self.ttl = ttl
        self.size = size
        self._lock = threading.Lock()
        self._versions: dict[tuple[str, str], FamilyRow] = {}
        self._newest: dict[str, tuple[float, FamilyRow]] = {}

    def version(self, family_id: str, version: str) -> FamilyRow | None:
        """A version read before, or None."""
        return self._versions.get((family_id, version))

    def newest(self, family_id: str) -> FamilyRow | None:
        """The newest version if it was looked up less than ``ttl`` seconds ago."""
        hit = self._newest.get(family_id)
        if hit is None or time.monotonic() - hit[0] > self.ttl:
            return None
        return hit[1]

    def remember(self, row: FamilyRow, *, newest: bool = False) -> None:
        """Keep a row just read (and, with ``newest``, that it is the family's newest).

        A detached copy is kept, never the session's own instance: a rollback of that session
        would expire it under the other threads' feet.
        """
        if (row.id, row.version) in self._versions and not newest:
            return
        row = FamilyRow(
            id=row.id,
            version=row.version,
            name=row.name,
            source=row.source,
            created_at=row.created_at,
        )
        with self._lock:
            if len(self._versions) >= self.size:
                self._versions.clear()
            self._versions[(row.id, row.version)] = row
            if newest and self.ttl > 0:
                self._newest[row.id] = (time.monotonic(), row)

    def forget_newest(self, family_id: str) -> None:
        """A version was added: look the newest up again."""
        with self._lock:
            self._newest.pop(family_id, None)


class UnitOfWork:
    """Repositories over one session; leaving without :meth:`commit` rolls everything back.

    >>> # with store.unit() as uow: uow.orders.add(row); uow.commit()
    """

    def __init__(self, session: Session, vault: Vault, rows: FamilyRows | None = None) -> None:
        self.session = session
        self.vault = vault
        self.family_rows = rows if rows is not None else FamilyRows(ttl=0)
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
        self.family_rows = FamilyRows()
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._single = self._sessions
        if engine.dialect.name == "postgresql":
            # same pool; each statement commits as it runs (no BEGIN, no COMMIT round trip)
            single = engine.execution_options(isolation_level="AUTOCOMMIT")
            self._single = sessionmaker(single, expire_on_commit=False)

    def unit(self) -> UnitOfWork:
        """A new unit of work (use it in a ``with`` block)."""
        return UnitOfWork(self._sessions(), self.vault, self.family_rows)

    def intake_unit(self) -> UnitOfWork:
        """A unit for order intake, whose only write is :meth:`Orders.place`.

        On PostgreSQL ``place`` writes the order and its first event in one statement, which is
        atomic by itself, and intake reads nothing that a transaction would keep consistent
        (READ COMMITTED reads afresh per statement; the unique (customer, key) constraint and
        the customer's foreign key decide races). So there its statements commit as they run:
        two round trips per order instead of four (BEGIN and COMMIT saved), and the order is
        durable when the INSERT returns, before the answer is built. Elsewhere (SQLite, whose
        two INSERTs need a transaction) it is a plain :meth:`unit`; :meth:`UnitOfWork.commit`
        is then still what makes the order durable, so callers commit in both cases.
        """
        return UnitOfWork(self._single(), self.vault, self.family_rows)

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
