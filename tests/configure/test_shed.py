"""An engine drops the literals its queries made once they grow its CNF: same answers."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from lotone.configure import Engine, NumberDomain, ValueDomain
from lotone.model.family import Value
from lotone.model.loader import load_family

CATALOG = Path(__file__).resolve().parents[2] / "catalog"


def _session(engine: Engine, seed: int, steps: int = 8) -> list[dict[str, Value]]:
    rng = random.Random(seed)
    choices: dict[str, Value] = {}
    trail = []
    for _ in range(steps):
        doms = engine.domains(choices)
        open_keys = [k for k, d in doms.items() if k not in choices and len(d) > 1]
        if not open_keys:
            break
        key = rng.choice(open_keys)
        dom = doms[key]
        if isinstance(dom, NumberDomain):
            choices[key] = rng.choice(dom.values())
        else:
            assert isinstance(dom, ValueDomain)
            choices[key] = rng.choice(list(dom.values))
        trail.append(dict(choices))
    return trail


@pytest.mark.parametrize("name", ["wardrobe", "serum", "insole"])
def test_shedding_query_literals_keeps_every_answer(name: str) -> None:
    """An engine that starts a new solver before every query (shed_at 1.0) answers domains,
    analyses and completions as one that never does, and its CNF stays near its base size."""
    family = load_family(CATALOG / f"{name}.yaml")
    # a budget no busy machine exhausts: an unproven price range is an envelope that may differ
    keeping = Engine(family, budget=30.0)
    keeping.shed_at = float("inf")
    shedding = Engine(family, budget=30.0)
    shedding.shed_at = 1.0
    grown = 0
    for seed in range(3):
        for choices in _session(keeping, seed):
            assert shedding.domains(choices) == keeping.domains(choices)
            assert shedding.analyze(choices) == keeping.analyze(choices)
            assert shedding.complete(choices) == keeping.complete(choices)
            grown = max(grown, keeping.enc.cnf.num_vars)
    assert grown > keeping.enc.base[0]  # the queries did make literals
    assert shedding.enc.cnf.num_vars < keeping.enc.cnf.num_vars  # only the last query's
