"""``/v1/configurations``: a customer's saved configuration sessions (choices encrypted)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from fastapi import APIRouter, Query, Response

from lotone.api.auth import Principal, PrincipalDep
from lotone.api.deps import EnginesDep, StoreDep, family_row, live_customer, slot_of
from lotone.api.problems import ApiProblem, problem_responses
from lotone.api.schemas import ConfigurationIn, ConfigurationOut, StateOut
from lotone.api.shaping import json_values, parse_choices, state_json, typed_values
from lotone.store.tables import ConfigurationRow
from lotone.store.unit_of_work import UnitOfWork

__all__ = ["router"]

router = APIRouter(prefix="/v1/configurations", tags=["configurations"])


def _owner(principal: Principal, customer_id: str | None) -> str:
    if principal.role == "customer":
        if customer_id is not None and customer_id != principal.customer_id:
            raise ApiProblem(403, "forbidden", "A customer saves only their own configurations")
        assert principal.customer_id is not None
        return principal.customer_id
    if customer_id is None:
        raise ApiProblem(
            422,
            "invalid-request",
            "Staff must name the customer",
            errors=[("body.customer_id", "required for operator and admin keys")],
        )
    return customer_id


def _out(uow: UnitOfWork, row: ConfigurationRow, engines: EnginesDep) -> ConfigurationOut:
    customer = live_customer(uow, row.customer_id)
    key = uow.vault.unwrap(customer.id, customer.wrapped_key)
    raw = key.open("choices", row.choices)
    assert isinstance(raw, dict)
    choices = typed_values(raw)
    slot = slot_of(engines, family_row(uow, row.family_id, row.family_version))
    state = slot.run(None, lambda e: state_json(e, e.analyze(choices)))
    return ConfigurationOut(
        id=row.id,
        customer_id=row.customer_id,
        family=row.family_id,
        version=row.family_version,
        created_at=row.created_at,
        state=StateOut.model_validate(state),
    )


@router.post(
    "", status_code=201, response_model=ConfigurationOut, responses=problem_responses(403, 404)
)
def save_configuration(
    body: ConfigurationIn,
    store: StoreDep,
    engines: EnginesDep,
    principal: PrincipalDep,
    response: Response,
) -> ConfigurationOut:
    """Save choices for a customer (they may conflict: the state says so)."""
    owner = _owner(principal, body.customer_id)
    with store.unit() as uow:
        customer = live_customer(uow, owner)
        fam = family_row(uow, body.family, body.version)
        slot = slot_of(engines, fam)
        choices = slot.run(None, lambda e: parse_choices(e, body.choices))
        status = slot.run(None, lambda e: e.analyze(choices, price=False).status)
        key = uow.vault.unwrap(customer.id, customer.wrapped_key)
        row = ConfigurationRow(
            id=str(uuid.uuid4()),
            customer_id=customer.id,
            family_id=fam.id,
            family_version=fam.version,
            choices=key.seal("choices", json_values(choices)),
            status=status,
            created_at=datetime.now(UTC),
        )
        uow.configurations.add(row)
        uow.commit()
        response.headers["Location"] = f"/v1/configurations/{row.id}"
        return _out(uow, row, engines)


@router.get("", response_model=list[ConfigurationOut], responses=problem_responses(403, 422))
def list_configurations(
    store: StoreDep,
    engines: EnginesDep,
    principal: PrincipalDep,
    customer_id: str | None = Query(None, max_length=64),
) -> list[ConfigurationOut]:
    """A customer's saved configurations (staff name the customer)."""
    if principal.role != "customer" and customer_id is None:
        raise ApiProblem(
            422,
            "invalid-request",
            "Staff must name the customer",
            errors=[("query.customer_id", "required for operator and admin keys")],
        )
    owner = _owner(principal, customer_id)
    with store.unit() as uow:
        live_customer(uow, owner)
        return [_out(uow, r, engines) for r in uow.configurations.of_customer(owner)]


@router.get("/{config_id}", response_model=ConfigurationOut, responses=problem_responses(404))
def get_configuration(
    config_id: str, store: StoreDep, engines: EnginesDep, principal: PrincipalDep
) -> ConfigurationOut:
    """One saved configuration with its current state (its customer or staff)."""
    with store.unit() as uow:
        row = uow.configurations.get(config_id)
        if row is None or not principal.may_see(row.customer_id):
            raise ApiProblem(404, "unknown-configuration", "Unknown configuration")
        return _out(uow, row, engines)
