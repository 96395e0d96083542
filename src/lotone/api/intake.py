"""Order intake, the blocking half of ``POST /v1/orders``: one call in one worker thread.

The route itself is ``async``; it hands all of an intake to :func:`place` in a single thread-pool
call (the intake read, the checks, both INSERTs, the commit) and gets back the answer already
serialized. A sync route would cost two thread hops per order (the route, then FastAPI's
validation of the returned model against ``response_model``), each a wake-up of a pool thread
and a hand-over of the GIL, which measured more than the JSON itself.

Idempotency: the ``Idempotency-Key`` names the request. A retry with the same key (and the same
body) returns the order already made, never a second one; the answer is built only after the
commit. Two retries racing each other meet at the database's unique constraint on
(customer, key): one inserts, the other reads the winner's order.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError

from lotone.api.auth import Principal
from lotone.api.deps import family_row, live_customer, slot_of
from lotone.api.engines import EngineCache
from lotone.api.problems import ApiProblem
from lotone.api.schemas import OrderIn, OrderOut
from lotone.api.shaping import cents, json_values, parse_choices
from lotone.configure.validate import price_of
from lotone.errors import InvalidValue, Violation
from lotone.produce.explode import configuration_hash
from lotone.store.crypto import Shredded
from lotone.store.tables import OrderRow
from lotone.store.unit_of_work import Store, UnitOfWork

__all__ = ["Placed", "order_out", "place"]


@dataclass(frozen=True, slots=True)
class Placed:
    """The answer to an intake: the order as JSON, and whether a retry met an earlier order."""

    order_id: str
    json: bytes
    replayed: bool


def order_out(uow: UnitOfWork, row: OrderRow, configuration: object = None) -> OrderOut:
    """The order as JSON; the configuration is null once the customer was erased.

    ``configuration``: the plaintext when the caller has just sealed it (no second decryption).
    """
    if configuration is None and row.customer_id is not None:
        customer = uow.customers.get(row.customer_id)
        try:
            key = uow.vault.unwrap(row.customer_id, customer.wrapped_key if customer else None)
            configuration = key.open("configuration", row.configuration)
        except Shredded:
            configuration = None
    return OrderOut.model_validate(
        {
            "id": row.id,
            "customer_id": row.customer_id,
            "family": row.family_id,
            "version": row.family_version,
            "status": row.status,
            "price": row.price,
            "currency": row.currency,
            "configuration_hash": row.configuration_hash,
            "configuration": configuration,
            "created_at": row.created_at,
            "updated_at": row.updated_at,
        }
    )


def place(
    store: Store, engines: EngineCache, principal: Principal, body: OrderIn, idempotency_key: str
) -> Placed:
    """Place an order for a complete, valid configuration (blocking); the price is fixed now.

    Raises :class:`ApiProblem`: 409 with the rule ids when the configuration breaks rules or
    naming the missing key when it is incomplete; 403, 404, 410 and 422 as documented.
    """
    customer_id = _customer_of(principal, body)
    scope = f"customer:{customer_id}"
    canonical = body.model_dump(mode="json", exclude={"customer_id"})
    fingerprint = hashlib.sha256(
        json.dumps([customer_id, canonical], sort_keys=True).encode()
    ).hexdigest()
    with store.intake_unit() as uow:
        found, existing = uow.orders.intake(customer_id, scope, idempotency_key)
        if existing is not None:
            return _replay(uow, existing, fingerprint)
        customer = live_customer(uow, customer_id, found)
        fam_row = family_row(uow, body.family, body.version)
        slot = slot_of(engines, fam_row)
        family = slot.family
        configuration = slot.run(
            None, lambda e: parse_choices(e, body.configuration, "body.configuration")
        )
        try:  # the reference validator reads only the family: no need for the engine's lock
            violations: list[Violation] = slot.engine.validate(configuration)
        except InvalidValue as exc:
            raise ApiProblem(
                409,
                "configuration-incomplete",
                "Only a complete configuration can be ordered",
                str(exc),
                errors=[(f"body.configuration.{exc.attribute}", exc.reason)],
            ) from None
        if violations:
            raise ApiProblem(
                409,
                "invalid-configuration",
                "The configuration breaks rules",
                "; ".join(str(v) for v in violations),
                rules=violations,
            )
        price = price_of(family, configuration)
        key = uow.vault.unwrap(customer.id, customer.wrapped_key)
        sealed = json_values(configuration)
        now = datetime.now(UTC)
        row = OrderRow(
            id=str(uuid.uuid4()),
            customer_id=customer.id,
            idempotency_scope=scope,
            idempotency_key=idempotency_key,
            request_digest=fingerprint,
            family_id=family.id,
            family_version=family.version,
            configuration_hash=configuration_hash(family, configuration),
            configuration=key.seal("configuration", sealed),
            price=format(cents(price), "f"),
            currency=family.pricing.currency,
            status="placed",
            created_at=now,
            updated_at=now,
        )
        try:
            # the unique (customer, key) constraint decides a race at the order's INSERT
            uow.orders.place(row, principal.role)
            uow.commit()
        except IntegrityError:
            uow.rollback()
            winner = uow.orders.by_idempotency(scope, idempotency_key)
            if winner is None:
                raise
            return _replay(uow, winner, fingerprint)
        return Placed(row.id, _json(order_out(uow, row, sealed)), replayed=False)


def _customer_of(principal: Principal, body: OrderIn) -> str:
    if principal.role == "customer":
        if body.customer_id is not None and body.customer_id != principal.customer_id:
            raise ApiProblem(
                403,
                "forbidden",
                "A customer orders only for themself",
                errors=[("body.customer_id", "not your customer id")],
            )
        assert principal.customer_id is not None
        return principal.customer_id
    if body.customer_id is None:
        raise ApiProblem(
            422,
            "invalid-request",
            "Staff must name the customer",
            errors=[("body.customer_id", "required for operator and admin keys")],
        )
    return body.customer_id


def _replay(uow: UnitOfWork, row: OrderRow, fingerprint: str) -> Placed:
    if row.request_digest != fingerprint:
        raise ApiProblem(
            422,
            "idempotency-key-reused",
            "This Idempotency-Key was used for a different order",
            errors=[("header.Idempotency-Key", "reused with another body")],
        )
    return Placed(row.id, _json(order_out(uow, row)), replayed=True)


def _json(order: OrderOut) -> bytes:
    # what FastAPI would send for ``response_model=OrderOut``: pydantic's JSON, by alias
    return order.model_dump_json(by_alias=True).encode()
