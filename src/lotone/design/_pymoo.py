"""The pymoo seam: NSGA-II over box-bounded variables with inequality constraints."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = ["nsga2"]

FloatArray = npt.NDArray[np.float64]
# one design vector -> (objectives, constraints <= 0)
Evaluate = Callable[[FloatArray], tuple[FloatArray, FloatArray]]


def nsga2(
    evaluate: Evaluate,
    lower: FloatArray,
    upper: FloatArray,
    n_obj: int,
    n_constr: int,
    evaluations: int,
    seed: int,
    pop_size: int,
) -> None:
    """Run NSGA-II (seeded) for about ``evaluations`` calls of ``evaluate``.

    The caller records what it evaluates; the result lies in those records.
    """
    from pymoo.algorithms.moo.nsga2 import NSGA2  # type: ignore[import-untyped]
    from pymoo.config import Config  # type: ignore[import-untyped]
    from pymoo.core.problem import Problem  # type: ignore[import-untyped]
    from pymoo.optimize import minimize  # type: ignore[import-untyped]

    Config.warnings["not_compiled"] = False

    class _Problem(Problem):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__(n_var=len(lower), n_obj=n_obj, n_ieq_constr=n_constr,
                             xl=lower, xu=upper)  # fmt: skip

        def _evaluate(self, x: FloatArray, out: dict[str, Any], *args: Any, **kw: Any) -> None:
            rows = [evaluate(row) for row in x]
            out["F"] = np.array([r[0] for r in rows])
            out["G"] = np.array([r[1] for r in rows])

    generations = max(1, evaluations // pop_size)
    minimize(_Problem(), NSGA2(pop_size=pop_size), ("n_eval", generations * pop_size),
             seed=seed, verbose=False)  # fmt: skip
