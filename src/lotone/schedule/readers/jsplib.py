"""Job shop files in the standard (JSPLIB / Taillard-style) format.

``n m`` on the first line, then one line per job: ``machine duration`` pairs in technological
order, machines 0-based. Lines may have different lengths and repeat a machine (re-entrant
``bel`` instances). Lines starting with ``#`` are comments. Jobs are chained in file order.
"""

from __future__ import annotations

from pathlib import Path

from lotone.errors import ModelError
from lotone.schedule.problem import Job, Operation, SchedulingProblem, chain
from lotone.schedule.readers._tokens import Tokens, read_text

__all__ = ["parse_jsplib", "read_jsplib"]


def read_jsplib(path: str | Path) -> SchedulingProblem:
    """Read a job shop file; errors come as ``FILE:LINE:COL``."""
    return parse_jsplib(read_text(path), str(path), Path(path).stem.removesuffix("js"))


def parse_jsplib(text: str, file: str = "<string>", name: str = "") -> SchedulingProblem:
    """Parse job shop text (see the module docstring)."""
    tokens = Tokens(text, file)
    lines = list(tokens)
    if not lines:
        raise ModelError.at(tokens.end(), "empty file: expected 'jobs machines' on line 1")
    head = lines[0].ints("header")
    if len(head) != 2 or head[0] < 1 or head[1] < 1:
        raise lines[0].error("the header is 'jobs machines', two positive integers")
    n, m = head
    if len(lines) - 1 < n:
        raise ModelError.at(
            tokens.end(), f"the header announces {n} jobs, the file has {len(lines) - 1}"
        )
    jobs: list[Job] = []
    ops: list[Operation] = []
    chains: list[list[int]] = []
    for j, line in enumerate(lines[1 : n + 1]):
        nums = line.ints(f"job {j}")
        if not nums or len(nums) % 2:
            raise line.error(f"job {j}: expected 'machine duration' pairs, got {len(nums)} numbers")
        ids: list[int] = []
        for k in range(0, len(nums), 2):
            mach, dur = nums[k], nums[k + 1]
            if not 0 <= mach < m:
                raise line.error(f"job {j}: machine {mach} is outside 0..{m - 1}")
            if dur < 0:
                raise line.error(f"job {j}: negative duration {dur}")
            ids.append(len(ops))
            ops.append(Operation(j, ((mach, dur),), name=f"j{j}.o{k // 2}"))
        chains.append(ids)
        jobs.append(Job(tuple(ids), name=f"j{j}"))
    if len(lines) > n + 1:
        raise lines[n + 1].error(f"the header announces {n} jobs; this line is one too many")
    return SchedulingProblem(m, tuple(jobs), tuple(ops), chain(chains), name=name)
