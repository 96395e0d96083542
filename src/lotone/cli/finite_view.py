"""``lotone configure`` and ``lotone model`` on imported models (CLib, XCSP, DIMACS, UVL).

The JSON shape is the one of YAML families (``configure_cmd``): imported models have no prices,
so ``price`` and ``currency`` are null. ``backend`` says which engine answered.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from rich.table import Table

from lotone.cli.output import console
from lotone.configure.answers import Analysis, Repair, Why
from lotone.configure.domains import ValueDomain
from lotone.configure.finite_engine import Backend, FiniteEngine
from lotone.configure.json_shapes import conflict_json, repair_json, why_json
from lotone.errors import LotoneError
from lotone.model.finite import FiniteModel

__all__ = [
    "YAML_SUFFIXES",
    "conflict_json",
    "is_family_file",
    "load_finite",
    "parse_named",
    "repair_json",
    "run_configure",
    "show_why",
    "why_json",
]

YAML_SUFFIXES = (".yaml", ".yml")
_MAX_SHOWN = 60


def is_family_file(path: Path, fmt: str | None) -> bool:
    """Whether ``path`` is read as a lotone product family (YAML) rather than imported."""
    if fmt is not None:
        return fmt == "yaml"
    return path.suffix.lower() in YAML_SUFFIXES


def load_finite(path: Path, fmt: str | None) -> FiniteModel:
    """Import a CLib folder, XCSP, DIMACS or UVL file (by extension unless ``fmt`` says)."""
    from lotone.model.importers import load_model

    return load_model(path, fmt)


def parse_named(items: list[str], option: str = "--set") -> dict[str, str]:
    """``NAME=VALUE`` strings as ``{name: value}`` (later ones win)."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, text = item.partition("=")
        if not sep or not name.strip() or not text.strip():
            raise LotoneError(f"{option} {item!r}: expected NAME=VALUE, e.g. {option} Var1=S64")
        out[name.strip()] = text.strip()
    return out


def _state_json(engine: FiniteEngine, state: Analysis) -> dict[str, object]:
    model = engine.model
    out: dict[str, object] = {
        "family": model.id,
        "version": model.version,
        "status": state.status,
        "choices": dict(state.choices),
        "domains": {k: d.to_json() for k, d in state.domains.items()},
        "price": None,
        "currency": None,
        "price_exact": True,
        "format": model.format,
        "backend": engine.backend,
    }
    if state.conflict is not None:
        out["conflict"] = conflict_json(state.conflict)
    return out


def run_configure(
    path: Path,
    fmt: str | None,
    set_: list[str],
    why: str | None,
    complete: bool,
    as_json: bool,
    backend: Backend,
) -> dict[str, object] | None:
    """Answer one ``lotone configure`` call on an imported model; JSON data or None if shown."""
    model = load_finite(path, fmt)
    engine = FiniteEngine(model, backend)
    choices = parse_named(set_)
    state = engine.analyze(choices)
    configuration: dict[str, str] | None = None
    if complete and state.status != "conflict":
        configuration = engine.complete(choices)
        state = engine.analyze(configuration)
        state = Analysis(state.status, state.domains, None, None, None, choices)
    asked: tuple[Why, Repair] | None = None
    if why is not None:
        target = parse_named([why], "--why")
        (name, value), = target.items()  # fmt: skip
        asked = engine.why(choices, name, value), engine.repair(choices, name, value)
    if as_json:
        data = _state_json(engine, state)
        if configuration is not None:
            data["configuration"] = configuration
        if asked is not None:
            data["why"] = why_json(asked[0])
            data["repair"] = repair_json(asked[1])
        return data
    _show(engine, state, configuration, asked)
    return None


def _show(
    engine: FiniteEngine,
    state: Analysis,
    configuration: Mapping[str, str] | None,
    asked: tuple[Why, Repair] | None,
) -> None:
    model = engine.model
    colour = {"complete": "green", "incomplete": "yellow", "conflict": "red"}[state.status]
    stats = model.stats()
    console.print(
        f"[bold]{model.name}[/bold] ({model.format}, {stats['variables']} variables, "
        f"{engine.backend} backend) — status [{colour}]{state.status}[/]"
    )
    if state.conflict is not None:
        console.print(f"conflict: {state.conflict}", style="red", markup=False)
    else:
        table = Table(show_header=True, header_style="bold")
        for col in ("variable", "valid values", "withheld", "value"):
            table.add_column(col, style="dim" if col == "withheld" else None)
        rows = list(state.domains.items())
        for name, dom in rows[:_MAX_SHOWN]:
            assert isinstance(dom, ValueDomain)
            chosen = state.choices.get(name) or (configuration or {}).get(name, "")
            table.add_row(name, _list(dom.values), _list(dom.withheld), str(chosen))
        console.print(table)
        if len(rows) > _MAX_SHOWN:
            console.print(f"... and {len(rows) - _MAX_SHOWN} more variables (use --json)")
    if asked is not None:
        show_why(*asked)


def show_why(why: Why, repair: Repair) -> None:
    """Print a why/repair answer for people."""
    if why.available:
        console.print(f"{why.target} is available.", style="green", markup=False)
        return
    console.print(f"{why.target} is withheld because of: {why.conflict}", markup=False)
    if repair.possible:
        console.print(f"to get it, drop: {', '.join(repair.drop)}", markup=False)
    else:
        console.print("no valid product has it, whatever you choose", markup=False)


def _list(values: tuple[object, ...]) -> str:
    text = ", ".join(str(v) for v in values[:12])
    return text + (f", ... ({len(values)})" if len(values) > 12 else "")
