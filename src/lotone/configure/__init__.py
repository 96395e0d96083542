"""The configuration engine: compile a family to SAT; sessions, domains, completion, pricing."""

from lotone.configure.domains import Domain as Domain
from lotone.configure.domains import NumberDomain as NumberDomain
from lotone.configure.domains import ValueDomain as ValueDomain
from lotone.configure.engine import Analysis as Analysis
from lotone.configure.engine import Conflict as Conflict
from lotone.configure.engine import Engine as Engine
from lotone.configure.engine import Objective as Objective
from lotone.configure.engine import Status as Status
from lotone.configure.session import Session as Session
from lotone.configure.session import parse_value as parse_value

__all__ = [
    "Analysis",
    "Conflict",
    "Domain",
    "Engine",
    "NumberDomain",
    "Objective",
    "Session",
    "Status",
    "ValueDomain",
    "parse_value",
]
