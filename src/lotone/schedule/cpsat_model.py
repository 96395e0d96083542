"""The CP-SAT model of a :class:`SchedulingProblem`, and the textbook one as a baseline.

Both models state the same constraints: an interval per operation, an optional interval per
eligible machine when there are several (exactly one present), end-to-start precedences,
releases, a no-overlap per machine that also holds its unavailable intervals, and, on machines
with sequence-dependent changeovers, a circuit over the operations that may run there (an arc
``i -> j`` forces ``start_j >= end_i + setup``; arcs from and to the depot give the first
setup from the machine's initial family). Fixed operations are pinned.

The *textbook* model stops there: horizon = the sum of all durations, no hint, defaults.
The *tuned* model (``tuned=True``) also gets

- tight domains: every start at or after its longest chain of predecessors (heads); with a
  makespan objective every end at or before ``upper_bound`` minus its longest chain of
  successors (tails);
- a complete, feasible hint (starts, machines, circuit arcs, objective terms) from a schedule,
  usually the best dispatching rule's, and the objective bounded by that schedule's value;
- a redundant machine-load bound on the makespan for jobs shops with one machine per operation.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from lotone.schedule.problem import SchedulingProblem
from lotone.schedule.schedule import Objective, Schedule

__all__ = ["Built", "add_hint", "build_model"]


@dataclass(slots=True)
class Built:
    """A built CP-SAT model and the handles needed to read a schedule back."""

    model: cp_model.CpModel
    starts: list[cp_model.IntVar]
    ends: list[cp_model.IntVar]
    presence: list[list[tuple[int, cp_model.IntVar | None]]]
    objective: cp_model.IntVar
    makespan: cp_model.IntVar
    arcs: dict[int, list[tuple[int, int, cp_model.IntVar]]] = field(default_factory=dict)
    arc_ops: dict[int, list[int]] = field(default_factory=dict)
    tardy: list[tuple[int, cp_model.IntVar, int]] = field(default_factory=list)

    def copy(self) -> Built:
        """A clone of the model with handles into the clone (to add constraints to)."""
        model = self.model.clone()

        def var(v: cp_model.IntVar) -> cp_model.IntVar:
            return model.get_int_var_from_proto_index(v.index)

        return Built(
            model,
            [var(v) for v in self.starts],
            [var(v) for v in self.ends],
            [
                [(m, None if lit is None else var(lit)) for m, lit in modes]
                for modes in self.presence
            ],
            var(self.objective),
            var(self.makespan),
            {m: [(a, b, var(lit)) for a, b, lit in arcs] for m, arcs in self.arcs.items()},
            self.arc_ops,
            [(j, var(t), due) for j, t, due in self.tardy],
        )

    def read(self, solver: cp_model.CpSolver) -> Schedule:
        """The schedule of the solver's best solution."""
        machines: list[int] = []
        for modes in self.presence:
            chosen = modes[0][0]
            for m, lit in modes:
                if lit is None or solver.boolean_value(lit):
                    chosen = m
                    break
            machines.append(chosen)
        return Schedule(tuple(machines), tuple(int(solver.value(s)) for s in self.starts))


def _heads(problem: SchedulingProblem) -> list[int]:
    head = [0] * problem.num_operations
    for o in problem.topological_order():
        head[o] = max(head[o], problem.jobs[problem.operations[o].job].release)
        for s in problem.successors(o):
            head[s] = max(head[s], head[o] + problem.operations[o].min_duration)
    return head


def _tails(problem: SchedulingProblem) -> list[int]:
    """Per operation: the longest chain of successors' min durations after it ends."""
    tail = [0] * problem.num_operations
    for o in reversed(problem.topological_order()):
        for s in problem.successors(o):
            tail[o] = max(tail[o], tail[s] + problem.operations[s].min_duration)
    return tail


def build_model(
    problem: SchedulingProblem,
    objective: Objective = "makespan",
    *,
    tuned: bool = True,
    hint: Schedule | None = None,
    upper_bound: int | None = None,
    previous: Schedule | None = None,
    max_circuit: int = 120,
) -> Built:
    """Build the CP-SAT model (see the module docstring).

    ``upper_bound`` bounds the objective (tuned model only, defaults to the hint's value);
    ``hint`` must be a valid schedule of ``problem`` for the hint to be complete. With
    ``previous`` (rescheduling), the solver minimizes ``objective * (n + 1) + changes``, where
    ``changes`` counts the operations not fixed that leave their previous machine.

    A circuit grows with the square of its operations: on a machine with changeovers and more
    than ``max_circuit`` candidate operations, when a hint is given, the hint's machine
    assignment and order are kept for the operations that may run there (their times stay
    free), and only the rest is optimized.
    """
    p = problem
    model = cp_model.CpModel()
    horizon = p.horizon()
    heads = _heads(p) if tuned else [p.jobs[op.job].release for op in p.operations]
    fixed_ops = {f.operation for f in p.fixed}
    heads = [h if o in fixed_ops else max(h, p.earliest) for o, h in enumerate(heads)]
    tails = _tails(p) if tuned else [0] * p.num_operations
    if tuned and hint is not None and upper_bound is None:
        upper_bound = hint.objective(p, objective)
    end_cap = horizon
    if tuned and objective == "makespan" and upper_bound is not None:
        end_cap = min(horizon, upper_bound)
    fixed = {f.operation: f for f in p.fixed}

    starts: list[cp_model.IntVar] = []
    ends: list[cp_model.IntVar] = []
    presence: list[list[tuple[int, cp_model.IntVar | None]]] = []
    per_machine: list[list[tuple[int, cp_model.IntervalVar, cp_model.IntVar | None]]] = [
        [] for _ in range(p.num_machines)
    ]
    for o, op in enumerate(p.operations):
        lo = heads[o]
        dmin = op.min_duration
        dmax = max(d for _, d in op.modes)
        hi_end = max(lo + dmin, end_cap - tails[o])
        start = model.new_int_var(lo, max(lo, hi_end - dmin), f"s{o}")
        end = model.new_int_var(lo + dmin, hi_end, f"e{o}")
        if o in fixed:
            f = fixed[o]
            model.add(start == f.start)
        if len(op.modes) == 1:
            m, d = op.modes[0]
            itv = model.new_interval_var(start, d, end, f"i{o}")
            per_machine[m].append((o, itv, None))
            presence.append([(m, None)])
        else:
            size = model.new_int_var(dmin, dmax, f"d{o}")
            model.new_interval_var(start, size, end, f"i{o}")
            lits: list[tuple[int, cp_model.IntVar | None]] = []
            for m, d in op.modes:
                lit = model.new_bool_var(f"x{o}_{m}")
                itv = model.new_optional_interval_var(start, d, end, lit, f"i{o}_{m}")
                per_machine[m].append((o, itv, lit))
                model.add(size == d).only_enforce_if(lit)
                lits.append((m, lit))
                if o in fixed:
                    model.add(lit == int(m == fixed[o].machine))
            model.add_exactly_one(lit for _, lit in lits if lit is not None)
            presence.append(lits)
        starts.append(start)
        ends.append(end)
    for a, b in p.precedences:
        model.add(starts[b] >= ends[a])

    arcs: dict[int, list[tuple[int, int, cp_model.IntVar]]] = {}
    arc_ops: dict[int, list[int]] = {}
    frozen = _sequenced_machines(p, per_machine, hint, max_circuit) if p.has_setups else set()
    if frozen and hint is not None:
        _follow(model, p, hint, frozen, starts, presence)
    for m, items in enumerate(per_machine):
        gaps = [
            model.new_fixed_size_interval_var(a, b - a, f"down{m}_{a}") for a, b in p.unavailable[m]
        ]
        # an instant occupies no machine time (as in Schedule.check); CP-SAT would keep a
        # zero-size interval out of the inside of another one
        busy = [itv for o, itv, _ in items if p.operations[o].duration_on(m) > 0]
        model.add_no_overlap(busy + gaps)
        if p.machine_setup[m] < 0 or not p.has_setups or m in frozen:
            continue
        nodes = [(o, lit) for o, _, lit in items if p.operations[o].duration_on(m) > 0]
        if not nodes:
            continue
        arc_list: list[tuple[int, int, cp_model.IntVar]] = []
        init = p.initial_family[m]
        for i, (o, plit) in enumerate(nodes, start=1):
            fam = p.operations[o].setup_family
            first = model.new_bool_var(f"first{m}_{o}")
            arc_list.append((0, i, first))
            s0 = p.setup(m, init, fam)
            if s0 > 0:
                model.add(starts[o] >= s0).only_enforce_if(first)
            arc_list.append((i, 0, model.new_bool_var(f"last{m}_{o}")))
            if plit is not None:
                arc_list.append((i, i, ~plit))  # type: ignore[arg-type]
            d_o = p.operations[o].duration_on(m)
            for j, (o2, _) in enumerate(nodes, start=1):
                if i == j:
                    continue
                arc = model.new_bool_var(f"a{m}_{o}_{o2}")
                gap = p.setup(m, fam, p.operations[o2].setup_family)
                model.add(starts[o2] >= starts[o] + d_o + gap).only_enforce_if(arc)
                arc_list.append((i, j, arc))
        arc_list.append((0, 0, model.new_bool_var(f"empty{m}")))
        model.add_circuit(arc_list)
        arcs[m] = arc_list
        arc_ops[m] = [o for o, _ in nodes]

    makespan = model.new_int_var(0, horizon, "makespan")
    sinks = [ends[o] for o in range(p.num_operations) if not p.successors(o)]
    model.add_max_equality(makespan, sinks or [model.new_constant(0)])
    if tuned and all(len(op.modes) == 1 for op in p.operations):
        for m in range(p.num_machines):
            load = sum(p.operations[o].duration_on(m) for o, _, _ in per_machine[m])
            if load:
                model.add(makespan >= load)
    tardy_terms: list[tuple[int, cp_model.IntVar, int]] = []
    if objective == "makespan":
        obj = makespan
    else:
        total_w = sum(j.weight for j in p.jobs if j.due is not None)
        obj = model.new_int_var(0, max(1, total_w) * horizon, "tardiness")
        expr = []
        for j, job in enumerate(p.jobs):
            if job.due is None or job.weight == 0 or not job.operations:
                continue
            last = [
                ends[o]
                for o in job.operations
                if not any(p.operations[s].job == j for s in p.successors(o))
            ]
            t = model.new_int_var(0, horizon, f"T{j}")
            for e in last:
                model.add(t >= e - job.due)
            expr.append(job.weight * t)
            tardy_terms.append((j, t, job.due))
        model.add(obj == sum(expr))
    if tuned and upper_bound is not None:
        model.add(obj <= upper_bound)
    moved: list[cp_model.IntVar] = []
    if previous is not None:
        for o, modes in enumerate(presence):
            if o in fixed:
                continue
            for m, mlit in modes:
                if mlit is not None and m == previous.machines[o]:
                    moved.append(mlit)
    if moved:
        model.minimize((p.num_operations + 1) * obj + len(moved) - sum(moved))
    else:
        model.minimize(obj)
    built = Built(model, starts, ends, presence, obj, makespan, arcs, arc_ops, tardy_terms)
    if hint is not None:
        add_hint(built, p, hint, objective)
    return built


def _sequenced_machines(
    p: SchedulingProblem,
    per_machine: list[list[tuple[int, cp_model.IntervalVar, cp_model.IntVar | None]]],
    hint: Schedule | None,
    max_circuit: int,
) -> set[int]:
    """Machines whose circuit would be too large, closed over shared operations."""
    if hint is None:
        return set()
    big = {
        m
        for m, items in enumerate(per_machine)
        if p.machine_setup[m] >= 0 and len(items) > max_circuit
    }
    grew = True
    while grew:  # an operation that may run on a big machine pins every machine it may use
        grew = False
        for op in p.operations:
            ms = {m for m, _ in op.modes}
            if ms & big and not ms <= big:
                big |= ms
                grew = True
    return big


def _follow(
    model: cp_model.CpModel,
    p: SchedulingProblem,
    hint: Schedule,
    machines: set[int],
    starts: list[cp_model.IntVar],
    presence: list[list[tuple[int, cp_model.IntVar | None]]],
) -> None:
    """Keep the hint's assignment and order (with its changeovers) on ``machines``."""
    for o, modes in enumerate(presence):
        if hint.machines[o] in machines:
            for m, lit in modes:
                if lit is not None:
                    model.add(lit == int(m == hint.machines[o]))
    sequences = hint.sequences(p)
    for m in machines:
        seq = [o for o in sequences[m] if p.operations[o].duration_on(m) > 0]
        fam = p.initial_family[m]
        prev = -1
        for o in seq:
            f = p.operations[o].setup_family
            gap = p.setup(m, fam, f)
            if prev < 0:
                model.add(starts[o] >= gap)
            else:
                d = p.operations[prev].duration_on(m)
                model.add(starts[o] >= starts[prev] + d + gap)
            prev, fam = o, f


def add_hint(built: Built, p: SchedulingProblem, hint: Schedule, objective: Objective) -> None:
    """Hint every variable of ``built`` from the valid schedule ``hint``."""
    model = built.model
    ends = hint.ends(p)
    for o in range(p.num_operations):
        model.add_hint(built.starts[o], hint.starts[o])
        model.add_hint(built.ends[o], ends[o])
        for m, lit in built.presence[o]:
            if lit is not None:
                model.add_hint(lit, hint.machines[o] == m)
    for m, arc_list in built.arcs.items():
        ops = built.arc_ops[m]
        node = {o: i for i, o in enumerate(ops, start=1)}
        seq = [o for o in hint.sequences(p)[m] if o in node]
        used: set[tuple[int, int]] = set()
        if seq:
            used.add((0, node[seq[0]]))
            used.add((node[seq[-1]], 0))
            used.update((node[a], node[b]) for a, b in itertools.pairwise(seq))
        else:
            used.add((0, 0))
        on = {node[o] for o in seq}
        for i in node.values():
            if i not in on:
                used.add((i, i))
        for a, b, lit in arc_list:
            if a == b and a != 0:
                continue  # a self loop is the negation of a presence literal, hinted already
            model.add_hint(lit, (a, b) in used)
    completions = hint.completions(p)
    for j, t, due in built.tardy:
        model.add_hint(t, max(0, completions[j] - due))
    model.add_hint(built.makespan, hint.makespan(p))
    if objective != "makespan":
        model.add_hint(built.objective, hint.weighted_tardiness(p))
