"""The trimesh seam: preview export (GLB) and reading meshes back (tests, checks of files)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from lotone.design.mesh import Mesh

__all__ = ["glb", "load"]


def _tm() -> Any:
    import trimesh

    return trimesh


def glb(meshes: Sequence[tuple[str, Mesh]]) -> bytes:
    """A binary glTF scene with one node per named mesh."""
    tm = _tm()
    scene = tm.Scene()
    for name, mesh in meshes:
        scene.add_geometry(
            tm.Trimesh(vertices=mesh.vertices, faces=mesh.faces, process=False),
            node_name=name,
            geom_name=name,
        )
    data: bytes = scene.export(file_type="glb")
    return data


def load(
    data: bytes, file_type: str
) -> list[tuple[npt.NDArray[np.float64], npt.NDArray[np.int64]]]:
    """The meshes in a file (``stl``, ``3mf``, ``glb``) as vertex and face arrays."""
    import io

    tm = _tm()
    loaded = tm.load(io.BytesIO(data), file_type=file_type, force="scene")
    return [
        (np.asarray(g.vertices, dtype=np.float64), np.asarray(g.faces, dtype=np.int64))
        for g in loaded.geometry.values()
    ]
