"""Twin benchmark: events/s of the digital twin vs a plain SimPy job shop of the same size.

In the same run: ``--orders`` generated wardrobe orders (Poisson arrivals, ``--rate`` per hour)
on the Berlin site of the sample network, simulated by the twin (calendars, changeovers,
cv 0.3, breakdowns on the edge bander, FIFO dispatch); then a plain SimPy job shop with the
same machines, jobs and operations: one process per job walking its operations in
topological order, each a ``Resource`` request on the operation's first eligible machine, a
timeout of its routing time and a release (no calendars, setups, randomness or breakdowns).
Both count SimPy events processed; the twin needs fewer events per operation (one timeout per
operation, one per release, one per wake), so wall time per operation is reported as well.

Run: ``python benchmarks/bench_twin.py --orders 10000``
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import time
from collections.abc import Generator
from pathlib import Path

import simpy

from lotone.model.loader import load_family
from lotone.produce.explode import explode
from lotone.produce.factory_loader import load_network
from lotone.produce.orders import generate_orders
from lotone.schedule import SchedulingProblem
from lotone.twin import TwinModel, simulate, site_model

ROOT = Path(__file__).resolve().parents[1]


def twin_model(orders: int, rate: float, seed: int) -> TwinModel:
    """Berlin with ``orders`` wardrobes arriving at ``rate`` per hour."""
    net = load_network(sorted((ROOT / "catalog" / "factories").glob("*.yaml")))
    site = net.site("berlin")
    family = load_family(ROOT / "catalog" / "wardrobe.yaml")
    wos = [
        explode(o.configuration, family, order_id=o.order_id)
        for o in generate_orders(family, orders, seed)
    ]
    rng = random.Random(seed)
    t, releases = 0.0, []
    for _ in wos:
        t += rng.expovariate(rate / 3600)
        releases.append(t)
    weeks = int(t / (7 * 86400)) + 4
    return site_model(
        wos,
        site,
        weeks=weeks,
        releases=releases,
        default_cv=0.3,
        breakdowns={"edge": (40 * 3600.0, 2 * 3600.0)},
    )


def plain_simpy(problem: SchedulingProblem, releases: tuple[float, ...]) -> tuple[int, float]:
    """(events, seconds) of a plain SimPy job shop on the same jobs and machines."""
    env = simpy.Environment()
    machines = [simpy.Resource(env) for _ in range(problem.num_machines)]
    order = {o: i for i, o in enumerate(problem.topological_order())}

    def job(j: int) -> Generator[simpy.Event, object, None]:
        yield env.timeout(releases[j])
        for o in sorted(problem.jobs[j].operations, key=order.__getitem__):
            m, d = problem.operations[o].modes[0]
            with machines[m].request() as req:
                yield req
                yield env.timeout(d)

    for j in range(len(problem.jobs)):
        env.process(job(j))
    t0 = time.perf_counter()
    n = 0
    while env.peek() != float("inf"):
        env.step()
        n += 1
    return n, time.perf_counter() - t0


def main() -> None:
    """Build, run both, print one Markdown table row per engine."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--orders", type=int, default=10_000)
    ap.add_argument("--rate", type=float, default=0.5, help="orders per hour")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    t0 = time.perf_counter()
    model = twin_model(args.orders, args.rate, args.seed)
    build = time.perf_counter() - t0
    ops = model.problem.num_operations
    trace = simulate(model, seed=args.seed)
    events, secs = plain_simpy(model.problem, model.releases)
    load = os.getloadavg()[0]
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, load {load:.2f}")
    print(f"{args.orders} orders, {ops} operations, {model.problem.num_machines} machines")
    print(f"build (generate + explode + problem): {build:.1f} s")
    print("| engine | events | wall s | events/s | operations/s |")
    print("|---|---|---|---|---|")
    tw = trace.wall_seconds
    print(f"| twin | {trace.events:,} | {tw:.2f} | {trace.events / tw:,.0f} | {ops / tw:,.0f} |")
    print(f"| plain SimPy | {events:,} | {secs:.2f} | {events / secs:,.0f} | {ops / secs:,.0f} |")
    print(f"twin / plain events/s: {trace.events / tw / (events / secs):.2f}")


if __name__ == "__main__":
    main()
