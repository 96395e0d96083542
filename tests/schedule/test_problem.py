"""The problem refuses malformed data; Schedule.check finds every kind of violation."""

from __future__ import annotations

from dataclasses import replace

import pytest

from lotone.schedule import (
    Fixed,
    InvalidSchedule,
    Job,
    Operation,
    ProblemError,
    Schedule,
    SchedulingProblem,
)


def test_a_cycle_in_the_precedences_is_refused_and_named() -> None:
    """A precedence cycle names the operations on it."""
    ops = (Operation(0, ((0, 1),), name="x"), Operation(0, ((0, 1),), name="y"))
    with pytest.raises(ProblemError, match="cycle through x, y"):
        SchedulingProblem(1, (Job((0, 1)),), ops, ((0, 1), (1, 0)))


@pytest.mark.parametrize(
    ("ops", "message"),
    [
        ((Operation(0, ()),), "no eligible machine"),
        ((Operation(0, ((3, 1),)),), "machine 3 does not exist"),
        ((Operation(0, ((0, -1),)),), "negative duration"),
        ((Operation(0, ((0, 1), (0, 2))),), "lists a machine twice"),
    ],
)
def test_bad_operations_are_refused(ops: tuple[Operation, ...], message: str) -> None:
    """Operations without machines, with unknown machines or negative times are refused."""
    with pytest.raises(ProblemError, match=message):
        SchedulingProblem(1, (Job((0,)),), ops)


def test_an_operation_owned_by_two_jobs_is_refused() -> None:
    """Each operation belongs to exactly the job it names."""
    with pytest.raises(ProblemError, match="belongs to jobs"):
        SchedulingProblem(1, (Job((0,)), Job((0,))), (Operation(0, ((0, 1),)),))


def test_setup_matrices_and_calendars_are_checked(tiny: SchedulingProblem) -> None:
    """A non-square matrix, a family outside it, or overlapping downtime is refused."""
    with pytest.raises(ProblemError, match="not square"):
        replace(tiny, setup_matrices=(((0, 5),),))
    with pytest.raises(ProblemError, match="sorted and disjoint"):
        replace(tiny, unavailable=((), ((4, 6), (5, 7))))
    with pytest.raises(ProblemError, match="outside the 1x1"):
        replace(tiny, setup_matrices=(((0,),),))


def test_a_fixed_operation_needs_fixed_predecessors(tiny: SchedulingProblem) -> None:
    """Freezing an operation but not its predecessor is refused with a fix."""
    with pytest.raises(ProblemError, match="freeze whole prefixes"):
        replace(tiny, fixed=(Fixed(1, 1, 10),))


def test_a_valid_schedule_passes_check(tiny: SchedulingProblem) -> None:
    """a on m0 [0,3), b on m1 waits for the downtime [4,6), c after a changeover of 5."""
    s = Schedule(machines=(0, 1, 0), starts=(0, 6, 8))
    s.check(tiny)
    assert s.makespan(tiny) == 10
    assert s.weighted_tardiness(tiny) == 2 * (8 - 6) + 1 * (10 - 4)


@pytest.mark.parametrize(
    ("machines", "starts", "found"),
    [
        ((0, 1, 0), (0, 2, 8), "before a ends"),
        ((0, 1, 0), (0, 3, 8), "overlaps the unavailable"),
        ((0, 1, 0), (0, 6, 4), "changeover of 5"),
        ((0, 1, 0), (0, 6, 2), "overlap on machine"),
        ((1, 0, 0), (0, 6, 8), "not eligible"),
        ((0, 1, 0), (0, 6, 0), "before its job's release"),
    ],
)
def test_check_reports_each_violation(
    tiny: SchedulingProblem, machines: tuple[int, ...], starts: tuple[int, ...], found: str
) -> None:
    """Precedence, calendar, setup, overlap, eligibility and release violations are named."""
    with pytest.raises(InvalidSchedule, match=found):
        Schedule(machines, starts).check(tiny)


def test_check_reports_a_moved_fixed_operation(tiny: SchedulingProblem) -> None:
    """A fixed operation must stay on its machine at its start."""
    frozen = replace(tiny, fixed=(Fixed(0, 0, 0),))
    with pytest.raises(InvalidSchedule, match="fixed a moved"):
        Schedule((1, 1, 0), (0, 6, 8)).check(frozen)
