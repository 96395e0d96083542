"""Operators, buffers and shipping in scenario files: parsed, built, reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lotone.cli import app
from lotone.twin import TwinError, build, load_scenario

ROOT = Path(__file__).resolve().parents[2]

FLOOR = f"""
name: floor
factory: {ROOT / "catalog" / "factories"}
site: berlin
catalog: {ROOT / "catalog"}
orders:
  - {{family: wardrobe, count: 10, rate_per_hour: 1.5, due_hours: 96, region: FR}}
  - {{family: wardrobe, count: 4, rate_per_hour: 0.5, due_hours: 96}}
horizon_hours: 120
replications: 1
seed: 4
variability: {{default_cv: 0.3}}
operators:
  pools: {{setters: 1, crew: 2}}
  need:
    cnc: {{pool: setters, during: setup}}
    edge: {{pool: crew}}
    bench-1: {{pool: crew, count: 2, during: run}}
buffers: {{edge: 1, bench: 2}}
shipping:
  default: {{transit_hours: 24, cv: 0.3, pickup: "16:00", days: [mon, tue, wed, thu, fri]}}
  regions: {{FR: {{transit_hours: 48}}}}
"""


@pytest.fixture
def floor_yaml(tmp_path: Path) -> Path:
    """Berlin with setters, a crew, buffers before the edge bander and benches, two carriers."""
    path = tmp_path / "floor.yaml"
    path.write_text(FLOOR, encoding="utf-8")
    return path


def test_floor_sections_land_on_the_model(floor_yaml: Path) -> None:
    """Pools by name; needs by work center, a machine's own need winning; buffers before
    work centers; carriers per region, FR orders on the FR carrier."""
    model, _ = build(load_scenario(floor_yaml))
    assert [(p.name, p.size) for p in model.pools] == [("setters", 1), ("crew", 2)]
    spec = dict(zip(model.problem.machine_names, model.machines, strict=True))
    assert spec["cnc-small"].crew is not None
    assert spec["cnc-small"].crew.during == "setup"
    assert spec["bench-1"].crew is not None
    assert spec["bench-1"].crew.count == 2
    assert spec["bench-2"].crew is None
    assert spec["edgebander-1"].crew is not None
    assert spec["edgebander-1"].crew.pool == 1
    assert [(b.name, b.capacity) for b in model.buffers] == [("edge", 1), ("bench", 2)]
    assert spec["bench-3"].buffer == 1
    assert spec["qc-station-1"].buffer == -1
    regions = [c.name for c in model.carriers]
    assert regions == ["FR", "default"]
    fr = [j for j, job in enumerate(model.problem.jobs) if job.name.startswith("wardrobe1-")]
    assert len(fr) == 10
    assert all(model.job_carrier[j] == 0 for j in fr)
    assert model.carriers[1].pickup == 16 * 3600.0
    assert model.carriers[1].days == (0, 1, 2, 3, 4)


def test_cli_reports_operators_and_blocking(floor_yaml: Path, tmp_path: Path) -> None:
    """The JSON keeps the contract's keys first and adds operators, blocking and buffers;
    the report gains the operator and blocking plots."""
    out = tmp_path / "out"
    res = CliRunner().invoke(app, ["twin", "run", str(floor_yaml), "--json", "--out", str(out)])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert list(data) == [
        "lead_time", "throughput", "utilization", "bottleneck", "on_time_rate", "events",
        "events_per_second", "operators", "blocking", "buffers",
    ]  # fmt: skip
    assert set(data["operators"]) == {"setters", "crew"}
    assert 0 < data["operators"]["crew"] <= 1
    assert data["buffers"]["edge"]["peak"] <= 1
    assert data["buffers"]["bench"]["peak"] <= 2
    assert data["lead_time"]["p50"] > 24  # counted to delivery: at least the transit
    page = (out / "report.html").read_text()
    assert page.count("data:image/png;base64,") == 6
    assert "Operator utilization per pool" in page


def test_floor_refusals(tmp_path: Path) -> None:
    """Unknown pools, negative buffers, carriers missing for a region, bad pickups."""
    cases = (
        ("operators:\n  pools: {a: 1}\n  need: {cnc: {pool: b}}", "pool 'b' is not among"),
        ("buffers: {edge: -1}", "number of places, 0 or more"),
        ("shipping: {regions: {DE: {transit_hours: 5}}}", "no carrier for region FR"),
        ('shipping: {default: {transit_hours: 5, pickup: "25:00"}}', "not a time of day"),
        ("buffers: {edge: 1}\npolicy: schedule", "limited buffers need a dispatching policy"),
    )
    for extra, message in cases:
        path = tmp_path / "bad.yaml"
        lines = [
            ln
            for ln in FLOOR.splitlines()
            if not ln.startswith(("operators", "buffers", "shipping", "  "))
        ]
        path.write_text(
            "\n".join(lines) + "\norders: [{family: wardrobe, count: 1, region: FR}]\n" + extra
        )
        with pytest.raises(TwinError, match=message):
            load_scenario(path)
    path = tmp_path / "bad.yaml"
    path.write_text(FLOOR.replace("buffers: {edge: 1, bench: 2}", "buffers: {edgebander-1: 1}"))
    with pytest.raises(TwinError, match=r"buffers\.edgebander-1 names no work center"):
        build(load_scenario(path))


@pytest.mark.parametrize("name", sorted(p.name for p in (ROOT / "scenarios").glob("*.yaml")))
def test_sample_scenarios_load_and_build(name: str) -> None:
    """Every scenario shipped in scenarios/ loads and builds (the docs point to them)."""
    sc = load_scenario(ROOT / "scenarios" / name)
    model, _ = build(sc)
    assert model.problem.jobs
