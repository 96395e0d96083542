"""``load_model``: the format from the extension (or by name), clear refusals otherwise."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from importer_helpers import DATA

import lotone.model.importers as importers
from lotone.errors import ModelError
from lotone.model.importers import FORMATS, detect_format, load_model


def test_public_surface() -> None:
    """The package exports the loaders, the format table and nothing else."""
    assert sorted(importers.__all__) == [
        "FORMATS",
        "detect_format",
        "load_clib",
        "load_dimacs",
        "load_model",
        "load_uvl",
        "load_xcsp",
    ]
    assert list(FORMATS) == ["clib", "xcsp", "dimacs", "uvl"]


@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        (DATA / "clib_tiny", "clib"),
        (DATA / "tiny.xml", "xcsp"),
        (DATA / "tiny.cnf", "dimacs"),
        (DATA / "tiny.uvl", "uvl"),
    ],
)
def test_format_is_chosen_by_extension(path: Path, fmt: str) -> None:
    """Each fixture loads through load_model with the format its extension names."""
    assert detect_format(path) == fmt
    model = load_model(path)
    assert model.format == fmt
    assert model.source == str(path)


def test_dimacs_extension_and_explicit_format(tmp_path: Path) -> None:
    """``.dimacs`` is DIMACS too; an explicit format overrides an unknown extension."""
    shutil.copy(DATA / "tiny.cnf", tmp_path / "m.dimacs")
    shutil.copy(DATA / "tiny.cnf", tmp_path / "m.txt")
    assert load_model(tmp_path / "m.dimacs").format == "dimacs"
    assert load_model(tmp_path / "m.txt", format="dimacs").format == "dimacs"


def test_unknown_extension_lists_the_formats(tmp_path: Path) -> None:
    """An unknown extension is refused with the list of known formats as the fix."""
    (tmp_path / "m.json").write_text("{}")
    with pytest.raises(ModelError) as exc:
        load_model(tmp_path / "m.json")
    diag = exc.value.diagnostics[0]
    assert "m.json" in diag.message
    assert diag.hint is not None
    assert all(name in diag.hint for name in ("clib", "xcsp", "dimacs", "uvl"))


def test_unknown_format_name_and_missing_paths(tmp_path: Path) -> None:
    """A misspelt format, a missing file and a folder without tables are all ModelErrors."""
    with pytest.raises(ModelError, match="unknown model format 'cnf'"):
        load_model(DATA / "tiny.cnf", format="cnf")
    with pytest.raises(ModelError, match="does not exist"):
        load_model(tmp_path / "nope.xml")
    with pytest.raises(ModelError, match="does not exist"):
        load_model(tmp_path / "nope.xml", format="xcsp")
    with pytest.raises(ModelError, match="without domains"):
        load_model(tmp_path)


def test_non_utf8_input_is_a_model_error(tmp_path: Path) -> None:
    """Bytes that are not UTF-8 are reported at their line, not as a UnicodeDecodeError."""
    (tmp_path / "m.cnf").write_bytes(b"p cnf 1 1\nc \xff\n1 0\n")
    with pytest.raises(ModelError) as exc:
        load_model(tmp_path / "m.cnf")
    span = exc.value.diagnostics[0].span
    assert span is not None
    assert span.line == 2
