"""Compiled BDD backend for finite-domain models (``dd.cudd``).

A :class:`BddSpace` compiles a :class:`~lotone.model.finite.FiniteModel` once and then answers
consistency, valid domains and exact counts in milliseconds. Compilation that goes over its
budget raises :class:`CompileBudgetExceeded`, so an engine can fall back to SAT.
"""

from lotone.configure.bdd.build import CompileBudgetExceeded as CompileBudgetExceeded
from lotone.configure.bdd.order import ORDERS as ORDERS
from lotone.configure.bdd.space import BddSpace as BddSpace

__all__ = ["ORDERS", "BddSpace", "CompileBudgetExceeded"]
