"""``POST /v1/families/{id}/recommend``: a complete valid configuration learned from past orders.

The same code path as ``lotone recommend`` (:func:`lotone.personalize.recommend_family`), with
the history read from the database instead of a JSON Lines file:

* **What it learns from**: the family's newest orders (not cancelled) of customers who granted
  the ``analytics`` consent — learning from other people's orders is a use of their data, so it
  needs their say, like every other use. Only the option columns are read (enumerated values,
  booleans, module counts); measurements never leave their order. An erased customer's orders
  are unreadable and never used. Without any such order the proposal follows the family's
  defaults.
* **The customer's profile** (``use_profile``): used only under the ``recommendation`` consent
  (measurements also need ``fit``, checked by :mod:`lotone.personalize`); a missing consent is a
  409 ``consent-required`` problem, never silently skipped.
"""

from __future__ import annotations

from fastapi import APIRouter

from lotone.api.auth import Principal, PrincipalDep
from lotone.api.deps import EnginesDep, StoreDep, family_row, live_customer, slot_of
from lotone.api.problems import ApiProblem, problem_responses
from lotone.api.routers.customers import consents_of
from lotone.api.schemas import RecommendationOut, RecommendIn
from lotone.api.shaping import parse_choices, typed_values
from lotone.configure.defaults import value_text
from lotone.configure.engine import Engine
from lotone.configure.variables import AttrVar, CountVar
from lotone.errors import Infeasible, InvalidValue, LotoneError, Refused, UnknownName
from lotone.model.family import BoolAttribute, EnumAttribute
from lotone.personalize import (
    ConsentRequired,
    History,
    Neighbours,
    Profile,
    Purpose,
    Recommendation,
    recommend_family,
    require,
)
from lotone.store.crypto import DataKey, Shredded
from lotone.store.unit_of_work import UnitOfWork

__all__ = ["ABSENT", "LEARNING_CONSENT", "LEARN_FROM", "option_keys", "order_history", "router"]

router = APIRouter(prefix="/v1/families", tags=["families"])

#: How many of the family's newest orders the recommender learns from.
LEARN_FROM = 1000
#: The consent a customer gives for their orders to teach recommendations to others.
LEARNING_CONSENT: Purpose = "analytics"
#: The label of a module instance an order does not have (``section[4].interior`` of 3).
ABSENT = "-"


def option_keys(engine: Engine) -> list[str]:
    """The keys a history holds: enumerated values, booleans and module counts (no numbers)."""
    out: list[str] = []
    for key, var in engine.enc.vars.items():
        if isinstance(var, CountVar) or (
            isinstance(var, AttrVar) and isinstance(var.attr, EnumAttribute | BoolAttribute)
        ):
            out.append(key)
    return out


def order_history(
    uow: UnitOfWork, family_id: str, names: list[str], limit: int = LEARN_FROM
) -> History | None:
    """The ``names`` columns of the family's newest orders whose customers consented to learning.

    None when there is no such order (the recommendation then follows the defaults).
    """
    records: list[dict[str, str]] = []
    keys: dict[str, DataKey | None] = {}  # per customer: their data key, None when not allowed
    for order in uow.orders.of_family(family_id, limit):
        cid = order.customer_id
        if cid is None:  # pragma: no cover - the query keeps only orders with a customer
            continue
        if cid not in keys:
            keys[cid] = _learning_key(uow, cid)
        key = keys[cid]
        if key is None:
            continue
        try:
            raw = key.open("configuration", order.configuration)
        except Shredded:  # pragma: no cover - a live customer's key opens their orders
            continue
        if not isinstance(raw, dict):  # pragma: no cover - orders store an object
            continue
        values = typed_values({k: v for k, v in raw.items() if k in names})
        records.append({n: value_text(values[n]) if n in values else ABSENT for n in names})
    if not records:
        return None
    return History.from_records(records, names)


def _learning_key(uow: UnitOfWork, customer_id: str) -> DataKey | None:
    """The customer's data key if they allow learning from their orders, else None."""
    if not consents_of(uow, customer_id).get(LEARNING_CONSENT, False):
        return None
    customer = uow.customers.get(customer_id)
    try:
        return uow.vault.unwrap(customer_id, customer.wrapped_key if customer else None)
    except Shredded:
        return None


def _profile_of(uow: UnitOfWork, principal: Principal, body: RecommendIn) -> Profile | None:
    """The profile to use: the caller's own (customer) or the named customer's (staff)."""
    if not body.use_profile:
        if body.customer_id is not None:
            raise ApiProblem(
                422,
                "invalid-request",
                "customer_id names whose profile to use",
                errors=[("body.customer_id", "only with use_profile: true")],
            )
        return None
    if principal.role == "customer":
        if body.customer_id is not None and body.customer_id != principal.customer_id:
            raise ApiProblem(
                403,
                "forbidden",
                "A customer uses only their own profile",
                errors=[("body.customer_id", "not your customer id")],
            )
        customer_id = principal.customer_id
    else:
        customer_id = body.customer_id
    if customer_id is None:
        raise ApiProblem(
            422,
            "invalid-request",
            "Staff must name the customer whose profile to use",
            errors=[("body.customer_id", "required with use_profile for operator and admin keys")],
        )
    row = live_customer(uow, customer_id)
    key = uow.vault.unwrap(row.id, row.wrapped_key)
    measurements = key.open("measurements", row.measurements) if row.measurements else {}
    if not isinstance(measurements, dict):  # pragma: no cover - stored as an object
        measurements = {}
    try:
        profile = key.open("profile", row.profile) if row.profile is not None else {}
        answers = profile if isinstance(profile, dict) else {}
        return Profile(
            consents=consents_of(uow, row.id),
            measurements=measurements,
            traits=answers.get("traits") or {},
            preferences=answers.get("preferences") or {},
        )
    except LotoneError as exc:
        raise ApiProblem(
            409, "invalid-profile", "The stored profile is not usable", str(exc)
        ) from None


def _consent_problem(exc: ConsentRequired) -> ApiProblem:
    return ApiProblem(
        409,
        "consent-required",
        f"The profile needs the '{exc.purpose}' consent",
        str(exc),
        errors=[("body.use_profile", f"no recorded '{exc.purpose}' consent")],
    )


@router.post(
    "/{family_id}/recommend",
    response_model=RecommendationOut,
    responses=problem_responses(403, 404, 409, 410, 422),
)
def recommend(
    family_id: str,
    body: RecommendIn,
    store: StoreDep,
    engines: EnginesDep,
    principal: PrincipalDep,
) -> RecommendationOut:
    """A complete valid configuration keeping the choices, and top alternatives (any role).

    Learned from the family's past orders (of customers who consented to it) and decoded by
    the engine, so the proposal always passes its validator; with no orders it follows the
    family's defaults. ``use_profile`` adds the customer's profile under their consent (409
    ``consent-required`` without it); conflicting choices are 409 ``infeasible``.
    """
    with store.unit() as uow:
        row = family_row(uow, family_id, body.version)
        slot = slot_of(engines, row)
        profile = _profile_of(uow, principal, body)
        history = order_history(uow, row.id, slot.run(None, option_keys))
    if profile is not None:
        try:
            require(profile, "recommendation", "the customer's profile for recommendations")
        except ConsentRequired as exc:
            raise _consent_problem(exc) from None
    learner = Neighbours(history) if history is not None else None

    def run(engine: Engine) -> Recommendation:
        choices = parse_choices(engine, body.choices)
        return recommend_family(engine, choices, learner, profile=profile, top_k=body.top)

    try:
        rec = slot.run(None, run)
    except ConsentRequired as exc:
        raise _consent_problem(exc) from None
    except (Infeasible, InvalidValue, Refused, UnknownName):
        raise  # their own problems (409 / 422)
    except LotoneError as exc:  # e.g. a stored trait the product's fit does not know
        raise ApiProblem(
            409, "invalid-profile", "The stored profile is not usable", str(exc)
        ) from None
    return RecommendationOut.model_validate(rec.to_json())
