"""``POST /v1/families/{id}/preview``: the GLB preview of a configuration, for the web page.

Open keys are completed from the family's defaults (as ``lotone design generate`` does) and
:func:`lotone.design.preview.preview_glb` makes the binary glTF: the insole's printed parts, the
wardrobe's boards as boxes where they are assembled. Other families have no preview (404).
"""

from __future__ import annotations

from fastapi import APIRouter, Response

from lotone.api.auth import PrincipalDep
from lotone.api.deps import EnginesDep, StoreDep, family_row, slot_of
from lotone.api.problems import ApiProblem, problem_responses
from lotone.api.schemas import ConfigureIn
from lotone.api.shaping import parse_choices
from lotone.configure.engine import Engine
from lotone.design.preview import PREVIEWS, preview_glb
from lotone.errors import Infeasible, LotoneError, Refused
from lotone.model.family import Value

__all__ = ["PREVIEW_FAMILIES", "router"]

router = APIRouter(prefix="/v1/families", tags=["families"])

#: Families with a 3D preview (the serum's design is a flat label; the pc has no template).
PREVIEW_FAMILIES = frozenset(PREVIEWS)

GLB = "model/gltf-binary"


@router.post(
    "/{family_id}/preview",
    response_class=Response,
    responses={
        200: {"content": {GLB: {}}, "description": "The preview as binary glTF."},
        **problem_responses(404, 409, 422),
    },
)
def preview(
    family_id: str,
    body: ConfigureIn,
    store: StoreDep,
    engines: EnginesDep,
    principal: PrincipalDep,
) -> Response:
    """The 3D preview (GLB) of the choices completed from the defaults (any role).

    404 for a family without a previewable design, 409 when the choices conflict or the design
    fails a check before manufacture, 422 for unknown keys or values.
    """
    with store.unit() as uow:
        row = family_row(uow, family_id, body.version)
    if row.id not in PREVIEW_FAMILIES:
        raise ApiProblem(
            404,
            "no-preview",
            "No 3D preview for this family",
            f"previews exist for: {', '.join(sorted(PREVIEW_FAMILIES))}",
        )
    slot = slot_of(engines, row)

    def complete(engine: Engine) -> dict[str, Value]:
        return engine.complete(parse_choices(engine, body.choices), "defaults")

    try:
        configuration = slot.run(None, complete)
    except Infeasible as exc:
        raise ApiProblem(409, "conflict", "The choices conflict", str(exc)) from None
    try:
        data = preview_glb(slot.family, configuration)
    except Refused as exc:
        raise ApiProblem(409, "invalid-configuration", "Rules broken", str(exc)) from None
    except LotoneError as exc:
        raise ApiProblem(409, "design-refused", "The design was refused", str(exc)) from None
    return Response(data, media_type=GLB, headers={"Cache-Control": "no-store"})
