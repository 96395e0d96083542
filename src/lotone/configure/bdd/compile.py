"""From a finite model to one BDD: choose an order, build and conjoin, sift within a budget."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from lotone.configure.bdd._cudd import Cudd, Node
from lotone.configure.bdd.build import (
    Budget,
    CompileBudgetExceeded,
    Schedule,
    build_pieces,
    conjoin,
)
from lotone.configure.bdd.encoding import LogEncoding
from lotone.configure.bdd.order import ORDERS, cuthill_mckee_order, force_order
from lotone.model.finite import FiniteModel

__all__ = ["Compiled", "compile_model", "default_orders"]

log = logging.getLogger(__name__)

# CUDD's own memory ceiling, from the node budget: it stops a single operation that explodes
# (the node budget itself is only checked between operations)
_BYTES_PER_NODE = 96
_MIN_MEMORY = 2**28


@dataclass(frozen=True, slots=True)
class Compiled:
    """A compiled model: its manager, root, final variable order and how it was found."""

    mgr: Cudd
    root: Node
    order: tuple[int, ...]
    order_name: str


def default_orders(model: FiniteModel) -> dict[str, list[int]]:
    """The candidate static orders tried when none is given, most promising first."""
    cm = cuthill_mckee_order(model)
    return {"force_cuthill_mckee": force_order(model, cm), "cuthill_mckee": cm}


def _bit_order(enc: LogEncoding, order: Sequence[int]) -> list[int]:
    return [b for v in order for b in enc.bits(v)]


def _var_order(mgr: Cudd, enc: LogEncoding) -> tuple[int, ...]:
    owner = {b: v for v in range(len(enc.sizes)) for b in enc.bits(v)}
    seen: dict[int, None] = {}
    for b in mgr.order():
        seen.setdefault(owner[b], None)
    rest = [v for v in range(len(enc.sizes)) if v not in seen]  # variables without bits
    return (*seen, *rest)


def _attempt(
    model: FiniteModel,
    enc: LogEncoding,
    order: Sequence[int],
    *,
    deadline: float,
    total_s: float,
    max_nodes: int,
    schedule: Schedule,
    reorder: bool,
    progress: Callable[[int, int], None] | None,
) -> tuple[Cudd, Node]:
    mgr = Cudd(enc.nbits, memory_bytes=max(_MIN_MEMORY, _BYTES_PER_NODE * max_nodes))
    mgr.set_order(_bit_order(enc, order))
    for v in range(len(enc.sizes)):
        mgr.group(enc.first[v], enc.width[v])
    budget = Budget(model.id, deadline=deadline, total_s=total_s, max_nodes=max_nodes, mgr=mgr)
    # CUDD's own clock stops a single operation (or a reordering) that runs past the deadline;
    # the budget's checks between operations cannot
    mgr.time_limit(deadline - time.perf_counter())
    pieces = build_pieces(mgr, enc, model, budget)
    log.debug("built %d pieces in %.2f s", len(pieces), budget.elapsed)
    budget.check()
    if reorder:
        mgr.auto_reorder(True)
    root = conjoin(mgr, pieces, schedule, budget, progress)
    mgr.auto_reorder(False)
    log.debug("conjoined to %d nodes at %.2f s", mgr.size(root), budget.elapsed)
    del pieces
    return mgr, root


def _sift(mgr: Cudd, root: Node, deadline: float) -> None:
    """Group sifting rounds while they pay and the last one's time still fits."""
    size = mgr.size(root)
    while True:
        t = time.perf_counter()
        if t >= deadline:
            return
        mgr.sift()
        took = time.perf_counter() - t
        new = mgr.size(root)
        log.debug("sifting: %d -> %d nodes in %.2f s", size, new, took)
        if new > 0.95 * size or time.perf_counter() + took > deadline:
            return
        size = new


def compile_model(
    model: FiniteModel,
    enc: LogEncoding,
    *,
    order: Sequence[int] | str | None,
    budget_s: float,
    max_nodes: int,
    schedule: Schedule,
    sift: bool,
    progress: Callable[[int, int], None] | None,
) -> Compiled:
    """Compile ``model`` (see :class:`~lotone.configure.bdd.space.BddSpace` for the options)."""
    start = time.perf_counter()
    if order is None:
        candidates = default_orders(model)
        log.debug("orders found in %.2f s", time.perf_counter() - start)
    elif isinstance(order, str):
        if order not in ORDERS:
            raise ValueError(f"unknown order {order!r}; expected one of {', '.join(ORDERS)}")
        candidates = {order: ORDERS[order](model)}
    else:
        if sorted(order) != list(range(len(model.variables))):
            raise ValueError("order must list every variable index exactly once")
        candidates = {"given": list(order)}
    # the candidates are tried in turn until one fits the budget; the first usually does, and
    # the time left goes to sifting, which gains more than a second static order would
    reason = f"more than {budget_s:g} s"
    found: tuple[Cudd, Node, str] | None = None
    for name, candidate in candidates.items():
        if time.perf_counter() >= start + budget_s:
            break
        try:
            mgr, root = _attempt(
                model,
                enc,
                candidate,
                deadline=start + budget_s,
                total_s=budget_s,
                max_nodes=max_nodes,
                schedule=schedule,
                reorder=sift,
                progress=progress,
            )
        except CompileBudgetExceeded as e:
            reason = e.reason  # keep no reference to the exception: its frames hold nodes
            log.info("order %s: %s", name, reason)
            continue
        log.info("order %s: %d nodes", name, mgr.size(root))
        found = (mgr, root, name)
        break
    if found is None:
        raise CompileBudgetExceeded(model.id, reason)
    mgr, root, name = found
    if sift:
        _sift(mgr, root, start + budget_s)  # CUDD's time limit cuts a round that runs over
    mgr.time_limit(None)
    return Compiled(mgr, root, _var_order(mgr, enc), name)
