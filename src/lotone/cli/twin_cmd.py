"""``lotone twin``: run a scenario on the digital twin, the sample demo, or promise a delivery."""

from __future__ import annotations

import json
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer

from lotone.cli.output import console, err_console, fail_cleanly, print_json
from lotone.twin import Kpis, Scenario, TwinError, build, promise, replicate, summarize
from lotone.twin.promise import order_from_json
from lotone.twin.scenario import OrderStream, load_scenario

__all__ = ["app"]

app = typer.Typer(help="The digital twin: simulate the factory, KPIs, bottleneck, report.")


def _run(scenario: Scenario, out: Path | None, as_json: bool) -> Kpis:
    model, plan = build(scenario)
    msg = f"simulating {scenario.replications} replication(s) of {scenario.name}"
    with nullcontext() if as_json else err_console.status(msg):
        traces = replicate(
            model,
            scenario.policy,
            replications=scenario.replications,
            seed=scenario.seed,
            horizon=scenario.horizon,
            schedule=plan,
            rolling=scenario.rolling,
        )
    kpis = summarize(traces)
    if out is not None:
        from lotone.twin.report import report_html

        out.mkdir(parents=True, exist_ok=True)
        data = json.dumps(kpis.to_json(), indent=2) + "\n"
        (out / "kpis.json").write_text(data, encoding="utf-8")
        page = report_html(f"lotone twin: {scenario.name}", kpis, traces)
        (out / "report.html").write_text(page, encoding="utf-8")
        err_console.print(f"wrote {out / 'kpis.json'}, {out / 'report.html'}")
    if as_json:
        print_json(kpis.to_json())
    else:
        _summary(kpis)
    return kpis


def _summary(k: Kpis) -> None:
    data = k.to_json()
    lt = data["lead_time"]
    console.print(f"lead time (h): {lt}")
    console.print(
        f"throughput: {k.throughput:.3f} jobs/h; WIP {k.wip:.2f}; on time {k.on_time_rate}"
    )
    b = k.bottleneck
    console.print(
        f"bottleneck: {b.machine} active {b.active_share:.1%} (runner-up {b.runner_up}"
        f" {b.runner_up_share:.1%}); mean wait {b.mean_wait / 3600:.2f} h"
    )
    for pool, share in k.operators.items():
        console.print(f"operators {pool}: {share:.1%} busy")
    for machine, share in k.blocking.items():
        if share > 0:
            console.print(f"{machine} blocked by a full buffer {share:.1%} of the time")
    console.print(f"{k.events} events, {k.events_per_second:,.0f} events/s")


@app.command("run")
@fail_cleanly
def run(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file (docs/twin.md).")],
    replications: Annotated[int | None, typer.Option("--replications", min=1)] = None,
    seed: Annotated[int | None, typer.Option("--seed")] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write kpis.json and report.html here.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the KPIs as JSON.")] = False,
) -> None:
    """Simulate SCENARIO (replications in parallel) and print its KPIs."""
    sc = load_scenario(scenario, {"replications": replications, "seed": seed})
    _run(sc, out, as_json)


@app.command("demo")
@fail_cleanly
def demo(
    catalog: Annotated[
        Path, typer.Option("--catalog", help="Catalog with families and factories/.")
    ] = Path("catalog"),
    out: Annotated[Path, typer.Option("--out", help="Report directory.")] = Path("twin-demo"),
    as_json: Annotated[bool, typer.Option("--json", help="Print the KPIs as JSON.")] = False,
) -> None:
    """One simulated week of the Berlin site with generated wardrobe orders; writes a report."""
    sc = Scenario(
        name="demo: Berlin, one week",
        replications=4,
        seed=1,
        horizon_hours=168.0,
        factory=(catalog / "factories").resolve(),
        site="berlin",
        catalog=catalog.resolve(),
        orders=(OrderStream("wardrobe", 150, rate_per_hour=1.0, due_hours=48.0),),
        default_cv=0.3,
        cv={"sls": 0.5},
        breakdowns={"edge": (40 * 3600.0, 2 * 3600.0)},
    )
    _run(sc, out, as_json)


@app.command("promise")
@fail_cleanly
def promise_cmd(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file: the current load.")],
    order: Annotated[
        Path, typer.Option("--order", help="The new order (JSON, as `lotone orders generate`).")
    ],
    at: Annotated[
        float, typer.Option("--at", min=0, help="When the order arrives (hours from the start).")
    ] = 0.0,
    replications: Annotated[int | None, typer.Option("--replications", min=1)] = None,
    seed: Annotated[int | None, typer.Option("--seed")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the promise as JSON.")] = False,
) -> None:
    """Delivery promise for ORDER under SCENARIO's load: p50/p90 hours from its arrival."""
    sc = load_scenario(scenario)
    try:
        data = json.loads(order.read_text(encoding="utf-8"))
    except OSError as exc:
        raise TwinError(f"cannot read order {order}: {exc}") from None
    except json.JSONDecodeError as exc:
        raise TwinError(f"{order}: not JSON ({exc.msg})") from None
    if not isinstance(data, dict):
        raise TwinError(f"{order}: an order is a JSON object")
    work_order, region = order_from_json(data, sc.families or scenario.parent, str(order))
    n = replications or sc.replications
    msg = f"simulating {n} replication(s) of {sc.name} with the new order"
    with nullcontext() if as_json else err_console.status(msg):
        result = promise(sc, work_order, at_hours=at, region=region, replications=n, seed=seed)
    if as_json:
        print_json(result.to_json())
        return
    out = result.to_json()
    console.print(
        f"order {out['order']} placed at {out['at_hours']} h: delivered within"
        f" {out['p50']} h (p50), {out['p90']} h (p90) over {n} replication(s)"
    )
