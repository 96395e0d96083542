"""Regenerate the golden work orders (run after a deliberate change, then review the diff)."""

from __future__ import annotations

import json
from pathlib import Path

from lotone.model.loader import load_family
from lotone.produce.customers import read_feet
from lotone.produce.explode import explode
from lotone.produce.orders import generate_orders

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
SEEDS = {"insole": 3, "wardrobe": 5, "pc": 2, "serum": 4}

if __name__ == "__main__":
    feet = read_feet(ROOT / "src/lotone/produce/data/ansur2_feet.csv")
    (HERE / "golden").mkdir(exist_ok=True)
    for name, seed in SEEDS.items():
        family = load_family(ROOT / "catalog" / f"{name}.yaml")
        orders = generate_orders(family, 3, seed, feet)
        data = [explode(o.configuration, family).to_json() for o in orders]
        text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
        (HERE / "golden" / f"{name}.json").write_text(text, encoding="utf-8")
