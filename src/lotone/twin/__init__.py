"""The digital twin: simulate the factory on SimPy, measure KPIs, find the bottleneck.

Build a :class:`TwinModel` (:func:`site_model` from work orders and a site, :func:`queue_model`
for textbook queues, or :func:`build` from a YAML :class:`Scenario`), :func:`simulate` it once
or :func:`replicate` it (in parallel through an :class:`Executor`), then :func:`summarize` the
traces into :class:`Kpis`. The core imports ``model``, ``produce`` and ``schedule`` only.
"""

from lotone.twin.engine import POLICIES as POLICIES
from lotone.twin.engine import Policy as Policy
from lotone.twin.engine import simulate as simulate
from lotone.twin.executor import Executor as Executor
from lotone.twin.executor import ProcessExecutor as ProcessExecutor
from lotone.twin.executor import SerialExecutor as SerialExecutor
from lotone.twin.kpis import Bottleneck as Bottleneck
from lotone.twin.kpis import Kpis as Kpis
from lotone.twin.kpis import summarize as summarize
from lotone.twin.model import MachineSpec as MachineSpec
from lotone.twin.model import TwinError as TwinError
from lotone.twin.model import TwinModel as TwinModel
from lotone.twin.model import queue_model as queue_model
from lotone.twin.model import site_model as site_model
from lotone.twin.replicate import replicate as replicate
from lotone.twin.scenario import Scenario as Scenario
from lotone.twin.scenario import build as build
from lotone.twin.scenario import load_scenario as load_scenario
from lotone.twin.trace import Trace as Trace

__all__ = [
    "POLICIES",
    "Bottleneck",
    "Executor",
    "Kpis",
    "MachineSpec",
    "Policy",
    "ProcessExecutor",
    "Scenario",
    "SerialExecutor",
    "Trace",
    "TwinError",
    "TwinModel",
    "build",
    "load_scenario",
    "queue_model",
    "replicate",
    "simulate",
    "site_model",
    "summarize",
]
