"""Import times of the public configuration models (``python benchmarks/bench_import.py``).

Reads ``../shared/benchmarks/configuration`` (or the folder given as the first argument) and
prints one row per model: the best of ``--repeat`` wall-clock loads and the model's sizes.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from lotone.model.importers import load_model

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "configuration"


def models(root: Path) -> list[Path]:
    """The model files (and the CLib folder) under the benchmark root, in a stable order."""
    out = [root / "renault_megane_clib"]
    out += sorted((root / "renault_br4cp").glob("*.xml"))
    out += sorted((root / "feature_models" / "dimacs").iterdir())
    out += sorted((root / "feature_models" / "uvl").glob("*.uvl"))
    return [p for p in out if p.exists()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    header = f"| {'model':<38} | {'format':<6} | {'best s':>7} | {'vars':>6} | {'values':>6} |"
    header += f" {'tables':>6} | {'tuples':>7} | {'clauses':>7} | {'hidden':>6} |"
    print(header)
    print("|" + "|".join("-" * (len(c)) for c in header.split("|")[1:-1]) + "|")
    for path in models(args.root):
        best = float("inf")
        for _ in range(args.repeat):
            start = time.perf_counter()
            model = load_model(path)
            best = min(best, time.perf_counter() - start)
        s = model.stats()
        print(
            f"| {path.name:<38} | {model.format:<6} | {best:>7.3f} | {s['variables']:>6} |"
            f" {s['values']:>6} | {s['tables']:>6} | {s['tuples']:>7} | {s['clauses']:>7} |"
            f" {len(model.hidden):>6} |"
        )


if __name__ == "__main__":
    main()
