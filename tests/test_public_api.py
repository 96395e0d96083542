"""The public surface of each package is pinned: changing it is a deliberate act."""

import lotone
import lotone.configure
import lotone.model


def test_lotone_exports_the_exception_tree_and_version() -> None:
    """`lotone` re-exports the exception tree and the version, nothing else."""
    assert sorted(lotone.__all__) == sorted(
        ["Infeasible", "InvalidValue", "LotoneError", "ModelError", "Refused", "UnknownName",
         "__version__"]
    )  # fmt: skip


def test_configure_and_model_export_their_entry_points() -> None:
    """The engine and the loader are importable from their packages."""
    assert {"Engine", "Session", "Analysis", "NumberDomain", "ValueDomain"} <= set(
        lotone.configure.__all__
    )
    assert set(lotone.model.__all__) == {"Family", "Value", "load_family", "load_family_text"}
    for name in lotone.configure.__all__ + lotone.model.__all__:
        assert hasattr(lotone.configure, name) or hasattr(lotone.model, name)
