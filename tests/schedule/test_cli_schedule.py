"""The CLI contract of `lotone schedule --json` and `lotone plan`."""

from __future__ import annotations

import json
from pathlib import Path

from schedule_instances import FT06, JIT5, MK01, instance
from typer.testing import CliRunner

from lotone.cli import app

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


def test_schedule_json_has_exactly_the_contract_keys() -> None:
    """ft06: status, objective, lower_bound, makespan, operations with 0-based job/op."""
    code, out = run("schedule", str(instance(FT06)), "--json", "--time-limit", "5")
    assert code == 0, out
    data = json.loads(out)
    assert set(data) == {"status", "objective", "lower_bound", "makespan", "operations"}
    assert (data["status"], data["objective"], data["makespan"]) == ("optimal", 55, 55)
    assert len(data["operations"]) == 36
    assert set(data["operations"][0]) == {"job", "op", "machine", "start", "end"}
    assert {(o["job"], o["op"]) for o in data["operations"]} == {
        (j, k) for j in range(6) for k in range(6)
    }
    first = next(o for o in data["operations"] if (o["job"], o["op"]) == (0, 0))
    assert first["machine"] == 2
    assert first["end"] - first["start"] == 1


def test_schedule_reads_fjs_and_jit_and_scales_back_to_file_units() -> None:
    """mk01 by guessed format; the JIT instance reports times in its own (half) units."""
    code, out = run("schedule", str(instance(MK01)), "--json", "--method", "rules")
    assert code == 0, out
    assert json.loads(out)["status"] == "feasible"
    code, out = run(
        "schedule", str(instance(JIT5)), "--format", "sdst-jit", "--objective", "tardiness",
        "--json", "--time-limit", "3",
    )  # fmt: skip
    assert code == 0, out
    data = json.loads(out)
    assert data["objective"] >= 0
    assert data["makespan"] < 1000


def test_a_malformed_file_exits_1_with_its_line(tmp_path: Path) -> None:
    """A bad machine index is reported at FILE:LINE, exit 1."""
    bad = tmp_path / "bad.txt"
    bad.write_text("1 2\n0 3 7 4\n")
    code, out = run("schedule", str(bad), "--format", "jsplib")
    assert code == 1
    assert f"{bad}:2:1" in out


def test_plan_writes_schedule_json_and_gantt_charts(tmp_path: Path) -> None:
    """Orders at Berlin: schedule.json, gantt.html and gantt.png in --out."""
    orders = tmp_path / "orders.jsonl"
    code, out = run("orders", "generate", str(ROOT / "catalog" / "wardrobe.yaml"), "-n", "4",
                    "--out", str(orders))  # fmt: skip
    assert code == 0, out
    dest = tmp_path / "plan"
    code, out = run(
        "plan", str(orders), "--site", str(ROOT / "catalog" / "factories" / "berlin.yaml"),
        "--out", str(dest), "--catalog", str(ROOT / "catalog"), "--time-limit", "2",
    )  # fmt: skip
    assert code == 0, out
    data = json.loads((dest / "schedule.json").read_text())
    assert data["site"] == "berlin"
    assert {"status", "objective", "lower_bound", "makespan", "operations"} <= set(data)
    assert (dest / "gantt.html").read_text().startswith("<!doctype html>")
    assert (dest / "gantt.png").read_bytes()[:4] == b"\x89PNG"
