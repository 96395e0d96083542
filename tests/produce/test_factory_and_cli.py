"""The factory model, site matching, roll-up, order generation and the two CLI commands."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lotone.cli import app
from lotone.errors import ModelError
from lotone.model.family import Family
from lotone.produce.capability import eligible_sites, fit, roll_up, shortfalls
from lotone.produce.customers import Foot
from lotone.produce.explode import explode
from lotone.produce.factory_loader import load_network, load_site_text
from lotone.produce.orders import generate_orders

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "catalog"
FACTORIES = CATALOG / "factories"
runner = CliRunner()


def test_sample_network_loads_three_sites_with_expanded_machines() -> None:
    """`count: 4` makes four machines; calendars and setup matrices are read."""
    net = load_network([FACTORIES])
    assert [s.id for s in net.sites] == ["berlin", "eindhoven", "lyon"]
    berlin = net.site("berlin")
    bench = berlin.centers("assembly")[0]
    assert [m.id for m in bench.machines] == ["bench-1", "bench-2", "bench-3", "bench-4"]
    sls = berlin.centers("printer_sls")[0]
    assert sls.setup.minutes("tpu_88a", "tpu_95a") == 45
    assert sls.setup.minutes("tpu_88a", "pa12") == 90
    assert sls.setup.minutes("pa12", "pa12") == 0
    assert berlin.shifts[0].minutes_per_week == 5 * 16 * 60


@pytest.mark.parametrize(
    ("name", "sites"),
    [("insole", ["berlin", "lyon"]), ("wardrobe", ["berlin"]), ("pc", ["eindhoven"]),
     ("serum", ["lyon"])],
)  # fmt: skip
def test_every_catalog_family_can_be_made_somewhere(
    name: str, sites: list[str], families: dict[str, Family]
) -> None:
    """The default product of each family fits the sites that have its machines."""
    from lotone.configure.engine import Engine

    family = families[name]
    wo = explode(Engine(family).complete({}), family)
    assert eligible_sites(wo, load_network([FACTORIES])) == sites


def test_capabilities_and_build_volume_decide_the_site(families: dict[str, Family]) -> None:
    """TPU 88A is printed only in Berlin; Lyon says why it cannot."""
    from lotone.configure.engine import Engine

    family = families["insole"]
    wo = explode(Engine(family).complete({"base_material": "tpu_88a"}), family)
    net = load_network([FACTORIES])
    assert eligible_sites(wo, net) == ["berlin"]
    assert fit(wo, net.site("lyon")).reasons[0].startswith("print: no printer_sls machine with")


def test_site_file_errors_name_file_line_col() -> None:
    """A bad site file is refused with every error at its position."""
    with pytest.raises(ModelError) as info:
        load_site_text(
            "site: x\nwork_centers:\n  a:\n    type: cnc\n    machines:\n"
            "      - {id: m1, speed: 0, colour: red}\n",
            "x.yaml",
        )
    text = str(info.value)
    assert "x.yaml:6:28: error: unknown key 'colour' in machine" in text
    assert "x.yaml:6:25: error: machine: 'speed' must be positive" in text


def test_roll_up_sums_standard_modules_and_materials_across_orders(
    families: dict[str, Family], feet: list[Foot]
) -> None:
    """The day's demand per part is the sum of the work orders' lines; stock gives shortfalls."""
    family = families["wardrobe"]
    orders = [explode(o.configuration, family) for o in generate_orders(family, 40, 1, feet)]
    need = roll_up(orders)
    packs = sum(
        (line.quantity for wo in orders for line in wo.bom if line.part == "fitting_pack"),
        Decimal(0),
    )
    assert need["fitting_pack"].quantity == packs
    assert need["fitting_pack"].supply == "stock"
    assert "drawer_box" not in need  # made for the order, not drawn
    berlin = load_network([FACTORIES]).site("berlin")
    short = shortfalls(need, berlin)
    assert all(need[p].supply == "stock" for p in short)


@pytest.mark.parametrize("name", ["insole", "wardrobe", "pc", "serum"])
def test_orders_generate_prints_valid_orders_reproducibly(name: str) -> None:
    """One JSON object per line with order id, family and configuration; same seed, same lines."""
    args = ["orders", "generate", str(CATALOG / f"{name}.yaml"), "--count", "5", "--seed", "3"]
    first, again = runner.invoke(app, args), runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    lines = [json.loads(line) for line in first.output.splitlines()]
    assert len(lines) == 5
    assert lines[0]["order_id"] == f"{name}-3-000001"
    assert {"order_id", "family", "version", "configuration"} == set(lines[0])
    assert first.output == again.output
    for line in lines:
        code = runner.invoke(
            app,
            ["order", "explode", str(CATALOG / f"{name}.yaml"), "--json"]
            + [a for k, v in line["configuration"].items() for a in ("--set", f"{k}={_text(v)}")],
        )
        assert code.exit_code == 0, code.output


def _text(v: object) -> str:
    return ("true" if v else "false") if isinstance(v, bool) else str(v)


def test_orders_generate_writes_to_a_file(tmp_path: Path) -> None:
    """`--out` writes the lines to a file instead of standard output."""
    out = tmp_path / "orders.jsonl"
    result = runner.invoke(app, ["orders", "generate", str(CATALOG / "serum.yaml"), "-n", "3",
                                 "--seed", "1", "--out", str(out)])  # fmt: skip
    assert result.exit_code == 0
    assert len(out.read_text().splitlines()) == 3


def test_order_explode_json_contract() -> None:
    """`order explode --json`: bom, operations (id, work_center, minutes, setup_family, after),
    qc, hash, and the sites that can make it."""
    result = runner.invoke(app, ["order", "explode", str(CATALOG / "wardrobe.yaml"), "--complete",
                                 "--set", "width_mm=1800", "--factories", str(FACTORIES),
                                 "--json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["hash"].startswith("sha256:")
    assert {"part", "quantity", "unit"} <= set(data["bom"][0])
    op = data["operations"][0]
    assert {"id", "work_center", "minutes", "setup_family", "after"} <= set(op)
    assert isinstance(data["qc"], list)
    assert data["qc"]
    assert data["sites"] == ["berlin"]


def test_order_explode_refuses_an_invalid_configuration_with_exit_1(
    families: dict[str, Family], feet: list[Foot]
) -> None:
    """An invalid configuration is refused with its rule ids (JSON) and exit status 1."""
    (order,) = generate_orders(families["serum"], 1, 1, feet)
    config = {**order.to_json()["configuration"], "base_pct": 70}  # type: ignore[dict-item]
    sets = [a for k, v in config.items() for a in ("--set", f"{k}={_text(v)}")]
    result = runner.invoke(app, ["order", "explode", str(CATALOG / "serum.yaml"), *sets, "--json"])
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["status"] == "refused"
    assert "formula-adds-up" in [v["id"] for v in data["violations"]]


def test_order_explode_completes_open_keys_from_defaults_and_lists_them() -> None:
    """Open keys are completed from the defaults; the JSON names them in `defaulted`."""
    result = runner.invoke(
        app, ["order", "explode", str(CATALOG / "insole.yaml"), "--set", "foot_length_mm=270",
              "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert "foot_length_mm" not in data["defaulted"]
    assert "side" in data["defaulted"]
    assert data["bom"]
    assert data["operations"]


def test_order_explode_refuses_conflicting_choices_with_the_rule_id() -> None:
    """Choices that no completion can satisfy are refused with the rule ids, exit 1."""
    result = runner.invoke(
        app, ["order", "explode", str(CATALOG / "pc.yaml"), "--set", "psu=atx_550", "--set",
              "gpu=rtx5090", "--json"],
    )  # fmt: skip
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["status"] == "refused"
    assert [v["id"] for v in data["violations"]] == ["psu-power"]
