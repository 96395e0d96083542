"""A schedule (machine and start per operation) and its solver-free check.

:meth:`Schedule.check` verifies a schedule against its problem without any solver: every
operation on an eligible machine, precedences, releases, no overlap on a machine, the
sequence-dependent changeover between consecutive operations (and from the machine's initial
family), calendars (no operation overlaps an unavailable interval) and fixed operations. It
raises :class:`InvalidSchedule` listing every violation; :meth:`Schedule.violations` returns them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from lotone.errors import LotoneError
from lotone.schedule.problem import SchedulingProblem

__all__ = ["InvalidSchedule", "Objective", "Schedule"]

Objective = Literal["makespan", "tardiness"]


class InvalidSchedule(LotoneError):
    """A schedule breaks its problem's constraints; ``violations`` lists them all."""

    def __init__(self, violations: list[str]) -> None:
        self.violations = tuple(violations)
        more = f" (and {len(violations) - 10} more)" if len(violations) > 10 else ""
        super().__init__("invalid schedule: " + "; ".join(violations[:10]) + more)


@dataclass(frozen=True, slots=True)
class Schedule:
    """Per operation (by index): the machine it runs on and its start time."""

    machines: tuple[int, ...]
    starts: tuple[int, ...]

    def __post_init__(self) -> None:
        if len(self.machines) != len(self.starts):
            raise LotoneError("a schedule needs one machine and one start per operation")

    def end(self, problem: SchedulingProblem, op: int) -> int:
        """When operation ``op`` ends."""
        return self.starts[op] + problem.operations[op].duration_on(self.machines[op])

    def ends(self, problem: SchedulingProblem) -> list[int]:
        """Every operation's end."""
        return [self.end(problem, o) for o in range(len(self.starts))]

    def sequences(self, problem: SchedulingProblem) -> list[list[int]]:
        """Per machine, its operations by start (ties by end, then index)."""
        ends = self.ends(problem)
        seq: list[list[int]] = [[] for _ in range(problem.num_machines)]
        for o, m in enumerate(self.machines):
            seq[m].append(o)
        for s in seq:
            s.sort(key=lambda o: (self.starts[o], ends[o], o))
        return seq

    def makespan(self, problem: SchedulingProblem) -> int:
        """The latest end (0 for no operations)."""
        return max(self.ends(problem), default=0)

    def completions(self, problem: SchedulingProblem) -> list[int]:
        """Per job, the end of its last operation (its release when it has none)."""
        ends = self.ends(problem)
        return [max((ends[o] for o in j.operations), default=j.release) for j in problem.jobs]

    def weighted_tardiness(self, problem: SchedulingProblem) -> int:
        """Sum over jobs of weight times lateness past the due date (in scaled units)."""
        total = 0
        for job, c in zip(problem.jobs, self.completions(problem), strict=True):
            if job.due is not None:
                total += job.weight * max(0, c - job.due)
        return total

    def objective(self, problem: SchedulingProblem, objective: Objective) -> int:
        """The value of ``objective`` for this schedule."""
        if objective == "makespan":
            return self.makespan(problem)
        return self.weighted_tardiness(problem)

    def total_setup(self, problem: SchedulingProblem) -> int:
        """The sum of changeovers over every machine's sequence."""
        total = 0
        for m, seq in enumerate(self.sequences(problem)):
            prev = problem.initial_family[m]
            for o in seq:
                fam = problem.operations[o].setup_family
                if problem.operations[o].duration_on(m) > 0:
                    total += problem.setup(m, prev, fam)
                    prev = fam
        return total

    def violations(self, problem: SchedulingProblem) -> list[str]:
        """Every constraint of ``problem`` this schedule breaks (empty: it is valid)."""
        n = problem.num_operations
        if len(self.starts) != n:
            return [f"the schedule has {len(self.starts)} operations, the problem {n}"]
        out: list[str] = []
        ops = problem.operations

        def name(o: int) -> str:
            return ops[o].name or f"op {o}"

        pinned = {f.operation for f in problem.fixed}
        ends: list[int] = []
        for o, op in enumerate(ops):
            m, s = self.machines[o], self.starts[o]
            dur = next((d for mm, d in op.modes if mm == m), None)
            if dur is None:
                out.append(f"{name(o)} runs on machine {m}, which is not eligible")
                dur = 0
            if s < problem.jobs[op.job].release:
                out.append(f"{name(o)} starts at {s}, before its job's release")
            if s < problem.earliest and o not in pinned:
                out.append(f"{name(o)} starts at {s}, before the reschedule time")
            ends.append(s + dur)
        if any("not eligible" in v for v in out):
            return out  # durations on other machines are undefined: nothing more to check
        for a, b in problem.precedences:
            if self.starts[b] < ends[a]:
                out.append(f"{name(b)} starts at {self.starts[b]}, before {name(a)} ends {ends[a]}")
        for f in problem.fixed:
            if (self.machines[f.operation], self.starts[f.operation]) != (f.machine, f.start):
                out.append(f"fixed {name(f.operation)} moved from machine {f.machine} at {f.start}")
        for m, seq in enumerate(self.sequences(problem)):
            mname = problem.machine_names[m]
            prev_fam = problem.initial_family[m]
            prev_end, prev = 0, -1
            for o in seq:
                if ends[o] == self.starts[o]:
                    continue  # an instant occupies no machine time and needs no changeover
                fam = ops[o].setup_family
                need = problem.setup(m, prev_fam, fam)
                if prev >= 0 and self.starts[o] < prev_end:
                    out.append(f"{name(prev)} and {name(o)} overlap on machine {mname}")
                elif self.starts[o] < prev_end + need:
                    after = f"after {name(prev)}" if prev >= 0 else "at the start"
                    out.append(
                        f"{name(o)} on machine {mname} starts {self.starts[o]}: the changeover"
                        f" of {need} {after} (ending {prev_end}) does not fit"
                    )
                prev_end, prev, prev_fam = ends[o], o, fam
                for a, b in problem.unavailable[m]:
                    if self.starts[o] < b and a < ends[o]:
                        out.append(
                            f"{name(o)} [{self.starts[o]}, {ends[o]}) overlaps the unavailable"
                            f" time [{a}, {b}) of machine {mname}"
                        )
                        break
        return out

    def check(self, problem: SchedulingProblem) -> None:
        """Raise :class:`InvalidSchedule` when the schedule breaks any constraint."""
        found = self.violations(problem)
        if found:
            raise InvalidSchedule(found)
