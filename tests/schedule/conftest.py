"""Benchmark instances and small named problems shared by the scheduling tests."""

from __future__ import annotations

import pytest

from lotone.schedule import Job, Operation, SchedulingProblem


@pytest.fixture(scope="session")
def tiny() -> SchedulingProblem:
    """Two jobs, two machines, setups between two families, a calendar gap, due dates.

    Job 0: op 0 on m0 (3) or m1 (4), then op 1 on m1 (2). Job 1: op 2 on m0 (2), released at 1.
    Changing family on m0 costs 5; m1 is down during [4, 6).
    """
    ops = (
        Operation(0, ((0, 3), (1, 4)), setup_family=0, name="a"),
        Operation(0, ((1, 2),), name="b"),
        Operation(1, ((0, 2),), setup_family=1, name="c"),
    )
    jobs = (Job((0, 1), due=6, weight=2, name="J0"), Job((2,), release=1, due=4, name="J1"))
    return SchedulingProblem(
        2,
        jobs,
        ops,
        precedences=((0, 1),),
        setup_matrices=(((0, 5), (5, 0)),),
        machine_setup=(0, -1),
        unavailable=((), ((4, 6),)),
        name="tiny",
    )
