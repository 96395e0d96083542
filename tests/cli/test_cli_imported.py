"""The CLI contract on imported models and `--why`: same JSON shape as YAML families."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lotone.cli import app

DATA = Path(__file__).resolve().parent / "data"
CATALOG = Path(__file__).resolve().parents[2] / "catalog"
SHAPE = {"family", "version", "status", "choices", "domains", "price", "currency", "price_exact"}
runner = CliRunner()


def run_json(*args: str) -> dict[str, object]:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.output)
    return data


@pytest.mark.parametrize("backend", ["sat", "bdd", "auto"])
@pytest.mark.parametrize("name", ["car.xml", "car.dimacs"])
def test_configure_json_on_imported_models_keeps_the_family_shape(name: str, backend: str):
    """XCSP and DIMACS models answer with the YAML-family JSON keys (price null)."""
    data = run_json("configure", str(DATA / name), "--backend", backend, "--json")
    assert set(data) >= SHAPE
    assert data["price"] is None
    assert data["status"] == "incomplete"
    assert data["backend"] == ("sat" if backend == "sat" else "bdd")


def test_configure_json_domains_follow_choices_in_an_xcsp_model():
    """engine=1 leaves only trim 1 and no roof (-1 = absent), as the tables say."""
    data = run_json("configure", str(DATA / "car.xml"), "--set", "engine=1", "--json")
    assert data["status"] == "complete"
    assert data["domains"] == {"engine": ["1"], "trim": ["1"], "roof": ["-1"]}


def test_why_names_the_choice_and_clauses_and_repair_drops_it():
    """--why adds why (minimal choices, rule ids) and repair (choices to drop)."""
    data = run_json(
        "configure", str(DATA / "car.dimacs"), "--set", "diesel=true", "--set", "towbar=true",
        "--why", "sport=true", "--json",
    )  # fmt: skip
    assert data["why"] == {
        "target": "sport=true",
        "available": False,
        "choices": ["diesel=true"],
        "rules": ["clause 5", "clause 6"],
        "messages": {"clause 5": "not diesel or not petrol", "clause 6": "not sport or petrol"},
    }
    assert data["repair"] == ["diesel=true"]


def test_why_on_an_available_value_is_empty():
    data = run_json("configure", str(DATA / "car.dimacs"), "--why", "towbar=true", "--json")
    assert data["why"]["available"] is True  # type: ignore[index]
    assert data["why"]["choices"] == []  # type: ignore[index]
    assert data["repair"] == []  # type: ignore[index]


def test_why_on_a_yaml_family_names_rule_ids_in_the_products_words():
    data = run_json(
        "configure", str(CATALOG / "pc.yaml"), "--set", "psu=atx_550", "--set",
        "case=itx_compact", "--why", "gpu=rtx5090", "--json",
    )  # fmt: skip
    why = data["why"]
    assert why["available"] is False  # type: ignore[index]
    assert why["choices"] == ["psu=atx_550"]  # type: ignore[index]
    assert why["rules"] == ["psu-power"]  # type: ignore[index]
    assert "power supply" in why["messages"]["psu-power"]  # type: ignore[index]
    assert data["repair"] == ["psu=atx_550", "case=itx_compact"]


def test_model_check_json_reports_dead_and_core_values():
    data = run_json("model", "check", str(DATA / "car.dimacs"), "--json")
    assert data["ok"] is True
    assert data["format"] == "dimacs"
    assert data["dead"] == {"car": ["false"]}
    assert data["core"] == {"car": "true"}
    assert data["variables"] == 6
    assert data["clauses"] == 7


@pytest.mark.parametrize(("name", "expected"), [("car.xml", 5), ("car.dimacs", 10)])
def test_model_count_is_exact_and_names_its_method(name: str, expected: int):
    data = run_json("model", "count", str(DATA / name), "--json")
    assert data["count"] == expected
    assert data["count_text"] == str(expected)
    assert isinstance(data["method"], str)
    assert data["method"]


def test_model_count_under_a_choice():
    data = run_json("model", "count", str(DATA / "car.dimacs"), "--set", "diesel=true", "--json")
    assert data["count"] == 2  # towbar free; sunroof and sport off


def test_malformed_import_exits_1_with_file_and_line(tmp_path: Path):
    bad = tmp_path / "bad.cnf"
    bad.write_text("p cnf 2 1\n1 x 0\n")
    result = runner.invoke(app, ["configure", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:2" in result.output
    assert "Traceback" not in result.output


def test_unknown_format_and_backend_are_refused_clearly():
    result = runner.invoke(app, ["configure", str(DATA / "car.xml"), "--format", "csv"])
    assert result.exit_code == 1
    assert "--format" in result.output
    result = runner.invoke(app, ["configure", str(DATA / "car.xml"), "--backend", "gpu"])
    assert result.exit_code == 1
    assert "--backend" in result.output


def test_unknown_variable_gets_a_did_you_mean_hint():
    result = runner.invoke(app, ["configure", str(DATA / "car.dimacs"), "--set", "sunrof=true"])
    assert result.exit_code == 1
    assert "sunroof" in result.output
