"""Flexible job shop files (``.fjs``, Brandimarte / Hurink): machines are 1-based in the file.

``n m [avg]`` on the first line, then per job: ``k`` operations, each ``a`` followed by ``a``
pairs ``machine duration``. Operations of a job are chained; machines become 0-based.
"""

from __future__ import annotations

from pathlib import Path

from lotone.errors import ModelError
from lotone.schedule.problem import Job, Operation, SchedulingProblem, chain
from lotone.schedule.readers._tokens import Tokens, read_text

__all__ = ["parse_fjs", "read_fjs"]


def read_fjs(path: str | Path) -> SchedulingProblem:
    """Read a flexible job shop file; errors come as ``FILE:LINE:COL``."""
    return parse_fjs(read_text(path), str(path), Path(path).stem)


def parse_fjs(text: str, file: str = "<string>", name: str = "") -> SchedulingProblem:
    """Parse flexible job shop text (see the module docstring)."""
    tokens = Tokens(text, file)
    lines = list(tokens)
    if not lines:
        raise ModelError.at(tokens.end(), "empty file: expected 'jobs machines [flexibility]'")
    words = lines[0].words
    if len(words) not in (2, 3):
        raise lines[0].error("the header is 'jobs machines [average flexibility]'")
    try:
        n, m = int(words[0]), int(words[1])
    except ValueError:
        raise lines[0].error("jobs and machines are whole numbers") from None
    if n < 1 or m < 1:
        raise lines[0].error("jobs and machines must be positive")
    if len(lines) - 1 < n:
        raise ModelError.at(
            tokens.end(), f"the header announces {n} jobs, the file has {len(lines) - 1}"
        )
    jobs: list[Job] = []
    ops: list[Operation] = []
    chains: list[list[int]] = []
    for j, line in enumerate(lines[1 : n + 1]):
        nums = line.ints(f"job {j}")
        pos = 1
        if not nums or nums[0] < 1:
            raise line.error(f"job {j}: the line starts with its number of operations (>= 1)")
        ids: list[int] = []
        for k in range(nums[0]):
            if pos >= len(nums):
                raise line.error(f"job {j}: operation {k} is missing (the line ends early)")
            a = nums[pos]
            pairs = nums[pos + 1 : pos + 1 + 2 * a]
            if a < 1 or len(pairs) != 2 * a:
                raise line.error(f"job {j}, operation {k}: expected {a} 'machine duration' pairs")
            modes: list[tuple[int, int]] = []
            for t in range(0, len(pairs), 2):
                mach, dur = pairs[t] - 1, pairs[t + 1]
                if not 0 <= mach < m:
                    raise line.error(
                        f"job {j}, operation {k}: machine {mach + 1} is outside 1..{m}"
                    )
                if dur < 0:
                    raise line.error(f"job {j}, operation {k}: negative duration {dur}")
                if any(mm == mach for mm, _ in modes):
                    raise line.error(f"job {j}, operation {k}: machine {mach + 1} listed twice")
                modes.append((mach, dur))
            pos += 1 + 2 * a
            ids.append(len(ops))
            ops.append(Operation(j, tuple(modes), name=f"j{j}.o{k}"))
        if pos != len(nums):
            raise line.error(f"job {j}: {len(nums) - pos} numbers left after {nums[0]} operations")
        chains.append(ids)
        jobs.append(Job(tuple(ids), name=f"j{j}"))
    if len(lines) > n + 1:
        raise lines[n + 1].error(f"the header announces {n} jobs; this line is one too many")
    return SchedulingProblem(m, tuple(jobs), tuple(ops), chain(chains), name=name)
