"""``lotone schedule`` (benchmark files) and ``lotone plan`` (orders on a site's machines)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Literal

import typer
from rich.table import Table

from lotone.cli.output import console, err_console, fail_cleanly, print_json
from lotone.configure.json_shapes import values_from_json
from lotone.errors import LotoneError
from lotone.model.family import Family, Value
from lotone.model.loader import load_family
from lotone.produce.explode import explode
from lotone.produce.factory_loader import load_site
from lotone.produce.work_order import WorkOrder
from lotone.schedule import Result, SchedulingProblem, SolveParams, site_problem, solve
from lotone.schedule.readers import FORMATS, read_problem

__all__ = ["plan", "schedule"]

ObjectiveOpt = Literal["makespan", "tardiness"]
MethodOpt = Literal["cpsat", "tabu", "textbook", "rules"]


def _number(value: int, scale: int) -> int | float:
    return value // scale if value % scale == 0 else value / scale


def result_json(
    problem: SchedulingProblem, result: Result, objective: ObjectiveOpt = "makespan"
) -> dict[str, object]:
    """The ``--json`` contract: status, objective, lower_bound, makespan, operations.

    Values are in the file's units (an instance read with doubled times or weights in
    hundredths is scaled back).
    """
    ts = problem.time_scale
    obj_scale = ts if objective == "makespan" else ts * problem.weight_scale
    sched = result.schedule
    ops: list[dict[str, object]] = []
    if sched is not None:
        ends = sched.ends(problem)
        for j, job in enumerate(problem.jobs):
            for k, o in enumerate(job.operations):
                ops.append(
                    {
                        "job": j,
                        "op": k,
                        "machine": sched.machines[o],
                        "start": _number(sched.starts[o], ts),
                        "end": _number(ends[o], ts),
                    }
                )
    return {
        "status": str(result.status),
        "objective": None if result.objective is None else _number(result.objective, obj_scale),
        "lower_bound": _number(result.lower_bound, obj_scale),
        "makespan": None if sched is None else _number(sched.makespan(problem), ts),
        "operations": ops,
    }


def _summary(problem: SchedulingProblem, result: Result) -> None:
    table = Table(show_header=False)
    gap = result.gap
    rows = [
        ("instance", problem.name),
        ("size", f"{len(problem.jobs)} jobs x {problem.num_machines} machines,"
                 f" {problem.num_operations} operations"),
        ("status", str(result.status)),
        ("objective", str(result.objective)),
        ("lower bound", str(result.lower_bound)),
        ("gap", "-" if gap is None else f"{100 * gap:.2f} %"),
        ("best rule", f"{result.rule} ({result.rule_objective})" if result.rule else "-"),
        ("runtime", f"{result.runtime:.2f} s"),
    ]  # fmt: skip
    for k, v in rows:
        table.add_row(k, v)
    console.print(table)


@fail_cleanly
def schedule(
    file: Annotated[Path, typer.Argument(help="An instance file (or sdst-jit directory).")],
    format: Annotated[
        str | None,
        typer.Option("--format", help=f"One of {', '.join(FORMATS)} (default: guessed)."),
    ] = None,
    objective: Annotated[
        ObjectiveOpt, typer.Option("--objective", help="makespan or tardiness.")
    ] = "makespan",
    time_limit: Annotated[float, typer.Option("--time-limit", help="Seconds.")] = 10.0,
    workers: Annotated[int, typer.Option("--workers", help="CP-SAT workers.")] = 2,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
    method: Annotated[
        MethodOpt, typer.Option("--method", help="cpsat (ours), tabu, textbook or rules.")
    ] = "cpsat",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Schedule a benchmark instance; job, op and machine indexes in the JSON are 0-based."""
    if time_limit <= 0 or workers < 1:
        raise LotoneError("--time-limit must be positive and --workers at least 1")
    problem = read_problem(file, format)
    result = solve(problem, objective, SolveParams(time_limit, workers, seed), method)
    if as_json:
        print_json(result_json(problem, result, objective))
    else:
        _summary(problem, result)


def _configuration(raw: object, where: str) -> dict[str, Value]:
    if not isinstance(raw, dict):
        raise LotoneError(f"{where}: 'configuration' must be an object")
    return values_from_json(raw, where)


def _work_orders(orders: Path, catalog: Path) -> list[WorkOrder]:
    families: dict[str, Family] = {}
    out: list[WorkOrder] = []
    try:
        lines = orders.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise LotoneError(f"cannot read {orders}: {exc}") from None
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{orders}:{n}"
        try:
            data = json.loads(line)
        except json.JSONDecodeError as exc:
            raise LotoneError(f"{where}: not JSON ({exc.msg})") from None
        if not isinstance(data, dict) or "family" not in data:
            raise LotoneError(f"{where}: expected an order with 'family' and 'configuration'")
        fam_id = str(data["family"])
        if fam_id not in families:
            path = catalog / f"{fam_id}.yaml"
            if not path.exists():
                raise LotoneError(f"{where}: no family file {path} (use --catalog)")
            families[fam_id] = load_family(path)
        config = _configuration(data.get("configuration"), where)
        order_id = str(data.get("order_id", f"order-{n}"))
        out.append(explode(config, families[fam_id], order_id=order_id))
    return out


@fail_cleanly
def plan(
    orders: Annotated[Path, typer.Argument(help="Orders, one JSON object per line.")],
    site: Annotated[Path, typer.Option("--site", help="The site's factory YAML file.")],
    out: Annotated[Path, typer.Option("--out", help="Directory for the outputs.")] = Path("plan"),
    catalog: Annotated[
        Path, typer.Option("--catalog", help="Directory of family files (<family>.yaml).")
    ] = Path("catalog"),
    objective: Annotated[ObjectiveOpt, typer.Option("--objective")] = "makespan",
    time_limit: Annotated[float, typer.Option("--time-limit", help="Seconds.")] = 10.0,
    workers: Annotated[int, typer.Option("--workers")] = 2,
    seed: Annotated[int, typer.Option("--seed")] = 0,
    weeks: Annotated[int, typer.Option("--weeks", help="Weeks of shift calendar.")] = 4,
    png: Annotated[bool, typer.Option("--png/--no-png", help="Also write gantt.png.")] = True,
) -> None:
    """Explode orders, schedule them on a site, write schedule.json and gantt.html/.png.

    Times are seconds from Monday 00:00 of the planning week.
    """
    from lotone.schedule.gantt import gantt_html, gantt_png

    factory = load_site(site)
    work_orders = _work_orders(orders, catalog)
    if not work_orders:
        raise LotoneError(f"{orders}: no orders")
    problem = site_problem(work_orders, factory, weeks=weeks)
    result = solve(problem, objective, SolveParams(time_limit, workers, seed))
    if result.schedule is None:
        raise LotoneError("no schedule found within the time limit; raise --time-limit")
    out.mkdir(parents=True, exist_ok=True)
    data = result_json(problem, result, objective)
    data["site"] = factory.id
    sched = result.schedule
    ends = sched.ends(problem)
    data["operations"] = [
        {
            "job": j,
            "op": k,
            "machine": sched.machines[o],
            "start": sched.starts[o],
            "end": ends[o],
            "order": job.name,
            "operation": problem.operations[o].name,
            "machine_id": problem.machine_names[sched.machines[o]],
        }
        for j, job in enumerate(problem.jobs)
        for k, o in enumerate(job.operations)
    ]
    (out / "schedule.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    title = f"{factory.id}: {len(work_orders)} orders"
    (out / "gantt.html").write_text(gantt_html(problem, sched, title), encoding="utf-8")
    written = ["schedule.json", "gantt.html"]
    if png:
        (out / "gantt.png").write_bytes(gantt_png(problem, sched, title))
        written.append("gantt.png")
    err_console.print(f"wrote {', '.join(str(out / w) for w in written)}")
    _summary(problem, result)
