"""Preparing a database for the service: migrate, load a catalog, seed demo data.

Used by ``lotone serve`` (and so by ``make run``). Every step is idempotent: running it again on
a prepared database changes nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from lotone.api.auth import Role, digest, issue_key
from lotone.api.deps import slot_of
from lotone.api.engines import EngineCache
from lotone.configure.engine import Engine
from lotone.errors import LotoneError
from lotone.model.loader import load_family_text
from lotone.store.tables import ConsentRow, CustomerRow, FamilyRow
from lotone.store.unit_of_work import Store

__all__ = ["DEMO_CUSTOMER", "DEMO_KEYS", "Prepared", "load_catalog", "seed_demo", "warm"]

log = logging.getLogger(__name__)

# Well-known keys of the demo data: for a local try-out only, never on a shared server.
DEMO_KEYS: dict[Role, str] = {
    "admin": "lk_demo_admin",
    "operator": "lk_demo_operator",
    "customer": "lk_demo_customer",
}
DEMO_CUSTOMER = "00000000-0000-4000-8000-000000000001"


@dataclass
class Prepared:
    """What preparing the database did."""

    families_added: list[str] = field(default_factory=list)
    families_kept: list[str] = field(default_factory=list)
    demo_seeded: bool = False


def load_catalog(store: Store, catalog: Path, prepared: Prepared | None = None) -> Prepared:
    """Store every ``*.yaml`` family of ``catalog`` whose version is not stored yet.

    A stored version whose source differs from the file is kept (versions are immutable) and a
    warning says so: bump ``version`` to publish a change.
    """
    out = prepared or Prepared()
    for path in sorted(catalog.glob("*.yaml")):
        source = path.read_text(encoding="utf-8")
        family = load_family_text(source, str(path))
        label = f"{family.id} {family.version}"
        with store.unit() as uow:
            row = uow.families.get(family.id, family.version)
            if row is not None:
                if row.source != source:
                    log.warning(
                        "%s: %s is stored with another source; bump its version", path, label
                    )
                out.families_kept.append(label)
                continue
            uow.families.add(
                FamilyRow(
                    id=family.id,
                    version=family.version,
                    name=family.name,
                    source=source,
                    created_at=datetime.now(UTC),
                )
            )
            uow.commit()
            out.families_added.append(label)
    return out


def seed_demo(store: Store, prepared: Prepared | None = None) -> Prepared:
    """A demo customer (with consent and foot measurements) and the three demo keys."""
    out = prepared or Prepared()
    with store.unit() as uow:
        if uow.keys.by_digest(digest(DEMO_KEYS["admin"])) is not None:
            return out
        if uow.customers.get(DEMO_CUSTOMER) is not None:
            raise LotoneError("demo customer exists without demo keys; use a fresh database")
        now = datetime.now(UTC)
        key, wrapped = uow.vault.new_key(DEMO_CUSTOMER)
        row = CustomerRow(
            id=DEMO_CUSTOMER,
            created_at=now,
            wrapped_key=wrapped,
            profile=key.seal("profile", {"name": "Ada Demo", "email": "ada@example.org"}),
            measurements=key.seal(
                "measurements",
                {"foot_length_mm": 268, "foot_width_mm": 99, "arch_height_mm": 16},
            ),
        )
        uow.customers.add(row)
        uow.session.flush()
        for purpose in ("fit", "design"):
            uow.customers.record_consent(
                ConsentRow(
                    customer_id=DEMO_CUSTOMER, purpose=purpose, granted=True, recorded_at=now
                )
            )
        for role, text in DEMO_KEYS.items():
            issue_key(uow, role, DEMO_CUSTOMER if role == "customer" else None, "demo", key=text)
        uow.commit()
    out.demo_seeded = True
    log.info("demo data seeded (customer %s)", DEMO_CUSTOMER)
    return out


def warm(engines: EngineCache, store: Store) -> int:
    """Build the engine of every family's newest version and run one analysis on each (the
    SAT solver, the price model and, with price processes, their models too), so that no
    customer waits for it; returns the engines warmed. A family that fails to build is
    logged and skipped: a request for it gets the error."""
    try:
        with store.unit() as uow:
            rows = {row.id: row for row in uow.families.all()}  # oldest first: the newest wins
    except Exception as exc:  # a database that is down at start: the requests will say so
        log.warning("engines not warmed: %s", exc)
        return 0
    warmed = 0
    for row in rows.values():
        try:
            slot_of(engines, row).run(None, _analyze_nothing)
        except Exception as exc:
            log.warning("engine of %s@%s not warmed: %s", row.id, row.version, exc)
            continue
        warmed += 1
    return warmed


def _analyze_nothing(engine: Engine) -> object:
    return engine.analyze({})
