"""A CNF builder with structurally hashed Tseitin gates.

Literals are non-zero integers (DIMACS style). :attr:`Cnf.true` is a literal fixed to true by a
unit clause; its negation is false. Gates fold constants and reuse an existing gate with the same
inputs, so repeated sub-expressions cost nothing. Every gate is a full equivalence, so its output
can be used with either polarity (as an assumption, negated, inside other gates).

Clauses are appended to :attr:`Cnf.clauses`; a solver adapter feeds the ones it has not seen yet
(see :meth:`Cnf.take_new`), which lets the engine add gates lazily to a live incremental solver.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = ["Cnf"]


class Cnf:
    """Variables, clauses and gates of one encoding."""

    def __init__(self) -> None:
        self.num_vars = 0
        self.clauses: list[list[int]] = []
        self._sent = 0
        self._gates: dict[tuple[str, tuple[int, ...]], int] = {}
        self.true = self.new_var()
        self.clauses.append([self.true])

    @property
    def false(self) -> int:
        """The literal that is always false."""
        return -self.true

    def new_var(self) -> int:
        """A fresh variable."""
        self.num_vars += 1
        return self.num_vars

    def add(self, clause: Iterable[int]) -> None:
        """Add a clause, dropping false literals and skipping clauses that are already true."""
        out: list[int] = []
        for lit in clause:
            if lit == self.true:
                return
            if lit == self.false:
                continue
            out.append(lit)
        self.clauses.append(out)

    def truncate(self, num_vars: int, num_clauses: int) -> None:
        """Forget every variable after ``num_vars`` and every clause after ``num_clauses``
        (a size this CNF had earlier), with the gates defined since; a solver must start
        over (the next :meth:`take_new` gives every clause)."""
        if num_vars > self.num_vars or num_clauses > len(self.clauses):
            raise ValueError("truncate() takes a size the CNF had earlier")
        del self.clauses[num_clauses:]
        self.num_vars = num_vars
        self._gates = {k: v for k, v in self._gates.items() if v <= num_vars}
        self._sent = 0

    def take_new(self) -> list[list[int]]:
        """The clauses added since the last call (for an incremental solver)."""
        new = self.clauses[self._sent :]
        self._sent = len(self.clauses)
        return new

    def const(self, value: bool) -> int:
        """The literal for a constant."""
        return self.true if value else self.false

    # --- gates ----------------------------------------------------------------------------

    def and_(self, lits: Iterable[int]) -> int:
        """A literal equivalent to the conjunction of ``lits`` (true when empty)."""
        ins: set[int] = set()
        for lit in lits:
            if lit == self.false or -lit in ins:
                return self.false
            if lit != self.true:
                ins.add(lit)
        if not ins:
            return self.true
        if len(ins) == 1:
            return next(iter(ins))
        key = ("and", tuple(sorted(ins)))
        out = self._gates.get(key)
        if out is None:
            out = self.new_var()
            self._gates[key] = out
            for lit in ins:
                self.add([-out, lit])
            self.add([out, *(-lit for lit in ins)])
        return out

    def or_(self, lits: Iterable[int]) -> int:
        """A literal equivalent to the disjunction of ``lits`` (false when empty)."""
        return -self.and_(-lit for lit in lits)

    def implies(self, a: int, b: int) -> int:
        """A literal equivalent to ``a -> b``."""
        return self.or_([-a, b])

    def xor(self, a: int, b: int) -> int:
        """A literal equivalent to ``a xor b``."""
        if a in (self.true, self.false):
            return -b if a == self.true else b
        if b in (self.true, self.false):
            return -a if b == self.true else a
        if a == b:
            return self.false
        if a == -b:
            return self.true
        neg = (a < 0) != (b < 0)
        x, y = sorted((abs(a), abs(b)))
        key = ("xor", (x, y))
        out = self._gates.get(key)
        if out is None:
            out = self.new_var()
            self._gates[key] = out
            self.add([-out, x, y])
            self.add([-out, -x, -y])
            self.add([out, -x, y])
            self.add([out, x, -y])
        return -out if neg else out

    def iff(self, a: int, b: int) -> int:
        """A literal equivalent to ``a <-> b``."""
        return -self.xor(a, b)

    def ite(self, c: int, a: int, b: int) -> int:
        """A literal equivalent to ``a if c else b``."""
        if c == self.true or a == b:
            return a
        if c == self.false:
            return b
        if a == self.true:
            return self.or_([c, b])
        if a == self.false:
            return self.and_([-c, b])
        if b == self.true:
            return self.or_([-c, a])
        if b == self.false:
            return self.and_([c, a])
        key = ("ite", (c, a, b))
        out = self._gates.get(key)
        if out is None:
            out = self.new_var()
            self._gates[key] = out
            self.add([-c, -a, out])
            self.add([-c, a, -out])
            self.add([c, -b, out])
            self.add([c, b, -out])
            self.add([-a, -b, out])  # redundant, helps propagation
            self.add([a, b, -out])
        return out

    def majority(self, a: int, b: int, c: int) -> int:
        """The carry of a full adder: at least two of three."""
        return self.or_([self.and_([a, b]), self.and_([a, c]), self.and_([b, c])])

    # --- constraints ----------------------------------------------------------------------

    def exactly_one(self, lits: Sequence[int]) -> None:
        """Exactly one of ``lits`` is true (pairwise up to 6 literals, sequential beyond)."""
        self.add(lits)
        self.at_most_one(lits)

    def at_most_one(self, lits: Sequence[int]) -> None:
        """At most one of ``lits`` is true."""
        if len(lits) <= 6:
            for i, a in enumerate(lits):
                for b in lits[i + 1 :]:
                    self.add([-a, -b])
            return
        # Sinz's sequential counter: s_i means "some of lits[0..i] is true".
        prev = lits[0]
        for lit in lits[1:]:
            self.add([-prev, -lit])
            s = self.new_var()
            self.add([-prev, s])
            self.add([-lit, s])
            prev = s
