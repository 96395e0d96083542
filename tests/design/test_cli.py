"""``lotone design generate|optimize|batch|templates`` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from lotone.cli import app
from lotone.model.family import Family
from lotone.produce.orders import generate_orders

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def test_generate_an_insole_prints_the_contract(tmp_path: Path) -> None:
    """Files, checks, volume and bounding box; the files exist; the work order is linked."""
    result = runner.invoke(app, [
        "design", "generate", str(ROOT / "catalog" / "insole.yaml"), "--set", "side=left",
        "--set", "foot_length_mm=250", "--set", "foot_width_mm=95", "--out", str(tmp_path),
        "--json",
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["status"] == "ok"
    assert data["checks"] == {"watertight": True, "fits_machine": True, "min_wall": True,
                              "dimensions": True}  # fmt: skip
    assert data["bbox_mm"][:2] == [250.0, 95.0]
    assert data["volume_mm3"] > 0
    assert all(Path(f).is_file() for f in data["files"])
    assert any(f.endswith("-workorder.json") for f in data["files"])
    assert data["production"]["print_run_s"] > 0


def test_generate_refuses_invalid_choices_with_the_rule(tmp_path: Path) -> None:
    """Choices that break rules are refused (exit 1) with the rule ids; no files."""
    result = runner.invoke(app, [
        "design", "generate", str(ROOT / "catalog" / "insole.yaml"), "--set",
        "base_material=pa12", "--set", "stiffness=soft", "--out", str(tmp_path / "x"), "--json",
    ])  # fmt: skip
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["status"] == "refused"
    assert "material-stiffness" in [v["id"] for v in data["violations"]]
    assert not (tmp_path / "x").exists()


def test_generate_refuses_a_design_no_machine_can_make(tmp_path: Path) -> None:
    """With a factory whose printer is too small the design is refused with the reason."""
    site = tmp_path / "tiny.yaml"
    site.write_text(
        "site: tiny\nname: Tiny\nlocation: {city: X, country: DE, latitude: 1, longitude: 1}\n"
        "shifts:\n  - {days: [mon], start: '06:00', end: '22:00'}\n"
        "work_centers:\n  sls:\n    type: printer_sls\n    machines:\n"
        "      - {id: mini, capabilities: [tpu_95a], build_volume_mm: [200, 200, 200]}\n"
    )
    result = runner.invoke(app, [
        "design", "generate", str(ROOT / "catalog" / "insole.yaml"), "--factories", str(site),
        "--out", str(tmp_path / "o"), "--json",
    ])  # fmt: skip
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["status"] == "refused"
    assert data["checks"]["fits_machine"] is False
    assert "does not fit the build volume of mini" in data["reasons"][0]
    assert data["files"] == []


def test_generate_a_bracket_and_a_wardrobe(tmp_path: Path) -> None:
    """The bracket from its settings; the wardrobe with its DXF and cut list."""
    bracket = runner.invoke(app, ["design", "generate", "bracket", "--set", "span_mm=180",
                                  "--out", str(tmp_path), "--json"])  # fmt: skip
    assert bracket.exit_code == 0, bracket.output
    assert json.loads(bracket.stdout)["bbox_mm"][0] == 180.0
    wardrobe = runner.invoke(app, ["design", "generate", str(ROOT / "catalog" / "wardrobe.yaml"),
                                   "--out", str(tmp_path), "--json"])  # fmt: skip
    assert wardrobe.exit_code == 0, wardrobe.output
    data = json.loads(wardrobe.stdout)
    assert data["sheets"] >= 1
    assert 0 < data["utilization"] <= 1
    assert any(f.endswith(".dxf") for f in data["files"])


def test_optimize_writes_the_front_and_the_chosen_bracket(tmp_path: Path) -> None:
    """The front is printed and written; the chosen design's files are written."""
    result = runner.invoke(app, ["design", "optimize", "bracket", "--evaluations", "80",
                                 "--seed", "1", "--out", str(tmp_path), "--json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["evaluations"] == 80
    assert data["front"]
    assert data["chosen"] in data["front"]
    assert (tmp_path / "front.json").is_file()
    assert any(f.endswith(".3mf") for f in data["files"])


def test_batch_designs_orders_on_two_workers(tmp_path: Path, families: dict[str, Family]) -> None:
    """Every order is designed; designs.jsonl has one line per order."""
    lines = [json.dumps(o.to_json()) for o in generate_orders(families["wardrobe"], 6, 2)]
    lines.append(json.dumps({"order_id": "bad", "family": "wardrobe", "configuration": {}}))
    orders = tmp_path / "orders.jsonl"
    orders.write_text("\n".join(lines) + "\n")
    result = runner.invoke(app, ["design", "batch", str(orders), "--out", str(tmp_path / "out"),
                                 "--workers", "2", "--catalog", str(ROOT / "catalog"),
                                 "--formats", "dxf", "--json"])  # fmt: skip
    assert result.exit_code == 1  # the bad order
    data = json.loads(result.stdout)
    assert (data["orders"], data["passed"], data["failed"]) == (7, 6, 1)
    assert data["failures"][0]["order_id"] == "bad"
    manifest = (tmp_path / "out" / "designs.jsonl").read_text().splitlines()
    assert len(manifest) == 7
    assert len(list((tmp_path / "out").glob("*.dxf"))) == 6


def test_templates_lists_the_templates() -> None:
    """The four templates and their families."""
    result = runner.invoke(app, ["design", "templates", "--json"])
    assert result.exit_code == 0
    assert {r["template"] for r in json.loads(result.stdout)} == {
        "insole", "wardrobe", "serum", "bracket"
    }  # fmt: skip
