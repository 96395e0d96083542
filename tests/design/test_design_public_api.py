"""The public surface of lotone.design is pinned: changing it is a deliberate act."""

import lotone.design

EXPECTED = [
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
    "TEMPLATES",
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


def test_design_exports_exactly_its_entry_points() -> None:
    """Templates, checks, exporters, the link, the optimizer and batch; every name exists."""
    assert sorted(lotone.design.__all__) == EXPECTED
    for name in lotone.design.__all__:
        assert hasattr(lotone.design, name)
