"""Scenarios from YAML, replications through executors, and the ``lotone twin`` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lotone.cli import app
from lotone.twin import (
    ProcessExecutor,
    SerialExecutor,
    TwinError,
    build,
    load_scenario,
    replicate,
    summarize,
)

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()

FACTORY = f"""
name: tiny-berlin
factory: {ROOT / "catalog" / "factories"}
site: berlin
catalog: {ROOT / "catalog"}
orders:
  - {{family: wardrobe, count: 12, rate_per_hour: 1.0, due_hours: 48}}
horizon_hours: 72
policy: fifo
replications: 2
seed: 3
variability: {{default_cv: 0.3, centers: {{cnc: 0.5}}}}
breakdowns: {{edge: {{mtbf_hours: 20, mttr_hours: 1}}}}
"""

QUEUE = """
name: mm1
queue: {arrival_rate: 0.5, service_mean: 1, servers: 1, jobs: 2000, cv: 1}
replications: 2
"""


@pytest.fixture
def factory_yaml(tmp_path: Path) -> Path:
    """A small Berlin scenario: 12 wardrobes over three days."""
    path = tmp_path / "tiny.yaml"
    path.write_text(FACTORY, encoding="utf-8")
    return path


def test_factory_scenario_builds_from_the_catalog(factory_yaml: Path) -> None:
    """Orders are generated and exploded; variability and breakdowns land on machines."""
    sc = load_scenario(factory_yaml)
    model, plan = build(sc)
    assert plan is None
    assert len(model.problem.jobs) == 12
    specs = dict(zip(model.problem.machine_names, model.machines, strict=True))
    assert specs["cnc-nesting"].cv == 0.5
    assert specs["edgebander-1"].mtbf == 20 * 3600.0
    assert specs["bench-1"].cv == 0.3
    assert model.releases == tuple(sorted(model.releases))


def test_process_and_serial_executors_agree(factory_yaml: Path) -> None:
    """Replications are reproducible wherever they run."""
    sc = load_scenario(factory_yaml)
    model, _ = build(sc)
    a = replicate(model, replications=2, seed=1, horizon=sc.horizon, executor=SerialExecutor())
    b = replicate(model, replications=2, seed=1, horizon=sc.horizon, executor=ProcessExecutor(2))
    assert [t.op_end for t in a] == [t.op_end for t in b]
    assert a[0].op_end != a[1].op_end


def test_schedule_policy_executes_a_rule_plan(factory_yaml: Path) -> None:
    """Policy 'schedule' plans with the rule, then runs the plan with disturbances."""
    sc = load_scenario(factory_yaml, {"policy": "schedule", "replications": 1})
    model, plan = build(sc)
    assert plan is not None
    kpis = summarize(replicate(model, "schedule", schedule=plan, horizon=sc.horizon))
    assert kpis.completed > 0


def test_scenario_refusals(tmp_path: Path) -> None:
    """Unknown keys and missing parts are refused with the fix."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\nqueue: {arrival_rate: 1, service_mean: 2}\npolicyy: fifo\n")
    with pytest.raises(TwinError, match="unknown keys policyy"):
        load_scenario(bad)
    bad.write_text("name: x\nsite: berlin\n")
    with pytest.raises(TwinError, match="either 'queue' or 'factory'"):
        load_scenario(bad)


def test_cli_run_json_contract(tmp_path: Path) -> None:
    """`lotone twin run --json` prints exactly the contract's keys."""
    path = tmp_path / "mm1.yaml"
    path.write_text(QUEUE, encoding="utf-8")
    res = runner.invoke(app, ["twin", "run", str(path), "--json", "--replications", "1"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert list(data) == [
        "lead_time", "throughput", "utilization", "bottleneck", "on_time_rate", "events",
        "events_per_second",
    ]  # fmt: skip
    assert set(data["lead_time"]) == {"mean", "p50", "p95"}
    assert data["bottleneck"] == "server1"
    assert data["on_time_rate"] is None


def test_cli_run_writes_report(factory_yaml: Path, tmp_path: Path) -> None:
    """--out writes kpis.json and a self-contained report.html with plots."""
    out = tmp_path / "out"
    res = runner.invoke(app, ["twin", "run", str(factory_yaml), "--out", str(out), "--seed", "5"])
    assert res.exit_code == 0, res.output
    assert "bottleneck" in json.loads((out / "kpis.json").read_text())
    page = (out / "report.html").read_text()
    assert page.count("data:image/png;base64,") == 4


def test_cli_reports_errors_cleanly(tmp_path: Path) -> None:
    """A broken scenario exits 1 with the reason, no traceback."""
    res = runner.invoke(app, ["twin", "run", str(tmp_path / "missing.yaml")])
    assert res.exit_code == 1
    assert "cannot read scenario" in res.output
