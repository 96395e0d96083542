"""Weighted completion of finite models: the best valid configuration under per-value scores.

A recommender scores every value of every variable (say, the log-probability that this customer
wants it); the best configuration is the valid one with the largest sum of its values' scores.
Valid configurations are the paths of the model's compiled BDD, so the best one is a longest
path, found by dynamic programming in time linear in the diagram, with no search.

The BDD (log encoding, ``configure/bdd``) is flattened once into a layered multi-valued diagram:
a layer per variable in the diagram's order (group sifting keeps a variable's bits adjacent),
a node per distinct sub-diagram at the top of a layer, an edge per value that does not lead to
false. An edge may skip layers; the variables it skips are unconstrained there, so each takes
its own best value. Per query two numpy passes over the layers give

* the best completion (bottom-up best suffix, then a top-down argmax walk), and
* the max-marginals: for every variable and value, the best total score of a valid configuration
  with that value (forward best prefix + value score + best suffix): exact alternatives with
  the price of taking each, as a recommender shows them.

Choices are scores too: a chosen variable's other values get ``-inf``.

Measured on Renault medium and big in ``docs/benchmarks.md`` (``bench_personalize.py``).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from lotone.configure.bdd._cudd import Cudd, Node
from lotone.configure.bdd.compile import compile_model
from lotone.configure.bdd.encoding import LogEncoding
from lotone.errors import Infeasible
from lotone.model.finite import FiniteModel

__all__ = ["Best", "WeightedSpace"]

log = logging.getLogger(__name__)

Scores = Sequence[npt.NDArray[np.float64]]
_NEG = -np.inf


@dataclass(frozen=True, slots=True)
class Best:
    """The best valid configuration under some scores.

    ``assignment`` holds a value index per variable; ``score`` is its total; ``marginals[v][k]``
    is the best total of a valid configuration with ``v = k`` (``-inf`` when none exists), so
    ``marginals[v].max() == score`` for every ``v``.
    """

    assignment: tuple[int, ...]
    score: float
    marginals: tuple[npt.NDArray[np.float64], ...]


@dataclass(frozen=True, slots=True)
class _Layer:
    """The edges leaving the nodes of one layer (one variable), sorted by source node."""

    var: int
    nodes: npt.NDArray[np.int64]  # node ids of this layer, ascending
    starts: npt.NDArray[np.int64]  # per node of ``nodes``: index of its first edge
    src: npt.NDArray[np.int64]  # per edge: source node id
    value: npt.NDArray[np.int64]  # per edge: the variable's value index
    dst: npt.NDArray[np.int64]  # per edge: target node id (the node count for ``true``)
    skip_to: npt.NDArray[np.int64]  # per edge: the target's layer (layers between are free)


class WeightedSpace:
    """A finite model compiled for max-weight completion (build once, query many times).

    Parameters
    ----------
    model
        The finite model; every variable is scored, hidden ones included.
    budget_s
        Seconds allowed for compiling the BDD (``CompileBudgetExceeded`` beyond).
    """

    def __init__(self, model: FiniteModel, *, budget_s: float = 60.0) -> None:
        start = time.perf_counter()
        self.model = model
        enc = LogEncoding.of(model)
        compiled = compile_model(
            model, enc, order=None, budget_s=budget_s, max_nodes=20_000_000,
            schedule="tree", sift=True, progress=None,
        )  # fmt: skip
        self._sizes = enc.sizes
        self.order: tuple[int, ...] = tuple(v for v in compiled.order if enc.width[v])
        """Variables with bits, top layer first (the others have a single value)."""
        self._bitless = tuple(v for v in range(len(enc.sizes)) if not enc.width[v])
        self._layers, self._root, self._root_layer, self.nodes = _flatten(
            compiled.mgr, compiled.root, enc, self.order
        )
        self.compile_seconds = time.perf_counter() - start
        log.info("%s: weighted diagram of %d nodes, %d edges in %.2f s", model.id, self.nodes,
                 self.edges, self.compile_seconds)  # fmt: skip

    @property
    def edges(self) -> int:
        """Edges of the layered diagram (the work of one query)."""
        return sum(len(layer.src) for layer in self._layers)

    def best(
        self,
        scores: Scores,
        choices: Mapping[int, int] | None = None,
        *,
        marginals: bool = False,
    ) -> Best:
        """The valid configuration with the largest total score that keeps ``choices``.

        ``scores[v]`` has one score per value of variable ``v`` (``-inf``: never). Ties go to
        the lower value index. With ``marginals`` the answer also carries, for every value, the
        best total with that value (otherwise ``Best.marginals`` is empty). Raises
        :class:`Infeasible` when no valid configuration keeps the choices with a finite score.
        """
        w = self._checked(scores, choices or {})
        layers = self._layers
        n_layers = len(layers)
        top = np.array([s.max() for s in w], dtype=np.float64)
        free = np.zeros(n_layers + 1)  # free[g]: the layers g.. each at its best value
        for g in range(n_layers - 1, -1, -1):
            free[g] = free[g + 1] + top[layers[g].var]
        suffix = np.full(self.nodes + 1, _NEG)  # best score from a node's layer down
        suffix[self.nodes] = 0.0  # the terminal (true)
        gains: list[npt.NDArray[np.float64]] = [np.empty(0)] * n_layers
        for g in range(n_layers - 1, -1, -1):
            layer = layers[g]
            gain = w[layer.var][layer.value] + (free[g + 1] - free[layer.skip_to])
            gain += suffix[layer.dst]
            gains[g] = gain
            if len(gain):
                suffix[layer.nodes] = np.maximum.reduceat(gain, layer.starts)
        total = float(free[0] - free[self._root_layer] + suffix[self._root])
        total += float(sum(top[v] for v in self._bitless))
        if not np.isfinite(total):
            raise Infeasible("no valid configuration keeps these choices")
        assignment = self._walk(w, gains)
        found: tuple[npt.NDArray[np.float64], ...] = ()
        if marginals:
            found = self._marginals(w, gains, top, free, total)
        return Best(tuple(assignment), total, found)

    def _checked(self, scores: Scores, choices: Mapping[int, int]) -> list[npt.NDArray[np.float64]]:
        if len(scores) != len(self._sizes):
            raise ValueError(f"expected scores for {len(self._sizes)} variables, got {len(scores)}")
        w = [np.asarray(s, dtype=np.float64) for s in scores]
        for v, s in enumerate(w):
            if s.shape != (self._sizes[v],):
                raise ValueError(f"scores of variable {v} need {self._sizes[v]} entries")
        for v, k in choices.items():
            if not 0 <= k < self._sizes[v]:
                raise ValueError(f"choice {k} of variable {v} is not a value index")
            held = np.full(self._sizes[v], _NEG)
            held[k] = w[v][k]
            w[v] = held
        return w

    def _walk(
        self, w: Sequence[npt.NDArray[np.float64]], gains: Sequence[npt.NDArray[np.float64]]
    ) -> list[int]:
        """The argmax path, top down; skipped and bit-less variables take their best value."""
        out = [int(np.argmax(s)) for s in w]
        node, g = self._root, self._root_layer
        layers = self._layers
        while g < len(layers):
            layer = layers[g]
            i = int(np.searchsorted(layer.nodes, node))
            lo = int(layer.starts[i])
            hi = int(layer.starts[i + 1]) if i + 1 < len(layer.starts) else len(layer.src)
            pick = lo + int(np.argmax(gains[g][lo:hi]))
            out[layer.var] = int(layer.value[pick])
            node, g = int(layer.dst[pick]), int(layer.skip_to[pick])
        return out

    def _marginals(
        self,
        w: Sequence[npt.NDArray[np.float64]],
        gains: Sequence[npt.NDArray[np.float64]],
        top: npt.NDArray[np.float64],
        free: npt.NDArray[np.float64],
        total: float,
    ) -> tuple[npt.NDArray[np.float64], ...]:
        """Per variable and value, the best total of a valid configuration with that value."""
        layers = self._layers
        n_layers = len(layers)
        prefix = np.full(self.nodes + 1, _NEG)  # best score of the layers above a node
        prefix[self._root] = free[0] - free[self._root_layer]
        prefix[self._root] += sum(top[v] for v in self._bitless)
        out = [np.full(s, _NEG) for s in self._sizes]
        skipped = np.full(n_layers + 1, _NEG)  # best total of a path leaving layer g free
        skipped[: self._root_layer] = total
        for g, layer in enumerate(layers):
            through = prefix[layer.src] + gains[g]
            np.maximum.at(out[layer.var], layer.value, through)
            arrive = prefix[layer.src] + w[layer.var][layer.value]
            arrive += free[g + 1] - free[layer.skip_to]
            np.maximum.at(prefix, layer.dst, arrive)
            jumps = np.flatnonzero(layer.skip_to > g + 1)
            for e in jumps:
                span = slice(g + 1, int(layer.skip_to[e]))
                np.maximum(skipped[span], through[e], out=skipped[span])
        for g, layer in enumerate(layers):
            if np.isfinite(skipped[g]):
                v = layer.var
                np.maximum(out[v], skipped[g] - top[v] + w[v], out=out[v])
        for v in self._bitless:
            out[v] = total - top[v] + w[v]
        return tuple(out)


def _flatten(
    mgr: Cudd, root: Node, enc: LogEncoding, order: Sequence[int]
) -> tuple[list[_Layer], int, int, int]:
    """The layered diagram of ``root``: layers, root node id, root layer, node count.

    A node is a BDD function (regular node and complement parity) met at the top of a layer;
    ids are dense and the terminal ``true`` gets the id equal to the node count.
    """
    layer_of_bit: dict[int, int] = {}
    position: dict[int, int] = {}  # bit -> its place in its variable's code (0 = most significant)
    for g, v in enumerate(order):
        for j, b in enumerate(enc.bits(v)):
            layer_of_bit[b] = g
            position[b] = j
    seen = [layer_of_bit[b] for b in mgr.order()]
    if seen != sorted(seen):
        raise ValueError("a variable's bits are not adjacent in the diagram's order")
    n_layers = len(order)
    ids: dict[tuple[int, bool], int] = {}
    states: list[tuple[Node, bool]] = []  # node id -> (edge, pending complement)
    where: list[int] = []  # node id -> layer
    terminal = -1

    def intern(e: Node, p: bool) -> int | None:
        """The node id of the function ``e xor p`` (None when false, -1 when true)."""
        if mgr.is_constant(e):
            return terminal if mgr.is_true(e) != p else None
        key = (mgr.key(e), p != mgr.negated(e))
        found = ids.get(key)
        if found is None:
            found = len(states)
            ids[key] = found
            states.append((e, p))
            where.append(layer_of_bit[mgr.split(e)[0]])
        return found

    root_id = intern(root, False)
    if root_id is None:
        raise Infeasible("the model has no valid configuration")
    edges: list[list[tuple[int, int, int]]] = [[] for _ in range(n_layers)]
    i = 0
    while i < len(states):
        e0, p0 = states[i]
        g = where[i]
        var = order[g]
        width = enc.width[var]
        for k in range(enc.sizes[var]):
            e, p = e0, p0
            while not mgr.is_constant(e):
                index, low, high = mgr.split(e)
                if layer_of_bit[index] != g:
                    break  # below this variable's bits
                p = p != mgr.negated(e)
                e = high if k >> (width - 1 - position[index]) & 1 else low
            dst = intern(e, p)
            if dst is not None:
                edges[g].append((i, k, dst))
        i += 1
    n = len(states)
    if root_id == terminal:  # every configuration is valid
        root_id = n
    layers: list[_Layer] = []
    for g, found in enumerate(edges):
        found.sort()
        src = np.array([s for s, _, _ in found], dtype=np.int64)
        targets = np.array([n if d == terminal else d for _, _, d in found], dtype=np.int64)
        nodes, starts = np.unique(src, return_index=True)
        layers.append(
            _Layer(
                var=order[g],
                nodes=nodes.astype(np.int64),
                starts=starts.astype(np.int64),
                src=src,
                value=np.array([k for _, k, _ in found], dtype=np.int64),
                dst=targets,
                skip_to=np.array(
                    [where[d] if d < n else n_layers for d in targets.tolist()], dtype=np.int64
                ),
            )
        )
    root_layer = where[root_id] if root_id < n else n_layers
    return layers, root_id, root_layer, n
