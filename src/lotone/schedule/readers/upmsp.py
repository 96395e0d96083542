"""Unrelated parallel machines with machine- and sequence-dependent setups (Vallada & Ruiz 2011).

``n m 1``, then ``m``, then one line per job with ``machine time`` pairs (0-based machines),
the marker ``SSD``, and per machine ``M<k>`` followed by an ``n x n`` matrix: row ``i``, column
``j`` is the setup on machine ``k`` when job ``j`` directly follows job ``i``. Every job is one
operation and its own setup family; there is no setup before a machine's first job.
"""

from __future__ import annotations

from pathlib import Path

from lotone.errors import ModelError
from lotone.schedule.problem import Job, Operation, SchedulingProblem
from lotone.schedule.readers._tokens import Line, Tokens, read_text

__all__ = ["parse_upmsp", "read_upmsp"]


def read_upmsp(path: str | Path) -> SchedulingProblem:
    """Read a Vallada-Ruiz instance; errors come as ``FILE:LINE:COL``."""
    return parse_upmsp(read_text(path), str(path), Path(path).stem)


def _next(lines: list[Line], i: int, tokens: Tokens, what: str) -> Line:
    if i >= len(lines):
        raise ModelError.at(tokens.end(), f"the file ends before {what}")
    return lines[i]


def parse_upmsp(text: str, file: str = "<string>", name: str = "") -> SchedulingProblem:
    """Parse Vallada-Ruiz text (see the module docstring)."""
    tokens = Tokens(text, file)
    lines = list(tokens)
    head = _next(lines, 0, tokens, "the header 'jobs machines 1'").ints("header")
    if len(head) < 2 or head[0] < 1 or head[1] < 1:
        raise lines[0].error("the header is 'jobs machines 1'")
    n, m = head[0], head[1]
    again = _next(lines, 1, tokens, "the machine count").ints("machine count")
    if again != [m]:
        raise lines[1].error(f"expected the machine count {m} again")
    ops: list[Operation] = []
    for j in range(n):
        line = _next(lines, 2 + j, tokens, f"job {j}")
        nums = line.ints(f"job {j}")
        if len(nums) != 2 * m:
            raise line.error(f"job {j}: expected {m} 'machine time' pairs, got {len(nums)} numbers")
        modes = tuple(zip(nums[::2], nums[1::2], strict=True))
        if sorted(mm for mm, _ in modes) != list(range(m)):
            raise line.error(f"job {j}: machines must be 0..{m - 1}, each once")
        ops.append(Operation(j, modes, setup_family=j, name=f"j{j}"))
    i = 2 + n
    marker = _next(lines, i, tokens, "the SSD marker")
    if marker.words != ("SSD",):
        raise marker.error("expected the marker SSD")
    i += 1
    mats: list[tuple[tuple[int, ...], ...]] = []
    for k in range(m):
        label = _next(lines, i, tokens, f"matrix M{k}")
        if label.words != (f"M{k}",):
            raise label.error(f"expected M{k}")
        rows: list[tuple[int, ...]] = []
        for r in range(n):
            row = _next(lines, i + 1 + r, tokens, f"row {r} of M{k}")
            nums = row.ints(f"M{k} row {r}")
            if len(nums) != n or any(x < 0 for x in nums):
                raise row.error(f"M{k} row {r}: expected {n} setup times >= 0")
            rows.append(tuple(nums))
        mats.append(tuple(rows))
        i += 1 + n
    if i < len(lines):
        raise lines[i].error("unexpected data after the last setup matrix")
    return SchedulingProblem(
        m,
        tuple(Job((j,), name=f"j{j}") for j in range(n)),
        tuple(ops),
        setup_matrices=tuple(mats),
        machine_setup=tuple(range(m)),
        name=name,
    )
