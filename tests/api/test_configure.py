"""The configurator over HTTP: the CLI's JSON shape, why/repair, and its refusals."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from conftest import CATALOG, Service
from lotone.api.timing import parse_server_timing
from lotone.cli import app


def test_answer_has_the_shape_of_the_cli_json(service: Service) -> None:
    """The same choices give the same JSON as ``lotone configure --json``."""
    _, me = service.customer()
    choices = {"foot_length_mm": 281, "use": "diabetic_care"}
    r = service.client.post("/v1/families/insole/configure", json={"choices": choices}, headers=me)
    assert r.status_code == 200
    cli = CliRunner().invoke(
        app, ["configure", str(CATALOG / "insole.yaml"), "--set", "foot_length_mm=281",
              "--set", "use=diabetic_care", "--json"],
    )  # fmt: skip
    assert cli.exit_code == 0, cli.output
    expected = json.loads(cli.output)
    got = {k: v for k, v in r.json().items() if v is not None or k in expected}
    assert got == expected


def test_complete_why_and_repair(service: Service) -> None:
    """complete returns the full configuration; why/repair explain a withheld value."""
    _, me = service.customer()
    body = {
        "choices": {"use": "diabetic_care"},
        "complete": True,
        "why": {"key": "stiffness", "value": "firm"},
    }
    data = service.client.post("/v1/families/insole/configure", json=body, headers=me).json()
    assert data["status"] == "complete"
    assert data["configuration"]["stiffness"] == "soft"
    assert data["why"]["available"] is False
    assert "diabetic-soft" in data["why"]["rules"]
    assert data["repair"] == ["use=diabetic_care"]


def test_conflicting_choices_are_an_answer_with_rule_ids(service: Service) -> None:
    """Conflicting choices: status conflict naming the choices and rules (200, not an error)."""
    _, me = service.customer()
    body = {"choices": {"use": "diabetic_care", "stiffness": "firm"}}
    data = service.client.post("/v1/families/insole/configure", json=body, headers=me).json()
    assert data["status"] == "conflict"
    assert [r["id"] for r in data["conflict"]["rules"]] == ["diabetic-soft"]


def test_unknown_names_and_values_are_422_with_the_field(service: Service) -> None:
    """An unknown key or a value off the grid names the field; unknown family is 404."""
    _, me = service.customer()
    post = lambda path, body: service.client.post(path, json=body, headers=me)
    r = post("/v1/families/insole/configure", {"choices": {"foot_lenght_mm": 280}})
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "body.choices.foot_lenght_mm"
    assert "did you mean" in r.json()["detail"]
    r = post("/v1/families/insole/configure", {"choices": {"foot_length_mm": 280.5}})
    assert r.json()["errors"][0]["field"] == "body.choices.foot_length_mm"
    assert post("/v1/families/sofa/configure", {}).status_code == 404
    assert service.client.get("/v1/families/sofa", headers=me).status_code == 404


def test_family_versions_are_immutable(service: Service) -> None:
    """Uploading an existing version is 409; a new version is added beside it."""
    source = (CATALOG / "serum.yaml").read_text(encoding="utf-8")
    r = service.client.post("/v1/families", json={"source": source}, headers=service.admin)
    assert r.status_code == 409
    newer = source.replace('version: "1.0"', 'version: "1.1-test"', 1)
    r = service.client.post("/v1/families", json={"source": newer}, headers=service.admin)
    assert r.status_code in (201, 409)  # 409 when a previous test session added it
    family = service.client.get("/v1/families/serum", headers=service.admin).json()
    assert family["versions"][:2] == ["1.0", "1.1-test"]
    r = service.client.post("/v1/families", json={"source": "family: [oops"}, headers=service.admin)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"].startswith("body.source")


def test_configure_answers_say_where_their_time_went(service: Service) -> None:
    """Server-Timing names the parts of a configure request; a repeat is answered from the memo.

    The parts are non-negative and together no longer than the whole app's time, which every
    response carries (errors too).
    """
    _, me = service.customer()
    length = 263 if service.backend == "sqlite" else 264  # engines are shared across back ends
    body = {"choices": {"foot_length_mm": length, "use": "work", "foot_width_mm": 99}}
    first = service.client.post("/v1/families/insole/configure", json=body, headers=me)
    again = service.client.post("/v1/families/insole/configure", json=body, headers=me)
    assert first.status_code == again.status_code == 200
    parts = parse_server_timing(first.headers["server-timing"])
    assert {"app", "hop", "db", "wait", "shape"} <= set(parts)
    assert "engine" in parts
    assert "memo" not in parts
    assert all(v >= 0 for v in parts.values())
    assert sum(v for k, v in parts.items() if k != "app") <= parts["app"] + 0.05
    repeat = parse_server_timing(again.headers["server-timing"])
    assert "memo" in repeat
    assert "engine" not in repeat
    refused = service.client.post("/v1/families/nope/configure", json=body, headers=me)
    assert refused.status_code == 404
    assert set(parse_server_timing(refused.headers["server-timing"])) == {"app"}
