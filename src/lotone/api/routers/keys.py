"""``/v1/api-keys`` (admin) and ``/health``."""

from __future__ import annotations

from fastapi import APIRouter, Response
from sqlalchemy import text

from lotone.api.auth import PrincipalDep, issue_key, require
from lotone.api.deps import StoreDep, live_customer
from lotone.api.problems import problem_responses
from lotone.api.schemas import ApiKeyIn, ApiKeyOut

__all__ = ["health", "router"]

router = APIRouter(tags=["admin"])


@router.post(
    "/v1/api-keys",
    status_code=201,
    response_model=ApiKeyOut,
    responses=problem_responses(403, 404, 422),
)
def create_key(body: ApiKeyIn, store: StoreDep, principal: PrincipalDep) -> ApiKeyOut:
    """A new API key (admin); the key is in this answer only, the database keeps its hash."""
    require(principal, "admin")
    with store.unit() as uow:
        if body.customer_id is not None:
            live_customer(uow, body.customer_id)
        row, key = issue_key(uow, body.role, body.customer_id, body.label)
        uow.commit()
        return ApiKeyOut(id=row.id, role=row.role, customer_id=row.customer_id, key=key)


health = APIRouter(tags=["health"])


@health.get("/health", response_model=dict[str, str], responses=problem_responses(503))
def check(store: StoreDep, response: Response) -> dict[str, str]:
    """Liveness and database reachability (no key needed)."""
    with store.unit() as uow:
        uow.session.execute(text("SELECT 1"))
    response.headers["Cache-Control"] = "no-store"
    return {"status": "ok", "database": "ok"}
