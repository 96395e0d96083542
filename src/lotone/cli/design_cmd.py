"""``lotone design generate|optimize|batch|templates``: geometry and files for orders."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from lotone.cli.choices import family_choices, pairs
from lotone.cli.output import console, err_console, fail_cleanly, print_json
from lotone.errors import LotoneError, Refused

if TYPE_CHECKING:
    from lotone.design.checks import Checks
    from lotone.design.link import LinkedWorkOrder
    from lotone.design.model import Design
    from lotone.produce.factory import Machine
    from lotone.produce.work_order import WorkOrder

__all__ = ["app"]

app = typer.Typer(help="Generative design: geometry and manufacturing files.", no_args_is_help=True)

SetOpt = Annotated[
    list[str] | None, typer.Option("--set", "-s", help="A choice or setting NAME=VALUE.")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]
FormatsOpt = Annotated[
    str, typer.Option("--formats", help="Files to write: stl,3mf,glb,dxf,csv,svg (comma list).")
]
FactoriesOpt = Annotated[
    list[Path] | None,
    typer.Option("--factories", help="Site files or directories: check against their machines."),
]


def _machines(factories: list[Path] | None, process: str) -> list[Machine] | None:
    if not factories:
        return None
    from lotone.produce.factory_loader import load_network

    network = load_network(list(factories))
    return [m for s in network.sites for wc in s.centers(process) for m in wc.machines]


def _formats(text: str) -> tuple[str, ...]:
    return tuple(f.strip().lower() for f in text.split(",") if f.strip())


def _design_json(design: Design, checks: Checks, files: list[Path]) -> dict[str, object]:
    out: dict[str, object] = {
        "status": "ok" if checks.ok else "refused",
        "template": design.template,
        "family": design.family,
        "hash": design.order_hash,
        "files": [str(f) for f in files],
        "checks": checks.results,
        "machines": list(checks.machines),
    }
    if checks.reasons:
        out["reasons"] = list(checks.reasons)
    if design.parts:
        largest = max(design.parts, key=lambda p: p.volume_mm3)
        out["volume_mm3"] = round(design.volume_mm3, 1)
        out["bbox_mm"] = [round(v, 3) for v in largest.mesh.extents]
        out["parts"] = [
            {
                "name": p.name,
                "uuid": design.uuid_of(p.name),
                "material": p.material,
                "volume_mm3": round(p.volume_mm3, 1),
                "mass_g": round(p.mass_g, 2),
                "bbox_mm": [round(v, 3) for v in p.mesh.extents],
                "min_wall_mm": round(p.min_wall_mm, 3),
                "triangles": len(p.mesh.faces),
            }
            for p in design.parts
        ]
    for n in design.nestings:
        out["sheets"] = n.sheets
        out["sheet_mm"] = list(n.sheet_mm)
        out["utilization"] = round(n.utilization, 4)
        out["panels"] = len(design.panels)
    out["parameters"] = dict(design.parameters)
    return out


@app.command("generate")
@fail_cleanly
def generate_cmd(
    family: Annotated[str, typer.Argument(help="A family YAML file, or a template (bracket).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the files.")],
    set_: SetOpt = None,
    factories: FactoriesOpt = None,
    formats: FormatsOpt = "stl,3mf,glb,dxf,csv,svg",
    as_json: JsonOpt = False,
) -> None:
    """Design one order, check it before manufacture and write its files.

    Keys left open are completed from the family's defaults; choices that break rules are
    refused with the rule ids. A design that fails a check (watertight, fits a machine, minimum
    wall, dimensions, nesting) is refused with the reasons and no file is written (exit 1).
    """
    from lotone.design.checks import check
    from lotone.design.export import write_files
    from lotone.design.templates import TEMPLATES, design_family, design_settings

    work_order: WorkOrder | None = None
    linked: LinkedWorkOrder | None = None
    if family in TEMPLATES and not Path(family).exists():
        design = design_settings(family, dict(pairs(set_ or [])))
    else:
        from lotone.configure.engine import Engine
        from lotone.model.loader import load_family

        fam = load_family(Path(family))
        choices = family_choices(fam, set_ or [])
        engine = Engine(fam)
        try:
            if not engine.is_consistent(choices):
                raise Refused(list(engine.explain(choices).rules), "choices")
        except Refused as exc:
            if as_json:
                print_json({"status": "refused", "family": fam.id,
                            "violations": [{"id": v.rule_id, "message": v.message}
                                           for v in exc.violations]})  # fmt: skip
                raise typer.Exit(1) from None
            raise
        config = engine.complete(choices)
        design = design_family(fam, config)
        if fam.production.routing or fam.production.bom:
            from lotone.produce.explode import explode

            work_order = explode(config, fam)
    checks = check(design, _machines(factories, design.process))
    files: list[Path] = []
    if checks.ok:
        files = write_files(design, out, _formats(formats))
        if work_order is not None:
            from lotone.design.link import link

            linked = link(work_order, design, [f.name for f in files])
            path = out / f"{design.template}-{design.order_hash.removeprefix('sha256:')[:12]}"
            path = path.with_name(path.name + "-workorder.json")
            path.write_text(json.dumps(linked.to_json(), indent=2, default=str) + "\n")
            files.append(path)
    data = _design_json(design, checks, files)
    if linked is not None:
        data["production"] = dict(linked.derived)
    if as_json:
        print_json(data)
    else:
        status = "[green]ok[/green]" if checks.ok else "[red]refused[/red]"
        console.print(f"{design.template} {design.order_hash[:19]}  {status}")
        for name, ok in checks.results.items():
            console.print(f"  {'✓' if ok else '✗'} {name}")
        for reason in checks.reasons:
            err_console.print(f"  {reason}", markup=False)
        for f in files:
            console.print(f"  {f}", markup=False)
    if not checks.ok:
        raise typer.Exit(1)


@app.command("optimize")
@fail_cleanly
def optimize_cmd(
    template: Annotated[str, typer.Argument(help="The template to optimize (bracket).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the front and files.")],
    evaluations: Annotated[int, typer.Option("--evaluations", "-n", help="Designs to try.")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same front.")] = 0,
    set_: SetOpt = None,
    formats: FormatsOpt = "stl,3mf,glb",
    as_json: JsonOpt = False,
) -> None:
    """The Pareto front (mass, deflection) of a template's design variables, and the chosen one.

    ``--set`` gives the requirements (load_n, span_mm, screws, screw_d_mm, screw_pitch_mm,
    material). Writes ``front.json`` and the chosen design's files.
    """
    from lotone.design.bracket import BracketSpec
    from lotone.design.checks import require
    from lotone.design.export import write_files
    from lotone.design.optimize import optimize
    from lotone.design.templates import design_settings

    if template != "bracket":
        raise LotoneError(f"only the bracket declares design variables, not {template!r}")
    settings = dict(pairs(set_ or []))
    requirements = BracketSpec.of(settings)
    front = optimize(requirements, evaluations, seed)
    chosen: dict[str, str | float] = dict(settings)
    chosen.update({k: round(v, 3) for k, v in front.chosen.variables.items()})
    design = design_settings("bracket", chosen)
    require(design)
    files = write_files(design, out, _formats(formats))
    data = front.to_json()
    front_path = out / "front.json"
    front_path.write_text(json.dumps(data, indent=2) + "\n")
    paths = [str(front_path), *(str(f) for f in files)]
    data["files"] = paths
    if as_json:
        print_json(data)
        return
    c = front.chosen
    console.print(
        f"{front.evaluations} designs in {front.seconds:.1f} s; front of {len(front.front)};"
        f" chosen: {c.mass_g:.1f} g, {c.deflection_mm:.2f} mm deflection, {c.stress_mpa:.1f} MPa"
    )
    for f in paths:
        console.print(f"  {f}", markup=False)


@app.command("batch")
@fail_cleanly
def batch_cmd(
    orders: Annotated[Path, typer.Argument(help="Orders as JSON lines (lotone orders generate).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the files.")],
    workers: Annotated[int, typer.Option("--workers", "-w", help="Processes.")] = 1,
    catalog: Annotated[
        Path, typer.Option("--catalog", help="Folder with FAMILY.yaml files.")
    ] = Path("catalog"),
    formats: FormatsOpt = "stl,3mf,glb,dxf,csv,svg",
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Design, check and render, but write no files.")
    ] = False,
    as_json: JsonOpt = False,
) -> None:
    """Design every order of a JSON-lines file on ``--workers`` processes, with a progress bar.

    Writes the files and ``designs.jsonl`` (one line per order: ok, hash, files, reasons).
    Exit 1 when any order was refused.
    """
    import time

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

    from lotone.design.batch import BatchResult, run_batch

    lines = orders.read_text(encoding="utf-8").splitlines()
    total = sum(1 for x in lines if x.strip())
    out.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with (out / "designs.jsonl").open("w", encoding="utf-8") as manifest, Progress(
        "[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
        TimeRemainingColumn(), console=err_console, disable=as_json,
    ) as bar:  # fmt: skip
        task = bar.add_task("designing", total=total)

        def record(r: BatchResult) -> None:
            manifest.write(json.dumps(r.to_json(), separators=(",", ":")) + "\n")

        summary = run_batch(
            lines, catalog, None if dry_run else out, workers, _formats(formats),
            progress=lambda n: bar.advance(task, n), manifest=record,
        )  # fmt: skip
    seconds = time.perf_counter() - start
    data = summary.to_json()
    rate = round(summary.orders / seconds, 1) if seconds else None
    data.update(workers=workers, seconds=round(seconds, 3), designs_per_second=rate)
    if as_json:
        print_json(data)
    else:
        console.print(
            f"{summary.passed}/{summary.orders} orders designed in {seconds:.1f} s"
            f" ({data['designs_per_second']}/s), {summary.files} files"
        )
        for r in summary.failed[:10]:
            err_console.print(f"  {r.order_id}: {'; '.join(r.reasons)}", markup=False)
    if summary.failed:
        raise typer.Exit(1)


@app.command("templates")
def templates_cmd(as_json: JsonOpt = False) -> None:
    """The design templates and the families they belong to."""
    from lotone.design.templates import TEMPLATES

    rows = [
        {"template": t.id, "family": t.family, "summary": t.summary} for t in TEMPLATES.values()
    ]
    if as_json:
        print_json(rows)
        return
    for r in rows:
        console.print(f"{r['template']:<10} {r['family'] or '-':<10} {r['summary']}")
