"""How much of a held-out sale can neighbours predict when *every other* column is known?

An upper-bound probe for the recommender's accuracy target: for each held-out sale and each
column, the column is predicted by the weighted kNN vote (``exp(beta * matches)``) of the
training folds, with all the *other* columns of that sale revealed (not half, as in the
evaluation protocol). A learner of this family that sees half the columns should not beat it.

    .venv/bin/python benchmarks/personalize_ceiling.py [--model big] [--fold 0] [--orders 300]
        [--beta 0.7 1.5 5] [--logreg] [--oracle] [--folds-by file|hash]

``--oracle`` adds the protocol's own reading (half of the columns revealed, the same seeded
reveals as ``evaluate``): each hidden column gets the majority value among the sales that match
the revealed half best, taken from the training folds (what any lookup of the history can do)
and, as an oracle, from *all* sales including the held-out ones (what knowing the test set
would give).

``--logreg`` adds a second learner: per column, a logistic regression on the one-hot encoding of
all the other columns, trained on the training folds (needs scikit-learn, which lotone itself
does not: ``pip install scikit-learn``). It is slower (minutes per model) and, on big, better
than the vote: see ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from lotone.personalize import read_folds, read_sales

DATA = Path(__file__).resolve().parents[2] / "shared/benchmarks/configuration/renault_br4cp"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="big")
    parser.add_argument("--fold", type=int, default=0)
    parser.add_argument("--orders", type=int, default=300)
    parser.add_argument("--beta", type=float, nargs="+", default=[0.7, 1.5, 5.0])
    parser.add_argument("--logreg", action="store_true", help="also a logistic regression")
    parser.add_argument("--oracle", action="store_true", help="also the half-revealed oracle")
    parser.add_argument("--folds-by", choices=["file", "hash"], default="file")
    args = parser.parse_args()
    sales = read_sales(DATA / f"config_{args.model}_filtered.txt")
    folds = read_folds(DATA / f"index_csv_{args.model}.txt", sales, by=args.folds_by)
    rows = sales.rows
    train = rows[folds.ids != args.fold]
    held = np.flatnonzero(folds.ids == args.fold)[: args.orders]
    sizes = [len(labels) for labels in sales.labels]
    train_keys = {r.tobytes() for r in train}
    out: dict[str, object] = {
        "model": args.model,
        "fold": args.fold,
        "orders": len(held),
        "folds_source": folds.source,
        "held_out_in_training": float(np.mean([rows[i].tobytes() in train_keys for i in held])),
    }
    for beta in args.beta:
        right = cells = 0
        for i in held:
            equal = train == rows[i]
            total = equal.sum(axis=1)
            for j in range(rows.shape[1]):
                matches = total - equal[:, j]
                weights = np.exp(beta * (matches - matches.max()))
                votes = np.bincount(train[:, j], weights=weights, minlength=sizes[j])
                right += int(np.argmax(votes) == rows[i, j])
                cells += 1
        out[f"accuracy_beta_{beta}"] = round(right / cells, 4)
    if args.logreg:
        out["accuracy_logreg"] = round(_logreg(train, rows[held]), 4)
    if args.oracle:
        for name, pool in (("training_folds", train), ("all_sales", rows)):
            out[f"half_revealed_majority_{name}"] = round(_majority(pool, rows, held, args.fold), 4)
    print(json.dumps(out))


def _majority(pool: np.ndarray, rows: np.ndarray, held: np.ndarray, fold: int) -> float:
    """Half revealed: the majority among ``pool``'s best matches of the revealed columns."""
    n_cols = rows.shape[1]
    right = cells = 0
    for i in held:
        rng = np.random.default_rng((0, fold, int(i)))  # the reveals of evaluate(seed=0)
        shown = rng.choice(n_cols, max(1, round(0.5 * n_cols)), replace=False)
        hidden = np.setdiff1d(np.arange(n_cols), shown)
        matches = (pool[:, shown] == rows[i, shown]).sum(axis=1)
        best = pool[matches == matches.max()]
        for j in hidden:
            right += int(np.bincount(best[:, j]).argmax() == rows[i, j])
            cells += 1
    return right / cells


def _logreg(train: np.ndarray, held: np.ndarray) -> float:
    """Per column: logistic regression on the one-hot other columns; accuracy on ``held``."""
    import warnings

    try:
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.linear_model import LogisticRegression
        from sklearn.preprocessing import OneHotEncoder
    except ImportError:
        raise SystemExit("--logreg needs scikit-learn: pip install scikit-learn") from None
    right = cells = 0
    for j in range(train.shape[1]):
        y, want = train[:, j], held[:, j]
        cells += len(want)
        if len(np.unique(y)) == 1:
            right += int((want == y[0]).sum())
            continue
        other = [c for c in range(train.shape[1]) if c != j]
        onehot = OneHotEncoder(handle_unknown="ignore").fit(train[:, other])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            fit = LogisticRegression(max_iter=300).fit(onehot.transform(train[:, other]), y)
        right += int((fit.predict(onehot.transform(held[:, other])) == want).sum())
    return right / cells


if __name__ == "__main__":
    main()
