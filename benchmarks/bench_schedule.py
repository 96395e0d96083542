"""Scheduling benchmark: ours vs the textbook CP-SAT model vs the best dispatching rule.

For each instance of a named set, in the same run and with the same time limit and workers:
our solver (``solve``'s default: on pure makespan job shops and flexible job shops the tabu
search and CP-SAT together, on other problems without fixed operations the setup-aware tabu
search and CP-SAT together), optionally the tabu search alone, the textbook CP-SAT model, and
the best of the dispatching rules. Every
schedule is verified with ``Schedule.check``. Makespan sets report the gap to the best known
upper bound (``bks.json``); tardiness sets report total weighted tardiness (in the file's
units) and the reduction against the best rule. The
``orders`` set times a 2,000-operation day of generated orders: first feasible schedule, best
rule, our solver, and the repair of a machine breakdown.

Run: ``python benchmarks/bench_schedule.py --set ta-sample --time-limit 20 --workers 2``
(sets: ``ta01-50``, ``ta-sample``, ``dev-sample``, ``ta41-50``, ``mk01-10``, ``jit-5x10``,
``jit-small`` (10x10), ``jit-sample``, ``jit-large`` (every 20x10 and 50x10), ``orders``;
``--instances a,b`` picks some of a set; ``--models ours,tabu,textbook`` picks the columns;
``--md FILE`` also writes the table).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

from lotone.schedule import SchedulingProblem, SolveParams, best_rule, solve
from lotone.schedule.readers import read_problem

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "benchmarks" / "scheduling"
JSP = DATA / "jobshop" / "text" / "Taillard1993"
FJSP = DATA / "flexible-jobshop" / "fjsp" / "Brandimarte1993"
JIT = DATA / "jobshop-sdst-jit"


def _bks() -> dict[str, int]:
    out: dict[str, int] = {}
    for sub in ("jobshop", "flexible-jobshop"):
        for row in json.loads((DATA / sub / "bks.json").read_text()):
            out[row["instance"]] = int(row["upper_bound"])
    return out


def _set(name: str) -> tuple[list[Path], str]:
    ta = [JSP / f"ta{i:02d}js.txt" for i in range(1, 51)]
    if name == "ta01-50":
        return ta, "makespan"
    if name == "ta-sample":
        return [ta[i - 1] for i in (1, 6, 11, 16, 21, 26, 31, 36, 41, 46)], "makespan"
    if name == "dev-sample":  # quick development sample: job shops and flexible job shops
        mk = [FJSP / f"mk{i:02d}.txt" for i in (6, 10)]
        return [ta[i - 1] for i in (1, 11, 21, 31, 41, 46)] + mk, "makespan"
    if name == "ta41-50":
        return ta[40:50], "makespan"
    if name == "mk01-10":
        return [FJSP / f"mk{i:02d}.txt" for i in range(1, 11)], "makespan"
    if name == "jit-5x10":
        return sorted(JIT.glob("I-5x10-*")), "tardiness"
    if name == "jit-small":
        return sorted(JIT.glob("I-10x10-*")), "tardiness"
    if name == "jit-large":
        return sorted(JIT.glob("I-20x10-*")) + sorted(JIT.glob("I-50x10-*")), "tardiness"
    if name == "jit-sample":
        return [
            JIT / f"I-{s}-{k}-{t}-0"
            for s in ("10x10", "20x10", "50x10")
            for k in ("equal", "tard")
            for t in ("loose", "tight")
        ], "tardiness"
    raise SystemExit(f"unknown set {name!r}")


def _scaled(problem: SchedulingProblem, value: int | None, objective: str) -> float | None:
    if value is None:
        return None
    scale = problem.time_scale * (problem.weight_scale if objective == "tardiness" else 1)
    return value / scale


def _fmt(x: float | None, digits: int = 0) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


MODELS = {"ours": "cpsat", "tabu": "tabu", "textbook": "textbook"}


def run_set(paths: list[Path], objective: str, params: SolveParams, models: list[str]) -> list[str]:
    """Solve every instance; the markdown rows (and a summary line).

    ``models`` name the columns: ``ours`` (``solve``'s default: tabu search and CP-SAT
    together on pure makespan problems), ``tabu`` (the tabu search alone), ``textbook``.
    """
    bks = _bks()
    if objective == "makespan":
        header = "| instance | size | BKS | " + "".join(f"{k} | gap % | " for k in models)
        header += "best rule | gap % |"
    else:
        header = (
            "| instance | size | ours | textbook | best rule (name) | ours vs rule % |"
            " textbook vs rule % |"
        )
    rows = [header, "|" + "---|" * (header.count("|") - 1)]
    gaps: dict[str, list[float]] = {k: [] for k in [*models, "rule"]}
    wins = 0
    for path in paths:
        p = read_problem(path)
        size = f"{len(p.jobs)}x{p.num_machines}"
        rule = best_rule(p, objective)  # type: ignore[arg-type]
        rule.schedule.check(p)
        values: dict[str, float | None] = {"rule": _scaled(p, rule.objective, objective)}
        for model in models:
            method = MODELS[model]
            r = solve(p, objective, params, method)  # type: ignore[arg-type]
            if r.schedule is not None:
                r.schedule.check(p)
            values[model] = _scaled(p, r.objective, objective)
        if objective == "makespan":
            best = bks.get(p.name) or bks.get(p.name + "js")
            cells = [p.name, size, str(best)]
            for k in [*models, "rule"]:
                v = values.get(k)
                gap = None if v is None or not best else 100 * (v - best) / best
                if gap is not None:
                    gaps[k].append(gap)
                label = _fmt(v) + (f" ({rule.rule})" if k == "rule" else "")
                cells += [label, _fmt(gap, 2)]
        else:
            rv = values["rule"] or 0.0
            cells = [p.name, size]
            for k in ("ours", "textbook"):
                cells.append(_fmt(values.get(k), 2))
            cells.append(f"{_fmt(rv, 2)} ({rule.rule})")
            for k in ("ours", "textbook"):
                v = values.get(k)
                red = None if v is None or rv == 0 else 100 * (rv - v) / rv
                if red is not None:
                    gaps[k].append(red)
                cells.append(_fmt(red, 1))
            o, t = values.get("ours"), values.get("textbook")
            wins += int(o is not None and (t is None or o < t or (o == t == 0)))
        rows.append("| " + " | ".join(cells) + " |")
        print(rows[-1], flush=True)
    if objective == "makespan":
        means = {k: statistics.mean(v) for k, v in gaps.items() if v}
        rows.append(
            "| **mean** | | | " + "".join(f"| **{_fmt(means.get(k), 2)}** | " for k in models)
            + f"| **{_fmt(means.get('rule'), 2)}** |"
        )  # fmt: skip
    else:
        means = {k: statistics.mean(v) for k, v in gaps.items() if v}
        rows.append(
            f"| **mean** | | | | | {_fmt(means.get('ours'), 1)} | {_fmt(means.get('textbook'), 1)}"
            f" |\n\nours better than (or equal at 0 to) textbook on {wins}/{len(paths)} instances"
        )
    return rows


def run_orders(params: SolveParams, count: int) -> list[str]:
    """A day of generated wardrobe orders at Berlin: timings for the 2,000-operation target."""
    from lotone.model.loader import load_family
    from lotone.produce.explode import explode
    from lotone.produce.factory_loader import load_site
    from lotone.schedule import dispatch, reschedule, site_problem

    family = load_family(ROOT / "catalog" / "wardrobe.yaml")
    site = load_site(ROOT / "catalog" / "factories" / "berlin.yaml")
    from lotone.produce.orders import generate_orders

    wos = [explode(o.configuration, family, order_id=o.order_id)
           for o in generate_orders(family, count, seed=params.seed)]  # fmt: skip
    due = {wo.order_id or "": (i // 20 + 1) * 86400 for i, wo in enumerate(wos)}
    t = time.perf_counter()
    p = site_problem(wos, site, weeks=8, due=due)
    build = time.perf_counter() - t
    t = time.perf_counter()
    first = dispatch(p, "edd")
    first_s = time.perf_counter() - t
    first.check(p)
    t = time.perf_counter()
    rule = best_rule(p, "tardiness")
    rules_s = time.perf_counter() - t
    r = solve(p, "tardiness", params)
    assert r.schedule is not None
    r.schedule.check(p)
    now = 86400 + 10 * 3600
    new, rr = reschedule(
        p, r.schedule, now, frozen_until=now + 3600,
        breakdowns={0: [(now, now + 4 * 3600)]}, params=SolveParams(5.0, params.workers),
    )  # fmt: skip
    assert rr.schedule is not None
    rr.schedule.check(new)
    return [
        "| measure | value |",
        "|---|---|",
        f"| operations (orders) | {p.num_operations} ({len(wos)}) |",
        f"| problem build | {build:.2f} s |",
        f"| first feasible schedule (EDD rule) | {first_s:.2f} s |",
        f"| best of 6 rules | {rules_s:.2f} s, weighted tardiness {rule.objective} ({rule.rule}) |",
        f"| ours, {params.time_limit:.0f} s limit | {r.runtime:.2f} s,"
        f" {r.objective} ({r.status}) |",
        f"| breakdown repair (4 h CNC outage, 5 s limit) | {rr.runtime:.2f} s,"
        f" {len(new.fixed)} operations frozen, tardiness {rr.objective} |",
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", default="ta-sample")
    ap.add_argument("--instances", default="", help="comma-separated names to keep")
    ap.add_argument("--time-limit", type=float, default=20.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--models", default="ours,textbook")
    ap.add_argument("--count", type=int, default=200, help="orders for the 'orders' set")
    ap.add_argument("--md", type=Path, default=None, help="also write the table here")
    args = ap.parse_args()
    if not DATA.exists():
        raise SystemExit(f"benchmark data not found at {DATA}")
    params = SolveParams(args.time_limit, args.workers, args.seed)
    load = os.getloadavg()
    print(
        f"# set {args.set}, time limit {args.time_limit} s, {args.workers} workers, seed"
        f" {args.seed}, load {load[0]:.2f}/{load[1]:.2f}, {os.cpu_count()} cpus,"
        f" Python {sys.version.split()[0]}",
        flush=True,
    )
    if args.set == "orders":
        rows = run_orders(params, args.count)
        print("\n".join(rows))
    else:
        paths, objective = _set(args.set)
        keep = {x for x in args.instances.split(",") if x}
        if keep:
            paths = [p for p in paths if read_problem(p).name in keep or p.name in keep]
        rows = run_set(paths, objective, params, args.models.split(","))
        print(rows[-1])
    load = os.getloadavg()
    print(f"# done, load {load[0]:.2f}/{load[1]:.2f}")
    if args.md is not None:
        args.md.write_text("\n".join(rows) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
