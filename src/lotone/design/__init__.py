"""Generative design: parametric templates, geometry, checks, optimization and exporters.

From a valid configuration to manufacturable geometry, as pure functions::

    design_family(family, configuration) -> Design      # a template per family
    check(design, machines) -> Checks                    # before manufacture; require() refuses
    render_files(design) -> [(name, bytes)]              # STL, 3MF, GLB, DXF, CSV, SVG
    link(work_order, design, files) -> LinkedWorkOrder   # quantities from the real geometry
    optimize(BracketSpec(...), evaluations, seed) -> Front   # NSGA-II Pareto front

See ``docs/design.md``.
"""

from lotone.design.batch import BatchResult as BatchResult
from lotone.design.batch import BatchSummary as BatchSummary
from lotone.design.batch import run_batch as run_batch
from lotone.design.bracket import BracketSpec as BracketSpec
from lotone.design.bracket import Performance as Performance
from lotone.design.checks import Checks as Checks
from lotone.design.checks import DesignRefused as DesignRefused
from lotone.design.checks import check as check
from lotone.design.checks import require as require
from lotone.design.export import render_files as render_files
from lotone.design.export import write_files as write_files
from lotone.design.insole import InsoleSpec as InsoleSpec
from lotone.design.link import LinkedWorkOrder as LinkedWorkOrder
from lotone.design.link import PrintModel as PrintModel
from lotone.design.link import link as link
from lotone.design.mesh import Mesh as Mesh
from lotone.design.model import Design as Design
from lotone.design.model import Hole as Hole
from lotone.design.model import Label as Label
from lotone.design.model import Nesting as Nesting
from lotone.design.model import Panel as Panel
from lotone.design.model import Part as Part
from lotone.design.model import Placement as Placement
from lotone.design.nesting import nest as nest
from lotone.design.optimize import Candidate as Candidate
from lotone.design.optimize import Front as Front
from lotone.design.optimize import non_dominated as non_dominated
from lotone.design.optimize import optimize as optimize
from lotone.design.templates import TEMPLATES as TEMPLATES
from lotone.design.templates import Generated as Generated
from lotone.design.templates import Template as Template
from lotone.design.templates import design_family as design_family
from lotone.design.templates import design_settings as design_settings
from lotone.design.templates import generate as generate

__all__ = [
    "TEMPLATES",
    "BatchResult",
    "BatchSummary",
    "BracketSpec",
    "Candidate",
    "Checks",
    "Design",
    "DesignRefused",
    "Front",
    "Generated",
    "Hole",
    "InsoleSpec",
    "Label",
    "LinkedWorkOrder",
    "Mesh",
    "Nesting",
    "Panel",
    "Part",
    "Performance",
    "Placement",
    "PrintModel",
    "Template",
    "check",
    "design_family",
    "design_settings",
    "generate",
    "link",
    "nest",
    "non_dominated",
    "optimize",
    "render_files",
    "require",
    "run_batch",
    "write_files",
]
