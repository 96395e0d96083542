"""The digital twin: simulate the factory on SimPy, measure KPIs, find the bottleneck.

Build a :class:`TwinModel` (:func:`site_model` from work orders and a site, :func:`queue_model`
for textbook queues, or :func:`build` from a YAML :class:`Scenario`), optionally with operator
:class:`Pool` s, :class:`Buffer` s and :class:`Carrier` s; :func:`simulate` it once or
:func:`replicate` it (in parallel through an :class:`Executor`), under a dispatching rule, a
given plan or a :class:`Rolling` horizon of the scheduler; then :func:`summarize` the traces
into :class:`Kpis`, or :func:`promise` a delivery time to one new order. The core imports
``model``, ``produce`` and ``schedule`` only.
"""

from lotone.twin.assemble import build as build
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
from lotone.twin.promise import Promise as Promise
from lotone.twin.promise import promise as promise
from lotone.twin.replicate import replicate as replicate
from lotone.twin.resources import Buffer as Buffer
from lotone.twin.resources import Crew as Crew
from lotone.twin.resources import Pool as Pool
from lotone.twin.rolling import Rolling as Rolling
from lotone.twin.scenario import Scenario as Scenario
from lotone.twin.scenario import load_scenario as load_scenario
from lotone.twin.shipping import Carrier as Carrier
from lotone.twin.trace import Trace as Trace

__all__ = [
    "POLICIES",
    "Bottleneck",
    "Buffer",
    "Carrier",
    "Crew",
    "Executor",
    "Kpis",
    "MachineSpec",
    "Policy",
    "Pool",
    "ProcessExecutor",
    "Promise",
    "Rolling",
    "Scenario",
    "SerialExecutor",
    "Trace",
    "TwinError",
    "TwinModel",
    "build",
    "load_scenario",
    "promise",
    "queue_model",
    "replicate",
    "simulate",
    "site_model",
    "summarize",
]
