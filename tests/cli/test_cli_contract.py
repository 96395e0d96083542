"""The public CLI contract: `lotone model check` and `lotone configure --json`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lotone.cli import app

CATALOG = Path(__file__).resolve().parents[2] / "catalog"
runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


@pytest.mark.parametrize("name", ["insole", "wardrobe", "pc", "serum"])
def test_model_check_accepts_catalog_families_with_exit_0(name: str) -> None:
    """A valid family exits 0."""
    code, out = run("model", "check", str(CATALOG / f"{name}.yaml"))
    assert code == 0, out
    assert "ok" in out


def test_model_check_reports_file_line_col_and_exits_1(tmp_path: Path) -> None:
    """An unknown name is reported as FILE:LINE:COL with a did-you-mean hint, exit 1."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "family: bad\nname: Bad\nversion: '1'\nattributes:\n"
        "  foot_length_mm: {type: number, min: 200, max: 320}\n"
        "rules:\n  - id: r1\n    message: m\n    rule: foot_lenght_mm > 250\n"
    )
    code, out = run("model", "check", str(bad))
    assert code == 1
    assert f"{bad}:9:11: error:" in out
    assert "foot_length_mm" in out


def test_model_check_refuses_an_unsatisfiable_family_with_its_conflicting_rules(
    tmp_path: Path,
) -> None:
    """An unsatisfiable family is refused with the minimal set of rules that conflict."""
    bad = tmp_path / "unsat.yaml"
    bad.write_text(
        "family: unsat\nname: U\nversion: '1'\nattributes:\n"
        "  x: {type: number, min: 0, max: 10}\n  c: {type: bool}\n"
        "rules:\n"
        "  - {id: low, message: x is low, rule: x <= 3}\n"
        "  - {id: fine, message: harmless, rule: c or not c}\n"
        "  - {id: high, message: x is high, rule: x >= 5}\n"
    )
    code, out = run("model", "check", str(bad))
    assert code == 1
    assert "low, high" in out
    assert "fine" not in out
    assert f"{bad}:8:" in out


def test_model_check_warns_about_dead_values(tmp_path: Path) -> None:
    """A value no product can use is a warning; the family is still valid (exit 0)."""
    f = tmp_path / "dead.yaml"
    f.write_text(
        "family: dead\nname: D\nversion: '1'\nattributes:\n"
        "  colour: {type: enum, values: {red: Red, blue: Blue}}\n"
        'rules:\n  - {id: no-blue, message: Blue is sold out, rule: colour != "blue"}\n'
    )
    code, out = run("model", "check", str(f))
    assert code == 0
    assert "warning" in out
    assert "blue" in out


def test_configure_json_has_status_domains_and_price() -> None:
    """`configure --json` prints one object: status, domains (lists or min/max), price."""
    code, out = run("configure", str(CATALOG / "insole.yaml"), "--set", "foot_length_mm=281",
                    "--json")  # fmt: skip
    assert code == 0, out
    data = json.loads(out)
    assert data["status"] == "incomplete"
    assert data["domains"]["foot_length_mm"] == {"min": 281, "max": 281}
    assert isinstance(data["domains"]["use"], list)
    assert set(data["price"]) == {"min", "max"}
    assert "configuration" not in data


def test_configure_complete_json_gives_the_full_configuration() -> None:
    """`--complete` adds the full configuration and the status becomes complete."""
    code, out = run("configure", str(CATALOG / "wardrobe.yaml"), "--set", "width_mm=1800",
                    "--set", "section[2].width_mm=600", "--complete", "--json")  # fmt: skip
    assert code == 0, out
    data = json.loads(out)
    assert data["status"] == "complete"
    conf = data["configuration"]
    assert conf["width_mm"] == 1800
    assert conf["section[2].width_mm"] == 600
    widths = [v for k, v in conf.items() if k.startswith("section[") and k.endswith(".width_mm")]
    assert sum(widths) == 1800
    assert isinstance(data["price"], int | float)


def test_configure_reports_a_conflict_with_rule_ids() -> None:
    """Conflicting choices give status conflict with the choices and rule ids involved."""
    code, out = run("configure", str(CATALOG / "serum.yaml"), "--set", "skin_type=sensitive",
                    "--set", "fragrance=true", "--json")  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert data["status"] == "conflict"
    assert [r["id"] for r in data["conflict"]["rules"]] == ["sensitive-no-fragrance"]


@pytest.mark.parametrize(
    ("choice", "needle"),
    [("foot_lenght_mm=250", "'foot_length_mm'"), ("foot_length_mm=199", "200..320"),
     ("foot_length_mm", "NAME=VALUE"), ("use=runing", "did you mean 'running'")],
)  # fmt: skip
def test_configure_refuses_bad_choices_with_a_clear_error(choice: str, needle: str) -> None:
    """Unknown names, out-of-range values and malformed --set exit 1 with a hint, no traceback."""
    result = runner.invoke(app, ["configure", str(CATALOG / "insole.yaml"), "--set", choice])
    assert result.exit_code == 1
    assert needle in result.output
    assert "Traceback" not in result.output


def test_lotone_command_runs_as_a_real_process() -> None:
    """The installed entry point works outside the test runner (python -m lotone)."""
    proc = subprocess.run(
        [sys.executable, "-m", "lotone", "configure", str(CATALOG / "pc.yaml"), "--json"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["family"] == "pc"
