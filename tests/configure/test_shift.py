"""Shifted witnesses: number domains found by moving numbers of valid products stay exact.

The engine certifies a number value by shifting a model (one number alone, or two in step) and
re-checking the rules that read the moved numbers. These tests build families whose number
domains have holes the shifts must not jump over, and compare every domain with brute force.
"""

from __future__ import annotations

import itertools
import random
from decimal import Decimal as D
from pathlib import Path

import pytest

from lotone.configure import Engine, NumberDomain
from lotone.configure.validate import validate
from lotone.model.family import Value
from lotone.model.loader import load_family, load_family_text

ROOT = Path(__file__).resolve().parents[2]

SHELF = """
family: shelf
name: Shelf
version: "1"
currency: EUR
base_price: 10
attributes:
  width_mm: {type: number, min: 600, max: 1500, step: 10}
  gap_mm: {type: number, min: 0, max: 40, step: 1}
  pair_a: {type: number, min: 0, max: 30, step: 1}
  pair_b: {type: number, min: 0, max: 60, step: 1}
  finish: {type: enum, values: {white: White, oak: Oak}}
modules:
  bay:
    count: {min: 1, max: 3}
    attributes:
      width_mm: {type: number, min: 300, max: 480, step: 30}
      kind: {type: enum, values: {open: Open, door: Door}}
    rules:
      - id: door-narrow
        message: door-narrow
        rule: kind == "door" requires width_mm <= 420
rules:
  - id: bays-fill
    message: bays-fill
    rule: sum(bay.width_mm) == width_mm
  - id: gap-hole
    message: gap-hole
    rule: gap_mm < 10 or gap_mm > 14
  - id: gap-oak
    message: gap-oak
    rule: finish == "oak" requires gap_mm >= 5
  - id: pair-even
    message: pair-even
    rule: pair_b == 2 * pair_a
"""


def _products(engine: Engine) -> list[dict[str, Value]]:
    """Every valid product of the shelf family but the doubled pair (checked on its own
    below), by enumeration and the reference checker; the gap is enumerated per finish."""
    fam = engine.family
    bay_widths = [D(300 + 30 * i) for i in range(7)]
    plain = {"width_mm": D(600), "pair_a": D(0), "pair_b": D(0), "bay.count": D(2)}
    plain |= {"bay[1].width_mm": D(300), "bay[2].width_mm": D(300)}
    plain |= {"bay[1].kind": "open", "bay[2].kind": "open"}
    gaps = {  # the gap's rules read only the gap and the finish
        finish: [
            D(g)
            for g in range(41)
            if not validate(fam, {**plain, "finish": finish, "gap_mm": D(g)})
        ]
        for finish in ("white", "oak")
    }
    out = []
    for count in (1, 2, 3):
        for widths in itertools.product(bay_widths, repeat=count):
            total = sum(widths, D(0))
            if not D(600) <= total <= D(1500):
                continue
            for kinds in itertools.product(["open", "door"], repeat=count):
                for finish in ("white", "oak"):
                    config: dict[str, Value] = {
                        "width_mm": total,
                        "gap_mm": D(20),
                        "pair_a": D(0),
                        "pair_b": D(0),
                        "finish": finish,
                        "bay.count": D(count),
                    }
                    for i, (w, k) in enumerate(zip(widths, kinds, strict=True), start=1):
                        config[f"bay[{i}].width_mm"] = w
                        config[f"bay[{i}].kind"] = k
                    if validate(fam, config):
                        continue
                    out.extend({**config, "gap_mm": g} for g in gaps[finish])
    return out


@pytest.fixture(scope="module")
def shelf() -> tuple[Engine, list[dict[str, Value]]]:
    engine = Engine(load_family_text(SHELF, "shelf.yaml"))
    return engine, _products(engine)


def _expected(products: list[dict[str, Value]], choices: dict[str, Value]) -> dict[str, set[Value]]:
    out: dict[str, set[Value]] = {}
    for p in products:
        if all(p.get(k) == v for k, v in choices.items()):
            for k, v in p.items():
                out.setdefault(k, set()).add(v)
    return out


CHOICES: list[dict[str, Value]] = [
    {},
    {"width_mm": D(900)},
    {"width_mm": D(1200), "finish": "oak"},
    {"bay.count": D(2)},
    {"bay[1].kind": "door", "bay.count": D(3)},
    {"finish": "oak", "bay[1].width_mm": D(480)},
]


@pytest.mark.parametrize("choices", CHOICES, ids=lambda c: ",".join(map(str, c)) or "none")
def test_number_domains_with_holes_equal_brute_force(
    shelf: tuple[Engine, list[dict[str, Value]]], choices: dict[str, Value]
) -> None:
    """Widths that sums of 30 mm steps cannot reach, the 10-14 gap hole and the odd
    values of a doubled number are withheld; every other value is offered."""
    engine, products = shelf
    expected = _expected(products, choices)
    state = engine.analyze(choices, price=False)
    for key, dom in state.domains.items():
        if key in ("pair_a", "pair_b"):
            continue  # not enumerated above: checked on their own below
        got = set(dom.values()) if isinstance(dom, NumberDomain) else set(dom.values)
        assert got == expected[key], key


def test_a_doubled_number_keeps_only_even_values(
    shelf: tuple[Engine, list[dict[str, Value]]],
) -> None:
    """pair_b == 2 * pair_a: pair_b's domain is the even numbers up to 60, pair_a's 0..30."""
    engine, _ = shelf
    domains = engine.analyze({}, price=False).domains
    b, a = domains["pair_b"], domains["pair_a"]
    assert isinstance(b, NumberDomain)
    assert isinstance(a, NumberDomain)
    assert set(b.values()) == {D(v) for v in range(0, 61, 2)}
    assert set(a.values()) == {D(v) for v in range(31)}


def test_shifting_needs_fewer_solver_calls_than_values_offered(
    shelf: tuple[Engine, list[dict[str, Value]]],
) -> None:
    """Numbers without holes (the gap above 14, bay widths summing to the chosen width)
    come from a few models shifted along, not from a solver call per value."""
    engine, _ = shelf
    before = engine.solver.calls
    state = engine.analyze({"pair_a": D(3), "width_mm": D(1200)}, price=False)
    offered = sum(len(d) for d in state.domains.values() if isinstance(d, NumberDomain))
    assert offered > 50
    assert engine.solver.calls - before < offered / 3


def test_partners_are_the_numbers_a_rule_reads_together(
    shelf: tuple[Engine, list[dict[str, Value]]],
) -> None:
    """bay widths move in step with the total width and with each other, not with the gap."""
    engine, products = shelf
    product = next(p for p in products if p["bay.count"] == D(2))
    partners = engine.shifter.partners(product, "bay[1].width_mm")
    assert set(partners) == {"width_mm", "bay[2].width_mm"}


@pytest.mark.parametrize("name", ["insole", "wardrobe", "serum", "pc"])
def test_shifting_gives_the_same_domains_as_a_call_per_value_on_the_catalog(name: str) -> None:
    """Along a seeded session on each catalog family, every domain equals the one found with
    shifting switched off (a solver call per value no model has shown)."""
    family = load_family(ROOT / "catalog" / f"{name}.yaml")
    fast, plain = Engine(family), Engine(family, shift=False)
    rng = random.Random(7)
    choices: dict[str, Value] = {}
    for _ in range(4):
        got = fast.domains(choices)
        assert got == plain.domains(choices)
        open_keys = sorted(k for k, d in got.items() if k not in choices and len(d) > 1)
        if not open_keys:
            break
        key = rng.choice(open_keys)
        dom = got[key]
        values = dom.values() if isinstance(dom, NumberDomain) else list(dom.values)
        choices[key] = rng.choice(values)
