"""The 3D preview of a configuration as binary glTF, for the web page.

* the insole: its printed parts, as ``lotone design generate`` exports them (:func:`.glb_bytes`);
* the wardrobe: its boards as boxes where they are assembled (:mod:`.assembly`), not the
  panels nested on cut sheets.

Other families (the serum's label, the pc) have no 3D preview.
"""

from __future__ import annotations

from collections.abc import Mapping

from lotone.configure.validate import validate
from lotone.design.assembly import assembly_glb, wardrobe_assembly
from lotone.design.export import glb_bytes
from lotone.design.templates import design_family
from lotone.errors import Refused, UnknownName
from lotone.model.family import Family, Value

__all__ = ["PREVIEWS", "preview_glb"]

#: The families with a 3D preview.
PREVIEWS = ("insole", "wardrobe")


def preview_glb(family: Family, configuration: Mapping[str, Value]) -> bytes:
    """The GLB preview of a complete configuration of ``family``; refused if it breaks rules.

    Raises
    ------
    UnknownName
        When the family has no 3D preview.
    Refused
        When the configuration breaks rules.
    """
    if family.id not in PREVIEWS:
        raise UnknownName("family with a 3D preview", family.id, PREVIEWS)
    if family.id == "wardrobe":
        broken = validate(family, configuration)
        if broken:
            raise Refused(broken, "configuration")
        return assembly_glb(wardrobe_assembly(configuration))
    return glb_bytes(design_family(family, configuration))
