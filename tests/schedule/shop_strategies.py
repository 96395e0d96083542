"""Hypothesis strategies for small scheduling problems, shared by the search tests."""

from __future__ import annotations

from hypothesis import strategies as st

from lotone.schedule import Job, Operation, SchedulingProblem

__all__ = ["setup_shops"]


@st.composite
def setup_shops(draw: st.DrawFn) -> SchedulingProblem:
    """Flexible shops with setups, initial families, calendars, releases, due dates, instants
    and precedence DAGs (not only chains; <= 15 operations)."""
    m = draw(st.integers(1, 3))
    fams = draw(st.integers(1, 3))
    ops: list[Operation] = []
    jobs: list[Job] = []
    prec: list[tuple[int, int]] = []
    for j in range(draw(st.integers(1, 5))):
        ids: list[int] = []
        for _ in range(draw(st.integers(1, 3))):
            machines = draw(st.lists(st.integers(0, m - 1), min_size=1, max_size=m, unique=True))
            modes = tuple((k, draw(st.integers(0, 9))) for k in machines)
            for before in ids:
                if draw(st.booleans()):
                    prec.append((before, len(ops)))
            ids.append(len(ops))
            ops.append(Operation(j, modes, draw(st.integers(-1, fams - 1))))
        due = draw(st.none() | st.integers(0, 40))
        jobs.append(Job(tuple(ids), draw(st.integers(0, 6)), due, draw(st.integers(0, 3))))
    matrix = tuple(
        tuple(0 if a == b else draw(st.integers(0, 5)) for b in range(fams)) for a in range(fams)
    )
    gaps = []
    for _ in range(m):
        a = draw(st.integers(0, 20))
        gaps.append(((a, a + draw(st.integers(1, 6))),) if draw(st.booleans()) else ())
    return SchedulingProblem(
        m,
        tuple(jobs),
        tuple(ops),
        tuple(prec),
        setup_matrices=(matrix,),
        machine_setup=tuple(draw(st.sampled_from([0, -1])) for _ in range(m)),
        initial_family=tuple(draw(st.integers(-1, fams - 1)) for _ in range(m)),
        unavailable=tuple(gaps),
        earliest=draw(st.integers(0, 3)),
    )
