"""A rule along a walk, solved at once: the same steps as checking each step.

:mod:`lotone.configure.shift_lines` finds the steps at which a rule holds while one number (or
two, in step) moves along a line, without evaluating the rule at each step. These tests compare
it, on random rules and on the catalog's, with the compiled closures at every step, and compare
whole witness walks with the step-by-step walk.
"""

from __future__ import annotations

import random
from decimal import Decimal as D
from decimal import localcontext
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lotone.configure import Engine
from lotone.configure.shift import Shifter
from lotone.configure.shift_lines import Lin, Opaque, Truth, Walk
from lotone.errors import LotoneError
from lotone.model.compiled import EXACT, compile_rule
from lotone.model.family import ConstraintRule, Family, NumberAttribute, Value
from lotone.model.loader import load_family, load_family_text

ROOT = Path(__file__).resolve().parents[2]

HEAD = """
family: lines
name: Lines
version: "1"
currency: EUR
base_price: 1
attributes:
  a: {type: number, min: -100, max: 100, step: 1}
  b: {type: number, min: -100, max: 100, step: 1}
  c: {type: number, min: -100, max: 100, step: 1}
  e: {type: enum, values: {x: X, y: Y}}
  f: {type: bool}
rules:
  - id: r
    message: r
    rule: {rule}
"""

N = 40


def _holds_at(walk_steps: Truth, t: int) -> bool:
    if isinstance(walk_steps, bool):
        return walk_steps
    return any(lo <= t <= hi for lo, hi in walk_steps)


def _numbers(linear: bool) -> st.SearchStrategy[str]:
    """Number expressions; ``linear``: sums and scalings only (the walk solves them), else
    also products, abs, min and if (some of which it refuses)."""
    atom = st.sampled_from(["a", "a", "b", "c", "3", "0", "-7", "12", "2.5"])

    def grow(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        pair = st.tuples(inner, inner)
        scaled = st.tuples(st.sampled_from(["2", "-3", "0.5"]), inner)
        halves = st.tuples(inner, st.sampled_from(["2", "3", "4"]))
        options = [
            pair.map(lambda p: f"({p[0]} + {p[1]})"),
            pair.map(lambda p: f"({p[0]} - {p[1]})"),
            scaled.map(lambda p: f"({p[0]} * {p[1]})"),
            halves.map(lambda p: f"({p[0]} / {p[1]})"),
        ]
        if not linear:
            options += [
                pair.map(lambda p: f"({p[0]} * {p[1]})"),
                inner.map(lambda x: f"abs({x})"),
                pair.map(lambda p: f"min({p[0]}, {p[1]})"),
                st.tuples(inner, inner, inner).map(
                    lambda p: f'if({p[0]} > {p[1]} or e == "x", {p[1]}, {p[2]})'
                ),
            ]
        return st.one_of(*options)

    return st.recursive(atom, grow, max_leaves=5)


def _rules() -> st.SearchStrategy[str]:
    numbers = st.one_of(_numbers(linear=True), _numbers(linear=True), _numbers(linear=False))
    cmp = st.tuples(numbers, st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), numbers)
    atom = st.one_of(
        cmp.map(lambda p: f"{p[0]} {p[1]} {p[2]}"),
        st.tuples(numbers, st.booleans()).map(
            lambda p: f"{p[0]} {'not in' if p[1] else 'in'} (1, 5, 12, -3)"
        ),
        st.sampled_from(['e == "x"', "f", "not f"]),
    )

    def grow(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        pair = st.tuples(inner, st.sampled_from(["and", "or", "requires", "excludes"]), inner)
        return st.one_of(
            pair.map(lambda p: f"({p[0]} {p[1]} {p[2]})"),
            inner.map(lambda x: f"not ({x})"),
            st.tuples(inner, inner).map(lambda p: f"({p[0]}) == ({p[1]})"),
        )

    return st.recursive(atom, grow, max_leaves=4)


def _family(rule: str) -> Family | None:
    try:
        return load_family_text(HEAD.replace("{rule}", repr(rule)), "lines.yaml")
    except LotoneError:  # a generated rule the checker refuses (a type error, say)
        return None


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rule=_rules(),
    start=st.tuples(st.integers(-20, 20), st.integers(-20, 20), st.integers(-20, 20)),
    d=st.sampled_from([D(1), D(-1), D(2), D("0.5")]),
    partner=st.sampled_from([None, 1, -1]),
    e=st.sampled_from(["x", "y"]),
    f=st.booleans(),
)
def test_the_steps_found_at_once_are_the_steps_that_hold_one_by_one(
    rule: str,
    start: tuple[int, int, int],
    d: D,
    partner: int | None,
    e: str,
    f: bool,
) -> None:
    """For random rules over a moving number (and a partner moving the other way or the same
    way), every step the walk says holds holds, and every other step fails, exactly as the
    compiled rule says at that step; rules outside the linear fragment are refused (Opaque)."""
    family = _family(rule)
    if family is None:
        return
    (checked,) = family.all_rules()
    compiled = compile_rule(checked, family)
    product: dict[str, Value] = {"a": D(start[0]), "b": D(start[1]), "c": D(start[2])}
    product |= {"e": e, "f": f}
    moving = {"a": Lin(d, product["a"])}  # type: ignore[arg-type]
    if partner is not None:
        moving["b"] = Lin(-d * partner, product["b"])  # type: ignore[arg-type]
    with localcontext(EXACT):
        try:
            steps = Walk(family, product, moving, N).rule(checked, {})
        except Opaque:
            return
        for t in range(1, N + 1):
            trial = {**product, **{k: m.b + m.a * t for k, m in moving.items()}}
            try:
                expected = compiled.holds(trial, {})
            except (LotoneError, ArithmeticError, ValueError, KeyError, TypeError):
                expected = False
            assert _holds_at(steps, t) == expected, (rule, t, trial)


def test_linear_rules_are_solved_and_products_of_moving_numbers_are_not() -> None:
    """A sum with its two terms moving in step is constant; a product of two moving numbers
    leaves the linear fragment and is checked step by step by the caller."""
    family = _family("(a + b == 10) and (a <= 30 or c > 0)")
    assert family is not None
    (rule,) = family.all_rules()
    product: dict[str, Value] = {"a": D(4), "b": D(6), "c": D(-1), "e": "x", "f": True}
    with localcontext(EXACT):
        walk = Walk(family, product, {"a": Lin(D(1), D(4)), "b": Lin(D(-1), D(6))}, N)
        assert walk.rule(rule, {}) == ((1, 26),)  # a = 4 + t <= 30
    product_rule = _family("a * b <= 100")
    assert product_rule is not None
    (square,) = product_rule.all_rules()
    with localcontext(EXACT):
        walk = Walk(product_rule, product, {"a": Lin(D(1), D(4)), "b": Lin(D(1), D(6))}, N)
        with pytest.raises(Opaque):
            walk.rule(square, {})
    assert isinstance(rule, ConstraintRule)


def _walks(engine: Engine, choices: list[dict[str, Value]]) -> list[tuple[object, ...]]:
    """Every witness walk the engine makes while finding the domains under ``choices``."""
    made: list[tuple[object, ...]] = []
    run = engine.shifter.run

    def record(
        product: dict[str, Value],
        key: str,
        attr: NumberAttribute,
        start: int,
        stop: int,
        movable: list[str],
    ) -> list[int]:
        made.append((dict(product), key, attr, start, stop, list(movable)))
        return run(product, key, attr, start, stop, movable)

    engine.shifter.run = record  # type: ignore[method-assign]
    for c in choices:
        engine.domains(c)
    return made


@pytest.mark.parametrize("name", ["insole", "wardrobe", "serum", "pc"])
def test_walks_by_stretches_take_the_same_steps_as_walks_step_by_step(name: str) -> None:
    """On each catalog family, along seeded sessions, each witness walk taken a stretch at a
    time reaches exactly the grid indices the step-by-step walk reaches."""
    family = load_family(ROOT / "catalog" / f"{name}.yaml")
    engine = Engine(family)
    rng = random.Random(3)
    sessions: list[dict[str, Value]] = [{}]
    for _ in range(6):
        choices = dict(sessions[-1])
        domains = engine.domains(choices)
        open_keys = sorted(k for k, dom in domains.items() if k not in choices and len(dom) > 1)
        if not open_keys:
            break
        key = rng.choice(open_keys)
        dom = domains[key]
        values = dom.values() if hasattr(dom, "ranges") else list(dom.values)  # type: ignore[union-attr]
        choices[key] = rng.choice(values)
        sessions.append(choices)
    walks = _walks(Engine(family), sessions)
    assert walks
    lines = Shifter(family, engine.shifter._attrs)
    steps = Shifter(family, engine.shifter._attrs, lines=False)
    for product, key, attr, start, stop, movable in walks:
        got = lines.run(product, key, attr, start, stop, movable)  # type: ignore[arg-type]
        assert got == steps.run(product, key, attr, start, stop, movable)  # type: ignore[arg-type]
