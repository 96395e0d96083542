"""``POST /v1/families/{id}/recommend``: valid proposals learned from consented orders only."""

from __future__ import annotations

import json
import uuid
from typing import Any

from typer.testing import CliRunner

from conftest import CATALOG, INSOLE, Service
from lotone.api.shaping import typed_values
from lotone.cli import app
from lotone.configure.engine import Engine
from lotone.model.loader import load_family


def _recommend(
    svc: Service, family: str, headers: dict[str, str], **body: object
) -> dict[str, Any]:
    r = svc.client.post(f"/v1/families/{family}/recommend", json=body, headers=headers)
    assert r.status_code == 200, r.text
    data: dict[str, Any] = r.json()
    return data


def _valid(family: str, configuration: dict[str, object]) -> bool:
    engine = Engine(load_family(CATALOG / f"{family}.yaml"))
    return engine.validate(typed_values(configuration)) == []


def _order(svc: Service, me: dict[str, str], family: str, choices: dict[str, object]) -> str:
    """Place an order for ``choices`` completed by the engine's defaults."""
    state = svc.client.post(
        f"/v1/families/{family}/configure", json={"choices": choices, "complete": True}, headers=me
    ).json()
    r = svc.client.post(
        "/v1/orders",
        json={"family": family, "configuration": state["configuration"]},
        headers={**me, "Idempotency-Key": f"rec-{uuid.uuid4()}"},
    )
    assert r.status_code == 201, r.text
    order_id: str = r.json()["id"]
    return order_id


def test_without_history_the_proposal_is_the_cli_s_and_valid(service: Service) -> None:
    """No consented orders of the serum yet: the answer equals ``lotone recommend --json``
    (the family's defaults completing the choices), and it passes the engine's validator."""
    _, me = service.customer()
    data = _recommend(service, "serum", me, choices={})
    cli = CliRunner().invoke(app, ["recommend", str(CATALOG / "serum.yaml"), "--json"])
    assert cli.exit_code == 0, cli.output
    assert data == json.loads(cli.output)
    assert data["valid"] is True
    assert _valid("serum", data["configuration"])
    defaults = service.client.post(
        "/v1/families/serum/configure", json={"complete": True}, headers=me
    ).json()["configuration"]
    assert data["configuration"] == defaults


def test_the_proposal_keeps_the_choices_and_is_valid(service: Service) -> None:
    """Choices are kept; every key is filled; the validator accepts it; alternatives rank."""
    _, me = service.customer()
    data = _recommend(service, "insole", me, choices={"use": "diabetic_care"}, top=2)
    config = data["configuration"]
    assert config["use"] == "diabetic_care"
    assert config["stiffness"] == "soft"  # the rule diabetic-soft, decoded by the engine
    assert set(config) >= set(INSOLE)
    assert _valid("insole", config)
    assert "use" not in data["alternatives"]
    for alts in data["alternatives"].values():
        assert 1 <= len(alts) <= 2
        scores = [s for _, s in alts]
        assert scores == sorted(scores, reverse=True)


def test_it_learns_from_orders_of_consenting_customers_only(service: Service) -> None:
    """Walnut wardrobes with brass knobs, ordered by a customer who allowed 'analytics', pull
    the proposal there; push-to-open orders of a customer who did not are never read; once the
    consent is withdrawn the proposal is back to the defaults."""
    fan, fan_key = service.customer(consents={"analytics": True})
    _, shy_key = service.customer(consents={"analytics": False})
    for _ in range(3):
        _order(service, fan_key, "wardrobe", {"finish": "walnut", "handle": "brass_knob"})
    for _ in range(5):
        _order(service, shy_key, "wardrobe", {"finish": "oak", "handle": "push_to_open"})
    _, me = service.customer()
    data = _recommend(service, "wardrobe", me, choices={})
    assert (data["configuration"]["finish"], data["configuration"]["handle"]) == (
        "walnut",
        "brass_knob",
    )
    assert data["alternatives"]["finish"][0][0] == "walnut"
    assert data["alternatives"]["finish"][0][1] > 0.9
    assert _valid("wardrobe", data["configuration"])
    # a choice the history did not show: still valid, the rest still learned where it fits
    data = _recommend(service, "wardrobe", me, choices={"door_type": "sliding"})
    assert data["configuration"]["door_type"] == "sliding"
    assert data["configuration"]["handle"] != "brass_knob"  # sliding-handles rule
    assert _valid("wardrobe", data["configuration"])

    r = service.client.put(
        f"/v1/customers/{fan}/consents/analytics", json={"granted": False}, headers=fan_key
    )
    assert r.status_code == 200
    data = _recommend(service, "wardrobe", me, choices={})
    assert data["configuration"]["finish"] == "white"  # the family's default again


def test_the_profile_needs_the_recommendation_consent(service: Service) -> None:
    """use_profile without the 'recommendation' consent is a 409 problem naming it, never a
    silent fallback; with it, the measurements (under 'fit') become the customer's choices."""
    cid, me = service.customer(consents={"fit": True}, measurements={"foot_length_mm": 281})
    r = service.client.post(
        "/v1/families/insole/recommend", json={"choices": {}, "use_profile": True}, headers=me
    )
    assert r.status_code == 409
    assert r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert problem["type"] == "urn:lotone:problem:consent-required"
    assert "recommendation" in problem["title"]
    assert problem["errors"] == [
        {"field": "body.use_profile", "message": "no recorded 'recommendation' consent"}
    ]
    plain = _recommend(service, "insole", me, choices={})
    assert plain["configuration"]["foot_length_mm"] != 281  # the profile is not read
    service.client.put(
        f"/v1/customers/{cid}/consents/recommendation", json={"granted": True}, headers=me
    )
    data = _recommend(service, "insole", me, choices={}, use_profile=True)
    assert data["configuration"]["foot_length_mm"] == 281
    assert "foot_length_mm" not in data["alternatives"]
    assert _valid("insole", data["configuration"])


def test_customers_are_isolated(service: Service) -> None:
    """Each customer's profile serves only them; naming someone else is 403; staff must name
    the customer; another customer's ordered measurements never reach a proposal."""
    alice, a = service.customer(
        consents={"fit": True, "recommendation": True}, measurements={"foot_length_mm": 281}
    )
    bob, b = service.customer(
        consents={"fit": True, "recommendation": True, "analytics": True},
        measurements={"foot_length_mm": 252},
    )
    for _ in range(3):
        _order(service, b, "insole", {"foot_length_mm": 252, "foot_width_mm": 97})
    mine = _recommend(service, "insole", a, use_profile=True)
    assert mine["configuration"]["foot_length_mm"] == 281
    assert (
        _recommend(service, "insole", b, use_profile=True)["configuration"]["foot_length_mm"] == 252
    )
    post = service.client.post
    theirs = {"use_profile": True, "customer_id": bob}
    r = post("/v1/families/insole/recommend", json=theirs, headers=a)
    assert r.status_code == 403
    assert r.json()["errors"][0]["field"] == "body.customer_id"
    staff = _recommend(service, "insole", service.operator, use_profile=True, customer_id=alice)
    assert staff["configuration"]["foot_length_mm"] == 281
    r = post("/v1/families/insole/recommend", json={"use_profile": True}, headers=service.operator)
    assert r.status_code == 422
    r = post("/v1/families/insole/recommend", json={"customer_id": alice}, headers=a)
    assert r.status_code == 422  # customer_id only says whose profile to use
    # Bob's orders teach options, never his body: Alice without her profile gets the default
    plain = _recommend(service, "insole", a)
    assert plain["configuration"]["foot_length_mm"] not in (252, 281)
    assert plain["configuration"]["foot_width_mm"] != 97


def test_refusals_are_problems(service: Service) -> None:
    """Unknown family 404, unknown key 422 naming the field, conflicting choices 409, no key
    401."""
    _, me = service.customer()
    post = service.client.post
    assert post("/v1/families/sofa/recommend", json={}, headers=me).status_code == 404
    r = post("/v1/families/insole/recommend", json={"choices": {"colour": "red"}}, headers=me)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "body.choices.colour"
    conflict = {"choices": {"use": "diabetic_care", "stiffness": "firm"}}
    r = post("/v1/families/insole/recommend", json=conflict, headers=me)
    assert r.status_code == 409
    assert "diabetic-soft" in r.json()["detail"]
    assert post("/v1/families/insole/recommend", json={}).status_code == 401


def test_stored_traits_fit_a_serum_under_the_fit_consent(service: Service) -> None:
    """Skin type and climate kept in the (encrypted) profile become the serum's facts under
    'fit'; without 'fit' it is a consent problem; an unknown trait value is a 409 problem."""
    traits = {"skin_type": "dry", "climate": "cold"}
    cid, me = service.customer(consents={"recommendation": True}, traits=traits)
    assert service.client.get(f"/v1/customers/{cid}", headers=me).json()["traits"] == traits
    r = service.client.post(
        "/v1/families/serum/recommend", json={"choices": {}, "use_profile": True}, headers=me
    )
    assert r.status_code == 409
    assert r.json()["type"] == "urn:lotone:problem:consent-required"
    assert "'fit'" in r.json()["title"]
    service.client.put(f"/v1/customers/{cid}/consents/fit", json={"granted": True}, headers=me)
    data = _recommend(service, "serum", me, choices={}, use_profile=True)
    config = data["configuration"]
    assert (config["skin_type"], config["climate"], config["texture"]) == ("dry", "cold", "rich")
    assert _valid("serum", config)
    service.client.patch(
        f"/v1/customers/{cid}", json={"traits": {"skin_type": "scaly"}}, headers=me
    )
    bad = service.client.post(
        "/v1/families/serum/recommend", json={"choices": {}, "use_profile": True}, headers=me
    )
    assert bad.status_code == 409
    assert bad.json()["type"] == "urn:lotone:problem:invalid-profile"
    assert "scaly" in bad.json()["detail"]
