"""Closed 2.5D solids: a flat floor, a height-field top, rings of vertices around a centre.

Shapes such as the insole are a flat bottom and a shaped top over a star-shaped outline. Here
the top is meshed on rings (the outline, then rings moved towards a centre point by given
distances), so its boundary is exactly the outline, steps (a recess) are a ring repeated with
two heights, and holes are removed cells with walls. The mesh is built by construction as a
closed, consistently oriented 2-manifold in a few hundred microseconds of numpy, without a
boolean: no seam, no sliver, no tolerance. :meth:`lotone.design.mesh.Mesh.is_watertight`
confirms it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import numpy.typing as npt

from lotone.design.mesh import Mesh

__all__ = ["HeightFn", "Rings", "rings", "solid"]

FloatArray = npt.NDArray[np.float64]
# heights of the top: (x, y, distance from the outline, ring index) -> z, all (J, n) arrays
HeightFn = Callable[[FloatArray, FloatArray, FloatArray, npt.NDArray[np.int64]], FloatArray]


@dataclass(frozen=True, slots=True, eq=False)
class Rings:
    """Ring vertices ``xy`` ``(J, n, 2)`` (ring 0 is the outline), their distances ``(J, n)``.

    ``step`` is the index of a ring that repeats the one before it (a step in the top), or -1.
    """

    xy: FloatArray
    distance: FloatArray
    center: tuple[float, float]
    step: int


def rings(
    outline: FloatArray,
    center: tuple[float, float],
    distances: Sequence[float],
    fractions: Sequence[float],
    step: int = -1,
) -> Rings:
    """Rings inside a counter-clockwise, star-shaped ``outline`` seen from ``center``.

    Ring ``j`` lies ``min(distances[j], fractions[j] * r)`` towards the centre from each outline
    point (``r`` its distance from the centre), so rings never cross when both sequences are
    non-decreasing and the fractions stay below 1.
    """
    if len(distances) != len(fractions) or distances[0] != 0 or fractions[0] != 0:
        raise ValueError("ring 0 is the outline: distances and fractions start with 0")
    if any(b < a for a, b in pairwise(distances)) or any(b < a for a, b in pairwise(fractions)):
        raise ValueError("ring distances and fractions must not decrease")
    if fractions[-1] >= 1:
        raise ValueError("the last ring must stay off the centre (fraction < 1)")
    c = np.asarray(center, dtype=np.float64)
    to_c = c - outline
    r = np.linalg.norm(to_c, axis=1)
    angles = np.unwrap(np.arctan2(-to_c[:, 1], -to_c[:, 0]))
    if np.any(np.diff(angles) <= 0):
        raise ValueError("the outline is not star-shaped around the centre (or not CCW)")
    u = to_c / r[:, None]
    d = np.minimum(np.asarray(distances)[:, None], np.asarray(fractions)[:, None] * r[None, :])
    xy = outline[None, :, :] + d[:, :, None] * u[None, :, :]
    return Rings(xy, d, (float(c[0]), float(c[1])), step)


def _quads(a: npt.NDArray[np.int64], b: npt.NDArray[np.int64], c: npt.NDArray[np.int64],
           d: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:  # fmt: skip
    return np.concatenate([np.stack([a, b, c], 1), np.stack([a, c, d], 1)])


def solid(
    r: Rings,
    height: HeightFn,
    holes: npt.NDArray[np.bool_] | None = None,
) -> tuple[Mesh, float]:
    """The closed solid from ``z = 0`` up to ``height`` over the rings, and its thinnest point.

    ``holes`` ``(J - 1, n)`` marks cells (between rings ``j`` and ``j + 1``, outline points
    ``k`` and ``k + 1``) that are cut through; a hole must not touch another hole, the outline,
    the step ring or the centre fan. Returns the mesh and the minimum height of the top.
    """
    n_rings, n = r.distance.shape
    ks = np.arange(n)
    k1 = (ks + 1) % n
    js = np.arange(n_rings)
    z = height(r.xy[..., 0], r.xy[..., 1], r.distance, np.broadcast_to(js[:, None], (n_rings, n)))
    top_min = float(z.min())
    if top_min <= 0:
        raise ValueError(f"the top must stay above the floor (lowest point {top_min:.3f} mm)")
    cx, cy = np.array([[r.center[0]]]), np.array([[r.center[1]]])
    cz = float(height(cx, cy, np.array([[1e9]]), np.array([[n_rings]], dtype=np.int64))[0, 0])
    # bottom rings: the step ring has the same xy as the one before, so the floor skips it
    b_rings = [j for j in range(n_rings) if j != r.step]
    nb = len(b_rings)
    top_v = np.concatenate([
        np.column_stack([r.xy.reshape(-1, 2), z.reshape(-1)]),
        [[r.center[0], r.center[1], cz]],
    ])  # fmt: skip
    bot_xy = r.xy[b_rings].reshape(-1, 2)
    bot_v = np.concatenate([
        np.column_stack([bot_xy, np.zeros(len(bot_xy))]),
        [[r.center[0], r.center[1], 0.0]],
    ])  # fmt: skip
    t_off = 0
    b_off = len(top_v)
    t_center = n_rings * n
    b_center = b_off + nb * n

    def t(j: int, k: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        return np.asarray(t_off + j * n + k, dtype=np.int64)

    def b(j: int, k: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        return np.asarray(b_off + j * n + k, dtype=np.int64)

    bottom_of = {j: i for i, j in enumerate(b_rings)}
    bottom_of[r.step] = bottom_of.get(r.step - 1, 0) if r.step >= 0 else 0
    cut = np.zeros((n_rings - 1, n), dtype=bool) if holes is None else holes
    faces: list[npt.NDArray[np.int64]] = []
    for j in range(n_rings - 1):
        keep = ~cut[j]
        kk, kn = ks[keep], k1[keep]
        faces.append(_quads(t(j, kk), t(j, kn), t(j + 1, kn), t(j + 1, kk)))
        if j + 1 != r.step:  # the floor has no cells under the step's wall
            bj, bj1 = bottom_of[j], bottom_of[j + 1]
            faces.append(_quads(b(bj, kk), b(bj1, kk), b(bj1, kn), b(bj, kn)))
        hk = ks[cut[j]]
        if len(hk):  # walls of the holes: each edge of the removed top cell, down to the floor
            hn = k1[cut[j]]
            bj, bj1 = bottom_of[j], bottom_of[j + 1]
            corners_t = [t(j, hk), t(j, hn), t(j + 1, hn), t(j + 1, hk)]
            corners_b = [b(bj, hk), b(bj, hn), b(bj1, hn), b(bj1, hk)]
            for e in range(4):
                p, q = corners_t[e], corners_t[(e + 1) % 4]
                pb, qb = corners_b[e], corners_b[(e + 1) % 4]
                faces.append(_quads(p, q, qb, pb))
    last, lastb = n_rings - 1, bottom_of[n_rings - 1]
    faces.append(np.stack([t(last, ks), t(last, k1), np.full(n, t_center)], 1))
    faces.append(np.stack([b(lastb, k1), b(lastb, ks), np.full(n, b_center)], 1))
    faces.append(_quads(t(0, k1), t(0, ks), b(0, ks), b(0, k1)))  # the outer wall
    vertices = np.concatenate([top_v, bot_v])
    return Mesh(vertices, np.concatenate(faces).astype(np.int64)), top_min
