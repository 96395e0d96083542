"""Errors as RFC 9457 problem details (``application/problem+json``).

Every refusal names its cause: ``errors`` lists the fields at fault (``body.configuration.
width_mm``), ``rules`` the product rules broken (``{"id": ..., "message": ...}``)::

    ApiProblem                     raised by routes: status, slug, title, detail, rules, errors
    RequestValidationError   422   the request does not match the schema (fields named)
    UnknownName / InvalidValue 422 a configuration key or value the family does not have
    Refused / Infeasible     409   a configuration that breaks rules (rule ids)
    Shredded                 410   the data was erased (crypto-shredded)
    database unreachable     503   with Retry-After; nothing half-written (the unit rolls back)
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException

from lotone.errors import Infeasible, InvalidValue, Refused, UnknownName, Violation
from lotone.store.crypto import Shredded

__all__ = ["PROBLEM", "ApiProblem", "Problem", "install_handlers", "problem_responses"]

log = logging.getLogger(__name__)

PROBLEM = "application/problem+json"


class ProblemRule(BaseModel):
    """A product rule that was broken."""

    id: str
    message: str


class ProblemField(BaseModel):
    """A request field at fault."""

    field: str
    message: str


class Problem(BaseModel):
    """RFC 9457 problem details, with lotone's ``rules`` and ``errors`` extensions."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    rules: list[ProblemRule] | None = None
    errors: list[ProblemField] | None = None


class ApiProblem(Exception):
    """A refusal a route raises; turned into a problem response."""

    def __init__(
        self,
        status: int,
        slug: str,
        title: str,
        detail: str | None = None,
        *,
        rules: list[Violation] | None = None,
        errors: list[tuple[str, str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or title)
        self.status = status
        self.slug = slug
        self.title = title
        self.detail = detail
        self.rules = rules
        self.errors = errors
        self.headers = headers


def problem_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for the given problem status codes."""
    return {code: {"model": Problem, "content": {PROBLEM: {}}} for code in codes}


def _response(request: Request, problem: ApiProblem) -> JSONResponse:
    body: dict[str, object] = {
        "type": f"urn:lotone:problem:{problem.slug}",
        "title": problem.title,
        "status": problem.status,
        "instance": request.url.path,
    }
    if problem.detail:
        body["detail"] = problem.detail
    if problem.rules is not None:
        body["rules"] = [{"id": v.rule_id, "message": v.message} for v in problem.rules]
    if problem.errors is not None:
        body["errors"] = [{"field": f, "message": m} for f, m in problem.errors]
    return JSONResponse(body, problem.status, headers=problem.headers, media_type=PROBLEM)


def _field(loc: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(p) for p in loc)


def install_handlers(app: FastAPI) -> None:
    """Register the problem handlers on ``app``."""

    async def on_problem(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, ApiProblem)
        return _response(request, exc)

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        errors = [(_field(e.get("loc", ())), str(e.get("msg", ""))) for e in exc.errors()]
        first = errors[0][0] if errors else "request"
        return _response(
            request,
            ApiProblem(
                422,
                "invalid-request",
                "The request is not valid",
                f"{first}: {errors[0][1]}" if errors else None,
                errors=errors,
            ),
        )

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, HTTPException)
        slug = {404: "not-found", 405: "method-not-allowed", 413: "too-large"}.get(
            exc.status_code, "http-error"
        )
        return _response(
            request,
            ApiProblem(exc.status_code, slug, str(exc.detail), headers=dict(exc.headers or {})),
        )

    async def on_unknown(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, UnknownName)
        return _response(
            request,
            ApiProblem(
                422, "unknown-name", f"Unknown {exc.kind}", str(exc), errors=[(exc.name, str(exc))]
            ),
        )

    async def on_invalid(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, InvalidValue)
        return _response(
            request,
            ApiProblem(
                422,
                "invalid-value",
                "Invalid value",
                str(exc),
                errors=[(exc.attribute, exc.reason)],
            ),
        )

    async def on_refused(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, Refused)
        return _response(
            request,
            ApiProblem(
                409,
                "invalid-configuration",
                "The configuration breaks rules",
                str(exc),
                rules=list(exc.violations),
            ),
        )

    async def on_infeasible(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, Infeasible)
        return _response(request, ApiProblem(409, "infeasible", "No valid product", str(exc)))

    async def on_shredded(request: Request, exc: Exception) -> JSONResponse:
        return _response(
            request, ApiProblem(410, "erased", "The data was erased on the customer's request")
        )

    async def on_database(request: Request, exc: Exception) -> JSONResponse:
        if isinstance(exc, DBAPIError) and not _is_outage(exc):
            return await on_crash(request, exc)
        log.error("database unavailable: %s", type(exc).__name__)
        return _response(
            request,
            ApiProblem(
                503,
                "database-unavailable",
                "The database is unavailable",
                "Nothing was stored; retry later (with the same Idempotency-Key).",
                headers={"Retry-After": "5"},
            ),
        )

    async def on_crash(request: Request, exc: Exception) -> JSONResponse:
        log.error(
            "unexpected %s on %s %s",
            type(exc).__name__,
            request.method,
            request.url.path,
            exc_info=exc,
        )
        return _response(request, ApiProblem(500, "internal", "Internal error"))

    app.add_exception_handler(ApiProblem, on_problem)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(HTTPException, on_http)
    app.add_exception_handler(UnknownName, on_unknown)
    app.add_exception_handler(InvalidValue, on_invalid)
    app.add_exception_handler(Refused, on_refused)
    app.add_exception_handler(Infeasible, on_infeasible)
    app.add_exception_handler(Shredded, on_shredded)
    for kind in (OperationalError, InterfaceError, PoolTimeout, DBAPIError):
        app.add_exception_handler(kind, on_database)
    app.add_exception_handler(Exception, on_crash)


def _is_outage(exc: DBAPIError) -> bool:
    """Connection-level failures (server gone, locked, timed out), not programming errors."""
    return exc.connection_invalidated or isinstance(exc, OperationalError | InterfaceError)
