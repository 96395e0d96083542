"""Triangle meshes as numpy arrays, with the measurements the checks and the work order need."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["Mesh"]


@dataclass(frozen=True, slots=True, eq=False)
class Mesh:
    """A triangle mesh in mm: ``vertices`` ``(n, 3)`` float, ``faces`` ``(m, 3)`` vertex indices.

    Faces are counter-clockwise seen from outside. The arrays are made read-only on construction.
    """

    vertices: npt.NDArray[np.float64]
    faces: npt.NDArray[np.int64]

    def __post_init__(self) -> None:
        if self.vertices.ndim != 2 or self.vertices.shape[1] != 3:
            raise ValueError(f"vertices must be (n, 3), got {self.vertices.shape}")
        if self.faces.ndim != 2 or self.faces.shape[1] != 3:
            raise ValueError(f"faces must be (m, 3), got {self.faces.shape}")
        if len(self.faces) and (self.faces.min() < 0 or self.faces.max() >= len(self.vertices)):
            raise ValueError("a face refers to a vertex that does not exist")
        self.vertices.flags.writeable = False
        self.faces.flags.writeable = False

    @property
    def bounds(self) -> tuple[tuple[float, float, float], tuple[float, float, float]]:
        """The lower and upper corners of the axis-aligned bounding box."""
        lo = self.vertices.min(axis=0)
        hi = self.vertices.max(axis=0)
        return (float(lo[0]), float(lo[1]), float(lo[2])), (
            float(hi[0]),
            float(hi[1]),
            float(hi[2]),
        )

    @property
    def extents(self) -> tuple[float, float, float]:
        """Bounding-box sizes along x, y and z."""
        lo, hi = self.bounds
        return hi[0] - lo[0], hi[1] - lo[1], hi[2] - lo[2]

    @property
    def volume(self) -> float:
        """Enclosed volume (divergence theorem); meaningful for a watertight mesh."""
        a, b, c = (self.vertices[self.faces[:, i]] for i in range(3))
        return float(np.einsum("ij,ij->i", a, np.cross(b, c)).sum() / 6.0)

    @property
    def area(self) -> float:
        """Surface area in mm2."""
        a, b, c = (self.vertices[self.faces[:, i]] for i in range(3))
        return float(np.linalg.norm(np.cross(b - a, c - a), axis=1).sum() / 2.0)

    def is_watertight(self) -> bool:
        """Whether every edge is shared by exactly two faces with opposite directions.

        That makes the surface closed and consistently oriented (an oriented 2-manifold
        without boundary), so the volume and a slicer's inside/outside are well defined.
        """
        if len(self.faces) == 0:
            return False
        f = self.faces
        n = np.int64(len(self.vertices))
        heads = np.concatenate([f[:, 0], f[:, 1], f[:, 2]])
        tails = np.concatenate([f[:, 1], f[:, 2], f[:, 0]])
        if np.any(heads == tails):
            return False
        directed = heads * n + tails
        reverse = tails * n + heads
        directed.sort()
        if np.any(directed[1:] == directed[:-1]):
            return False  # an edge used twice in the same direction: flipped or non-manifold
        reverse.sort()
        return bool(np.array_equal(directed, reverse))

    def mirrored_y(self) -> Mesh:
        """The mirror image in the plane ``y = 0``, with faces re-oriented outward."""
        v = self.vertices.copy()
        v[:, 1] = -v[:, 1]
        return Mesh(v, self.faces[:, ::-1].copy())
