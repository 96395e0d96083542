"""The delivery promise for one new order under the current load (``lotone twin promise``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lotone.cli import app
from lotone.model.loader import load_family
from lotone.produce.orders import generate_orders
from lotone.twin import SerialExecutor, TwinError, load_scenario, promise
from lotone.twin.promise import order_from_json

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "catalog"


def backlog(tmp_path: Path, count: int, extra: str = "") -> Path:
    """Berlin with ``count`` wardrobe orders waiting at time 0 (the current load)."""
    path = tmp_path / f"load{count}.yaml"
    path.write_text(
        f"""
name: load-{count}
factory: {CATALOG / "factories"}
site: berlin
catalog: {CATALOG}
orders: [{{family: wardrobe, count: {count}}}]
variability: {{default_cv: 0.3}}
replications: 3
seed: 1
{extra}
""",
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def order() -> dict[str, object]:
    """One wardrobe order as ``lotone orders generate`` writes it."""
    family = load_family(CATALOG / "wardrobe.yaml")
    return next(iter(generate_orders(family, 1, 77))).to_json()


def test_the_promise_grows_with_the_load(tmp_path: Path, order: dict[str, object]) -> None:
    """The same order, placed at time 0 behind 2 or behind 25 waiting wardrobes: p50 and p90
    of its delivery are later under the heavier load, and p50 <= p90."""
    wo, _ = order_from_json(order, CATALOG)
    light = promise(load_scenario(backlog(tmp_path, 2)), wo, executor=SerialExecutor())
    heavy = promise(load_scenario(backlog(tmp_path, 25)), wo, executor=SerialExecutor())
    assert 0 < light.p50 <= light.p90
    assert heavy.p50 > light.p50
    assert heavy.p90 > light.p90
    assert light.replications == heavy.replications == 3
    assert light.order == "new:" + str(order["order_id"])


def test_the_promise_counts_to_delivery(tmp_path: Path, order: dict[str, object]) -> None:
    """With a 48 h carrier and a 16:00 pickup, the promise is at least production plus the
    wait for the pickup plus transit."""
    ship = 'shipping: {default: {transit_hours: 48, pickup: "16:00"}}'
    wo, _ = order_from_json(order, CATALOG)
    made = promise(load_scenario(backlog(tmp_path, 2)), wo, executor=SerialExecutor())
    shipped = promise(load_scenario(backlog(tmp_path, 2, ship)), wo, executor=SerialExecutor())
    assert shipped.p50 >= made.p50 + 48 * 3600
    assert shipped.p50 >= 16 * 3600 + 48 * 3600  # nothing leaves before Monday 16:00


def test_cli_promise_json(tmp_path: Path, order: dict[str, object]) -> None:
    """`lotone twin promise S --order O --at 2 --json` prints the promise in hours from the
    order's arrival."""
    path = tmp_path / "order.json"
    path.write_text(json.dumps(order), encoding="utf-8")
    res = CliRunner().invoke(
        app,
        ["twin", "promise", str(backlog(tmp_path, 3)), "--order", str(path), "--at", "2",
         "--replications", "2", "--json"],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert set(data) == {"order", "at_hours", "p50", "p90", "replications", "unit"}
    assert data["unit"] == "h"
    assert data["at_hours"] == 2.0
    assert data["replications"] == 2
    assert 0 < data["p50"] <= data["p90"]


def test_promise_refusals(tmp_path: Path, order: dict[str, object]) -> None:
    """A queue has no orders to promise; an order needs a family and a configuration."""
    queue = tmp_path / "queue.yaml"
    queue.write_text("name: q\nqueue: {arrival_rate: 0.5, service_mean: 1, jobs: 10}\n")
    wo, _ = order_from_json(order, CATALOG)
    with pytest.raises(TwinError, match="needs a factory scenario"):
        promise(load_scenario(queue), wo)
    with pytest.raises(TwinError, match="needs 'family' and a 'configuration'"):
        order_from_json({"family": "wardrobe"}, CATALOG)
    path = tmp_path / "order.json"
    path.write_text("[1, 2]", encoding="utf-8")
    res = CliRunner().invoke(
        app, ["twin", "promise", str(backlog(tmp_path, 1)), "--order", str(path)]
    )
    assert res.exit_code == 1
    assert "an order is a JSON object" in res.output
