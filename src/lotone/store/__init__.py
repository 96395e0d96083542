"""Persistence: SQLAlchemy tables, repositories, the unit of work, migrations, encryption."""

from lotone.store.crypto import DataKey as DataKey
from lotone.store.crypto import Shredded as Shredded
from lotone.store.crypto import Vault as Vault
from lotone.store.database import connect as connect
from lotone.store.database import migrate as migrate
from lotone.store.unit_of_work import Store as Store
from lotone.store.unit_of_work import UnitOfWork as UnitOfWork

__all__ = ["DataKey", "Shredded", "Store", "UnitOfWork", "Vault", "connect", "migrate"]
