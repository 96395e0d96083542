"""``/v1/families``: list, read and upload family versions; configure against one."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request, Response

from lotone.api.auth import PrincipalDep, require
from lotone.api.deps import EnginesDep, StoreDep, family_row, slot_of
from lotone.api.problems import ApiProblem, problem_responses
from lotone.api.schemas import (
    ConfigureIn,
    FamilyDetail,
    FamilySummary,
    FamilyUpload,
    FamilyVersionOut,
    StateOut,
)
from lotone.api.shaping import (
    json_values,
    parse_choices,
    parse_one,
    repair_json,
    state_json,
    why_json,
)
from lotone.api.timing import Timing, received_at
from lotone.configure.domains import to_json_value
from lotone.configure.engine import Analysis, Engine
from lotone.errors import ModelError
from lotone.model.family import Attribute, BoolAttribute, EnumAttribute, Family
from lotone.model.loader import load_family_text
from lotone.store.tables import FamilyRow

__all__ = ["router"]

router = APIRouter(prefix="/v1/families", tags=["families"])


def _attribute(a: Attribute) -> dict[str, object]:
    out: dict[str, object] = {"name": a.name, "label": a.label, "type": a.kind}
    if isinstance(a, EnumAttribute):
        out["values"] = [{"name": v.name, "label": v.label} for v in a.values]
        out["default"] = a.default
    elif isinstance(a, BoolAttribute):
        out["default"] = a.default
    else:
        out.update(
            min=to_json_value(a.min),
            max=to_json_value(a.max),
            step=to_json_value(a.step),
            unit=a.unit,
            default=to_json_value(a.default),
        )
    return out


def _version_out(row: FamilyRow, family: Family) -> FamilyVersionOut:
    return FamilyVersionOut.model_validate(
        {
            "id": row.id,
            "version": row.version,
            "name": family.name,
            "description": family.description,
            "currency": family.pricing.currency,
            "created_at": row.created_at,
            "attributes": [_attribute(a) for a in family.attributes],
            "modules": [
                {
                    "name": s.name,
                    "label": s.label,
                    "min": s.min_count,
                    "max": s.max_count,
                    "attributes": [_attribute(a) for a in s.attributes],
                }
                for s in family.slots
            ],
            "rules": [{"id": r.id, "message": r.message} for r in family.all_rules()],
            "source": row.source,
        }
    )


def _summary(rows: list[FamilyRow]) -> dict[str, object]:
    return {
        "id": rows[-1].id,
        "name": rows[-1].name,
        "versions": [r.version for r in rows],
        "latest": rows[-1].version,
    }


@router.get("", response_model=list[FamilySummary])
def list_families(store: StoreDep, principal: PrincipalDep) -> list[FamilySummary]:
    """Every family, with its versions (oldest first)."""
    with store.unit() as uow:
        rows = uow.families.all()
    by_id: dict[str, list[FamilyRow]] = {}
    for row in rows:
        by_id.setdefault(row.id, []).append(row)
    return [FamilySummary.model_validate(_summary(v)) for v in by_id.values()]


@router.post(
    "",
    status_code=201,
    response_model=FamilyVersionOut,
    responses=problem_responses(403, 409, 422),
)
def upload_family(
    body: FamilyUpload,
    store: StoreDep,
    engines: EnginesDep,
    principal: PrincipalDep,
    response: Response,
) -> FamilyVersionOut:
    """Add a new family version (admin). An existing version is never replaced: 409."""
    require(principal, "admin")
    try:
        family = load_family_text(body.source, "upload.yaml")
    except ModelError as exc:
        errors = [
            (f"body.source:{d.span.line}:{d.span.column}" if d.span else "body.source", d.message)
            for d in exc.diagnostics
            if d.severity == "error"
        ]
        raise ApiProblem(
            422,
            "invalid-family",
            "The family file has errors",
            str(exc),
            errors=errors or [("body.source", str(exc))],
        ) from None
    with store.unit() as uow:
        if uow.families.get(family.id, family.version) is not None:
            raise ApiProblem(
                409,
                "version-exists",
                "Family versions are immutable",
                f"{family.id} {family.version} exists; upload a new version",
                errors=[("body.source", "version")],
            )
        row = FamilyRow(
            id=family.id,
            version=family.version,
            name=family.name,
            source=body.source,
            created_at=datetime.now(UTC),
        )
        uow.families.add(row)
        uow.commit()
        uow.family_rows.forget_newest(family.id)
    response.headers["Location"] = f"/v1/families/{family.id}/versions/{family.version}"
    return _version_out(row, family)


@router.get("/{family_id}", response_model=FamilyDetail, responses=problem_responses(404))
def get_family(
    family_id: str, store: StoreDep, engines: EnginesDep, principal: PrincipalDep
) -> FamilyDetail:
    """A family, its versions and its newest version in full."""
    with store.unit() as uow:
        rows = uow.families.versions(family_id)
    if not rows:
        raise ApiProblem(404, "unknown-family", "Unknown family", f"no family {family_id!r}")
    family = slot_of(engines, rows[-1]).family
    return FamilyDetail.model_validate(
        {**_summary(rows), "latest_version": _version_out(rows[-1], family)}
    )


@router.get(
    "/{family_id}/versions/{version}",
    response_model=FamilyVersionOut,
    responses=problem_responses(404),
)
def get_version(
    family_id: str, version: str, store: StoreDep, engines: EnginesDep, principal: PrincipalDep
) -> FamilyVersionOut:
    """One version of a family: attributes, modules, rules and the YAML source."""
    with store.unit() as uow:
        row = family_row(uow, family_id, version)
    return _version_out(row, slot_of(engines, row).family)


def analyze(engine: Engine, body: ConfigureIn) -> dict[str, object]:
    """The configure answer for ``body`` (choices already checked against the family)."""
    choices = parse_choices(engine, body.choices)
    state = engine.analyze(choices)
    data: dict[str, object]
    if body.complete and state.status != "conflict":
        configuration = engine.complete(choices, body.objective)
        full = engine.analyze(configuration)
        state = Analysis(full.status, full.domains, full.price_min, full.price_max, None, choices)
        data = state_json(engine, state)
        data["configuration"] = json_values(configuration)
    else:
        data = state_json(engine, state)
    if body.why is not None:
        value = parse_one(engine, body.why.key, body.why.value, "body.why")
        data["why"] = why_json(engine.why(choices, body.why.key, value))
        data["repair"] = repair_json(engine.repair(choices, body.why.key, value))
    return data


@router.post(
    "/{family_id}/configure", response_model=StateOut, responses=problem_responses(404, 422)
)
def configure(
    family_id: str,
    body: ConfigureIn,
    store: StoreDep,
    engines: EnginesDep,
    principal: PrincipalDep,
    request: Request,
    response: Response,
) -> StateOut:
    """Valid domains, status and price under the choices (any role; nothing is stored).

    A conflict is an answer, not an error: ``status`` is ``conflict`` and ``conflict`` names
    the choices and rule ids involved. Unknown keys or values off the grid are 422. The
    ``Server-Timing`` header says where the time went (``docs/service.md``).
    """
    timing = Timing()
    arrived = received_at(request)
    if arrived is not None:
        timing.add("hop", timing.last - arrived)  # parsing, the key, the thread pool's hand-over
    with store.unit() as uow:
        row = family_row(uow, family_id, body.version)
    slot = slot_of(engines, row)
    timing.mark("db")
    data = slot.run(body.model_dump_json(), lambda engine: analyze(engine, body), timing)
    out = StateOut.model_validate(data)
    timing.mark("shape")
    response.headers["Server-Timing"] = timing.header()
    return out
