"""Lot-size-one scheduling: problems, dispatching rules, CP-SAT, rescheduling, readers.

Build a :class:`SchedulingProblem` (by hand, from a benchmark file with
:func:`lotone.schedule.readers.read_problem`, or from work orders and a site with
:func:`site_problem`), then :func:`solve` it; every schedule returned passes
:meth:`Schedule.check`.
"""

from lotone.schedule.problem import Fixed as Fixed
from lotone.schedule.problem import Job as Job
from lotone.schedule.problem import Operation as Operation
from lotone.schedule.problem import ProblemError as ProblemError
from lotone.schedule.problem import SchedulingProblem as SchedulingProblem
from lotone.schedule.reschedule import reschedule as reschedule
from lotone.schedule.result import Result as Result
from lotone.schedule.result import SolveParams as SolveParams
from lotone.schedule.result import Status as Status
from lotone.schedule.rules import RULES as RULES
from lotone.schedule.rules import best_rule as best_rule
from lotone.schedule.rules import dispatch as dispatch
from lotone.schedule.schedule import InvalidSchedule as InvalidSchedule
from lotone.schedule.schedule import Objective as Objective
from lotone.schedule.schedule import Schedule as Schedule
from lotone.schedule.sites import site_problem as site_problem
from lotone.schedule.sites import solve_sites as solve_sites
from lotone.schedule.solve import solve as solve

__all__ = [
    "RULES",
    "Fixed",
    "InvalidSchedule",
    "Job",
    "Objective",
    "Operation",
    "ProblemError",
    "Result",
    "Schedule",
    "SchedulingProblem",
    "SolveParams",
    "Status",
    "best_rule",
    "dispatch",
    "reschedule",
    "site_problem",
    "solve",
    "solve_sites",
]
