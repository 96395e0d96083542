"""``lotone recommend``, ``lotone personalize evaluate`` and ``lotone fit sizes``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from lotone.cli.output import console, fail_cleanly, print_json
from lotone.errors import LotoneError

__all__ = ["fit_app", "personalize_app", "recommend"]

personalize_app = typer.Typer(help="Personalization: evaluate recommenders on sales histories.")
fit_app = typer.Typer(help="Fit models learned from body measurements.")


@fail_cleanly
def recommend(
    family: Annotated[Path, typer.Argument(help="A YAML family or an imported model file.")],
    set_: Annotated[list[str] | None, typer.Option("--set", help="NAME=VALUE choice.")] = None,
    profile: Annotated[Path | None, typer.Option(help="Profile JSON (consents...).")] = None,
    history: Annotated[Path | None, typer.Option(help="Past orders, JSON Lines.")] = None,
    top: Annotated[int, typer.Option(help="Alternatives per open attribute.")] = 3,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Propose a complete valid configuration learned from past orders."""
    from lotone.cli.finite_view import is_family_file, load_finite, parse_named
    from lotone.personalize import Neighbours, load_profile, read_orders

    who = load_profile(profile) if profile is not None else None
    learner = Neighbours(read_orders(history)) if history is not None else None
    if is_family_file(family, None):
        from lotone.cli.configure_cmd import parse_choices
        from lotone.configure.engine import Engine
        from lotone.model.loader import load_family
        from lotone.personalize.recommend import recommend_family

        engine = Engine(load_family(family))
        rec = recommend_family(engine, parse_choices(engine, set_ or []), learner,
                               profile=who, top_k=top)  # fmt: skip
    else:
        from lotone.configure.finite_optimize import WeightedSpace
        from lotone.personalize.recommend import recommend_finite

        space = WeightedSpace(load_finite(family, None))
        rec = recommend_finite(space, parse_named(set_ or []), learner, profile=who, top_k=top)
    if json_out:
        print_json(rec.to_json())
        return
    for key, value in rec.configuration.items():
        alts = ", ".join(f"{v} ({s:.2f})" for v, s in rec.alternatives.get(key, ()))
        console.print(f"{key} = {value}" + (f"   alternatives: {alts}" if alts else ""))
    console.print("valid: yes")


@personalize_app.command("evaluate")
@fail_cleanly
def evaluate_cmd(
    model: Annotated[Path, typer.Option(help="The imported model (XCSP, CLib...).")],
    sales: Annotated[Path, typer.Option(help="Sales history (BR4CP format).")],
    folds: Annotated[int, typer.Option(help="Number of folds to run.")] = 10,
    fold_file: Annotated[Path | None, typer.Option(help="One fold id per sale.")] = None,
    folds_by: Annotated[
        str, typer.Option(help="file: the fold file's ids; hash: by each configuration.")
    ] = "file",
    reveal: Annotated[float, typer.Option(help="Fraction of choices revealed.")] = 0.5,
    per_fold: Annotated[int | None, typer.Option(help="Cap held-out orders per fold.")] = None,
    seed: Annotated[int, typer.Option(help="Seed of the reveals.")] = 0,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Hide part of each held-out order, predict it, and compare with baselines."""
    from lotone.cli.finite_view import load_finite
    from lotone.configure.finite_optimize import WeightedSpace
    from lotone.personalize import evaluate, read_folds, read_sales

    history = read_sales(sales)
    if fold_file is None:
        guess = sales.parent / sales.name.replace("config_", "index_csv_").replace("_filtered", "")
        fold_file = guess if guess.is_file() and guess != sales else None
    split = read_folds(fold_file, history, 10, by=folds_by)
    if not 1 <= folds <= 10:
        raise LotoneError("--folds must be between 1 and 10")
    space = WeightedSpace(load_finite(model, None))
    result = evaluate(space, history, split, run_folds=tuple(range(folds)), reveal=reveal,
                      per_fold=per_fold, seed=seed)  # fmt: skip
    if json_out:
        print_json(result.to_json())
        return
    data = result.to_json()
    for key in ("accuracy", "exact_match", "valid_rate", "median_ms", "orders", "folds_source"):
        console.print(f"{key}: {data[key]}")
    for name, score in result.baselines.items():
        console.print(f"baseline {name}: {score.to_json()}")


@fit_app.command("sizes")
@fail_cleanly
def sizes_cmd(
    dataset: Annotated[str, typer.Option(help="ansur2, ansur2-sample, or a folder.")] = "ansur2",
    measure: Annotated[str, typer.Option(help="Measure to size by.")] = "foot_length",
    coverage: Annotated[float, typer.Option(help="Share of people to fit.")] = 0.95,
    band: Annotated[float, typer.Option(help="Width of one size, mm.")] = 6.67,
    predict_from: Annotated[
        list[str] | None, typer.Option("--predict-from", help="Measures to predict from.")
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """The fewest sizes covering a share of people, and a held-out size predictor."""
    from lotone.personalize import held_out_error, load_ansur, size_grid

    data = load_ansur(_dataset_folder(dataset))
    grid = size_grid(data.measure(measure), coverage=coverage, band_mm=band, measure=measure)
    default = ["stature", "hand_length"] if "stature" in data.columns else ["foot_breadth"]
    predictors = [p for p in (predict_from or default) if p != measure]
    model, err = held_out_error(data, grid, predictors)
    out = {
        "dataset": data.source,
        "measure": measure,
        "people": grid.people,
        "coverage_target": coverage,
        "coverage": round(grid.coverage, 4),
        "band_mm": band,
        "sizes": [
            {"size": s.number, "min_mm": s.low, "max_mm": round(s.high, 2), "people": s.people}
            for s in grid.sizes
        ],
        "prediction": {
            "from": list(model.predictors),
            "intercept": round(model.intercept, 3),
            "coef": [round(c, 4) for c in model.coef],
            "held_out": err.held_out,
            "mae_mm": round(err.mae_mm, 2),
            "rmse_mm": round(err.rmse_mm, 2),
            "exact_size": round(err.exact_size, 4),
            "within_one_size": round(err.within_one_size, 4),
        },
    }
    if json_out:
        print_json(out)
        return
    console.print(f"{len(grid.sizes)} sizes of {band} mm fit {grid.coverage:.1%} of {grid.people}")
    for s in grid.sizes:
        console.print(f"  size {s.number}: {s.low:.0f}-{s.high:.1f} mm ({s.people} people)")
    console.print(
        f"predicted from {', '.join(predictors)}: MAE {err.mae_mm:.1f} mm, "
        f"exact size {err.exact_size:.1%}, within one {err.within_one_size:.1%}"
    )


def _dataset_folder(name: str) -> Path | None:
    """``ansur2-sample`` -> the packaged sample; ``ansur2`` -> the shared datasets folder."""
    if name == "ansur2-sample":
        return None
    if name == "ansur2":
        root = Path(os.environ.get("LOTONE_DATASETS", "../shared/datasets"))
        folder = root / "ansur2"
        if not folder.is_dir():
            raise LotoneError(
                f"{folder} not found: set LOTONE_DATASETS to the folder holding ansur2/, "
                "or use --dataset ansur2-sample (600 people, packaged)"
            )
        return folder
    return Path(name)
