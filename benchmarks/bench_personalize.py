"""Benchmark: recommendations on Renault medium and big sales, decoded through the engine.

Protocol (``docs/personalize.md``): k-fold on the real sales histories, half of the history's
columns revealed per held-out order (seeded), the rest predicted by the kNN vote decoded on
the compiled model; baselines ``popular`` and unconstrained ``knn`` on the same reveals.

    .venv/bin/python benchmarks/bench_personalize.py [--models medium big] [--folds 10]
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from lotone.configure.finite_optimize import WeightedSpace
from lotone.model.importers import load_model
from lotone.personalize import evaluate, read_folds, read_sales

DATA = Path(__file__).resolve().parents[2] / "shared/benchmarks/configuration/renault_br4cp"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=["medium", "big"])
    parser.add_argument("--folds", type=int, default=10)
    parser.add_argument("--per-fold", type=int, default=None)
    parser.add_argument("--reveal", type=float, default=0.5)
    parser.add_argument("--folds-by", choices=["file", "hash"], default="file")
    args = parser.parse_args()
    for name in args.models:
        load = os.getloadavg()
        start = time.perf_counter()
        space = WeightedSpace(load_model(DATA / f"{name}_domainsorted.xml"))
        built = time.perf_counter() - start
        sales = read_sales(DATA / f"config_{name}_filtered.txt")
        folds = read_folds(DATA / f"index_csv_{name}.txt", sales, by=args.folds_by)
        result = evaluate(space, sales, folds, run_folds=tuple(range(args.folds)),
                          reveal=args.reveal, per_fold=args.per_fold)  # fmt: skip
        out = {
            "model": name,
            "compile_s": round(built, 2),
            "diagram": {"nodes": space.nodes, "edges": space.edges},
            "load_before": [round(x, 2) for x in load],
            "load_after": [round(x, 2) for x in os.getloadavg()],
            "wall_s": round(time.perf_counter() - start, 1),
            **result.to_json(),
        }
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
