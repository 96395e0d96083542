"""Independent replications of one model, through an :class:`~lotone.twin.executor.Executor`.

Replication ``i`` of seed ``s`` simulates with seed ``s * 1000 + i``: the same model (orders,
arrivals) with independent processing times, breakdowns and transit times.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from lotone.schedule.schedule import Schedule
from lotone.twin.engine import Policy, simulate
from lotone.twin.executor import Executor, default_executor
from lotone.twin.model import TwinError, TwinModel
from lotone.twin.rolling import Rolling
from lotone.twin.trace import Trace

__all__ = ["replicate"]


@dataclass(frozen=True, slots=True)
class _Job:
    model: TwinModel
    policy: Policy
    horizon: float | None
    schedule: Schedule | None
    rolling: Rolling | None


def _one(job: _Job, seed: int) -> Trace:
    return simulate(
        job.model, job.policy, seed=seed, horizon=job.horizon, schedule=job.schedule,
        rolling=job.rolling,
    )  # fmt: skip


def replicate(
    model: TwinModel,
    policy: Policy = "fifo",
    *,
    replications: int = 1,
    seed: int = 0,
    horizon: float | None = None,
    schedule: Schedule | None = None,
    rolling: Rolling | None = None,
    executor: Executor | None = None,
) -> list[Trace]:
    """``replications`` traces of ``model``; parallel on local cores unless told otherwise."""
    if replications < 1:
        raise TwinError(f"replications must be 1 or more, got {replications}")
    ex = executor or default_executor(replications)
    seeds = [seed * 1000 + i for i in range(replications)]
    return ex.map(partial(_one, _Job(model, policy, horizon, schedule, rolling)), seeds)
