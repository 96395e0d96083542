"""The web page's server side: the page, its settings document and the GLB preview."""

from __future__ import annotations

import dataclasses
import struct

from fastapi.testclient import TestClient

from conftest import Service
from lotone.api import create_app


def test_the_page_and_its_files_are_served(service: Service) -> None:
    """``/`` is the configurator page; its script and style come from ``/static``."""
    page = service.client.get("/")
    assert page.status_code == 200
    assert '<script type="module" src="/static/app.js">' in page.text
    for name in ("app.js", "glb-view.js", "style.css"):
        assert service.client.get(f"/static/{name}").status_code == 200
    assert "/" not in service.client.get("/openapi.json").json()["paths"]


def test_the_demo_key_is_offered_only_under_demo(service: Service) -> None:
    """Without ``--demo`` the page gets no key; with it, the demo customer's."""
    assert service.client.get("/web/config").json() == {"demo": False, "demo_key": None}
    demo = dataclasses.replace(service.settings, demo=True)
    with TestClient(create_app(demo, store=service.store)) as client:
        assert client.get("/web/config").json() == {"demo": True, "demo_key": "lk_demo_customer"}


def test_preview_is_a_glb_of_the_completed_insole(service: Service) -> None:
    """Open keys take their defaults; the answer is binary glTF with both insoles."""
    response = service.client.post(
        "/v1/families/insole/preview",
        json={"choices": {"foot_length_mm": 281, "side": "pair"}},
        headers=service.admin,
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "model/gltf-binary"
    magic, version, length = struct.unpack_from("<4sII", response.content)
    assert (magic, version, length) == (b"glTF", 2, len(response.content))
    assert b"insole-left" in response.content
    assert b"insole-right" in response.content


def test_preview_of_a_wardrobe_is_its_assembled_boards(service: Service) -> None:
    """The wardrobe's preview is a GLB of its boards in place (sides, doors...), not cut sheets."""
    response = service.client.post(
        "/v1/families/wardrobe/preview",
        json={"choices": {"door_type": "sliding", "handle": "recessed_grip"}},
        headers=service.admin,
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "model/gltf-binary"
    magic, _, length = struct.unpack_from("<4sII", response.content)
    assert (magic, length) == (b"glTF", len(response.content))
    for name in (b"side-1", b"top-1", b"door-2"):
        assert name in response.content


def test_preview_refusals(service: Service) -> None:
    """No preview for a family without a 3D design (404) or for conflicting choices (409)."""
    post = service.client.post
    serum = post("/v1/families/serum/preview", json={"choices": {}}, headers=service.admin)
    assert serum.status_code == 404
    conflict = post(
        "/v1/families/insole/preview",
        json={"choices": {"use": "diabetic_care", "stiffness": "firm"}},
        headers=service.admin,
    )
    assert conflict.status_code == 409
    assert post("/v1/families/insole/preview", json={"choices": {}}).status_code == 401
