"""The operations of a work order and their precedence, instantiated from the family's routing.

A module operation exists once per existing instance (``assemble_interior[2]``). ``after`` in
the routing means, for the instances:

* a core operation after a module operation waits for every instance of it;
* a module operation after an operation of the same module waits for the same instance;
* a module operation after an operation of another module waits for all of its instances.

An operation whose ``when`` is false (or a module operation with no instance) is left out, and
its successors then wait for *its* predecessors instead, so leaving out a step never lets the
steps around it run out of order. Predecessors implied by others are dropped (transitive
reduction). The loader refuses cyclic routings, so the result is a DAG; steps come in a
topological order: depth first over the predecessors, in routing order (deterministic).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from decimal import Decimal

from lotone.errors import LotoneError
from lotone.model.family import Value
from lotone.produce.plan import Plan, PlannedOperation
from lotone.produce.work_order import Step

__all__ = ["order_steps", "seconds_of"]

_Key = tuple[str, int | None]  # (operation id, instance)


def _name(key: _Key) -> str:
    return key[0] if key[1] is None else f"{key[0]}[{key[1]}]"


def seconds_of(minutes: Decimal) -> int:
    """Minutes (exact) as whole seconds, rounded up."""
    if minutes < 0:
        raise LotoneError(f"internal: a duration of {minutes} min is negative")
    return math.ceil(minutes * 60)


def order_steps(
    plan: Plan, values: Mapping[str, Value], counts: Mapping[str, int]
) -> tuple[Step, ...]:
    """The steps of one configuration, in a topological order of their precedence."""
    ops = plan.routing
    keys: list[_Key] = []
    present: dict[_Key, bool] = {}
    for p in ops.values():
        slot = p.op.slot
        for inst in (None,) if slot is None else range(1, counts[slot] + 1):
            key = (p.op.id, inst)
            keys.append(key)
            bound = {} if slot is None or inst is None else {slot: inst}
            present[key] = p.when is None or p.when.holds(values, bound)

    def direct(key: _Key) -> list[_Key]:
        op = ops[key[0]].op
        out: list[_Key] = []
        for name in op.after:
            pred = ops[name].op
            if pred.slot is None:
                out.append((name, None))
            elif pred.slot == op.slot:
                out.append((name, key[1]))
            else:
                out.extend((name, j) for j in range(1, counts[pred.slot] + 1))
        return out

    memo: dict[_Key, list[_Key]] = {}

    def effective(key: _Key) -> list[_Key]:
        """The present operations ``key`` waits for (through the absent ones)."""
        found = memo.get(key)
        if found is None:
            found = []
            for pred in direct(key):
                for p in (pred,) if present[pred] else effective(pred):
                    if p not in found:
                        found.append(p)
            memo[key] = found
        return found

    # Depth-first over predecessors, in routing order: a topological order, with each step's
    # ancestors, so that predecessors implied by others can be dropped.
    ancestors: dict[_Key, frozenset[_Key]] = {}
    steps: list[Step] = []

    def visit(key: _Key) -> frozenset[_Key]:
        done = ancestors.get(key)
        if done is not None:
            return done
        ancestors[key] = frozenset()  # the loader refuses cycles; this only stops recursion
        preds = effective(key)
        seen: set[_Key] = set(preds)
        for p in preds:
            seen |= visit(p)
        implied: set[_Key] = set()
        for p in preds:
            implied |= ancestors[p]
        after = [p for p in preds if p not in implied]
        ancestors[key] = frozenset(seen)
        steps.append(_step(ops[key[0]], key, after, values))
        return ancestors[key]

    for key in keys:
        if present[key]:
            visit(key)
    return tuple(steps)


def _step(p: PlannedOperation, key: _Key, after: list[_Key], values: Mapping[str, Value]) -> Step:
    op, inst = p.op, key[1]
    bound = {} if op.slot is None or inst is None else {op.slot: inst}
    setup = 0 if p.setup is None else seconds_of(p.setup.number(values, bound))
    run = seconds_of(p.run.number(values, bound))
    setup_family = None if op.setup_family is None else op.setup_family.render(values, inst)
    return Step(
        _name(key),
        op.work_center,
        setup,
        run,
        setup_family,
        tuple(_name(k) for k in after),
        tuple(t.render(values, inst) for t in op.requires),
        tuple(e.number(values, bound) for e in p.envelope),
        op.label,
    )
