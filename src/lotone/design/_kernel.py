"""The geometry kernel seam: manifold3d behind two small typed classes.

Only this module imports :mod:`manifold3d`. :class:`Region` is a 2D set of polygons,
:class:`Solid` a 3D manifold; every boolean on them is manifold3d's, so every solid built here
is a closed, oriented 2-manifold by construction (checked again on the mesh by
:meth:`lotone.design.mesh.Mesh.is_watertight`). The bracket is built here; the tests also use
:meth:`Solid.from_arrays` to have manifold3d confirm meshes built elsewhere.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["Region", "Solid"]

FloatArray = npt.NDArray[np.float64]


def _m() -> Any:
    import manifold3d  # type: ignore[import-not-found]

    return manifold3d


class Region:
    """A 2D region (polygons, in mm); immutable."""

    __slots__ = ("_cs",)

    def __init__(self, cs: Any) -> None:
        self._cs = cs

    @classmethod
    def polygon(cls, points: FloatArray) -> Region:
        """The region inside one closed polygon (``points`` is ``(n, 2)``; any orientation)."""
        pts = np.asarray(points, dtype=np.float64)
        x, y = pts[:, 0], pts[:, 1]
        if np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y) < 0:
            pts = pts[::-1]
        return cls(_m().CrossSection([pts]))

    @property
    def area(self) -> float:
        """Area in mm2."""
        return float(self._cs.area())

    def extrude(self, height: float, z0: float = 0.0) -> Solid:
        """The prism of this region from ``z0`` to ``z0 + height``."""
        solid = _m().Manifold.extrude(self._cs, height)
        return Solid(solid.translate((0.0, 0.0, z0)) if z0 else solid)


class Solid:
    """A closed 3D solid (a manifold3d ``Manifold``); immutable."""

    __slots__ = ("_mf",)

    def __init__(self, mf: Any) -> None:
        self._mf = mf

    @classmethod
    def from_arrays(cls, vertices: FloatArray, faces: npt.NDArray[np.int64]) -> Solid:
        """A solid from a triangle mesh; manifold3d checks it (see :attr:`status_ok`)."""
        m = _m()
        mesh = m.Mesh(
            vert_properties=np.asarray(vertices, dtype=np.float32),
            tri_verts=np.asarray(faces, dtype=np.uint32),
        )
        return cls(m.Manifold(mesh))

    @classmethod
    def cylinder(cls, radius: float, height: float, segments: int, axis: str = "z") -> Solid:
        """A cylinder of ``radius`` from 0 to ``height`` along ``axis`` (x, y or z)."""
        c = _m().Manifold.cylinder(height, radius, radius, segments)
        if axis == "x":
            c = c.rotate((0.0, 90.0, 0.0))
        elif axis == "y":
            c = c.rotate((-90.0, 0.0, 0.0))
        return cls(c)

    def minus(self, others: Sequence[Solid]) -> Solid:
        """This solid with every one of ``others`` removed, in one batch boolean."""
        if not others:
            return self
        m = _m()
        return Solid(
            m.Manifold.batch_boolean([self._mf, *(o._mf for o in others)], m.OpType.Subtract)
        )

    def translate(self, dx: float, dy: float, dz: float) -> Solid:
        """Moved by ``(dx, dy, dz)``."""
        return Solid(self._mf.translate((dx, dy, dz)))

    @property
    def volume(self) -> float:
        """Volume in mm3."""
        return float(self._mf.volume())

    @property
    def status_ok(self) -> bool:
        """Whether manifold3d reports no error for this solid."""
        return str(self._mf.status()).endswith("NoError")

    def arrays(self) -> tuple[FloatArray, npt.NDArray[np.int64]]:
        """Vertices ``(n, 3)`` (mm) and triangles ``(m, 3)`` (vertex indices, outward CCW)."""
        mesh = self._mf.to_mesh()
        vertices = np.asarray(mesh.vert_properties, dtype=np.float64)[:, :3]
        faces = np.asarray(mesh.tri_verts, dtype=np.int64)
        return vertices, faces
