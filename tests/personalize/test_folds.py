"""Fold files are read as their authors read them; folds by hash keep duplicates together."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lotone.errors import LotoneError
from lotone.personalize import History, read_folds

RENAULT = Path(__file__).resolve().parents[3] / "shared/benchmarks/configuration/renault_br4cp"


def _history() -> History:
    rows = [{"a": "x", "b": "1"}, {"a": "y", "b": "2"}, {"a": "x", "b": "1"}, {"a": "z", "b": "1"}]
    return History.from_records(rows)


def test_a_file_with_one_id_per_row_is_used_as_is(tmp_path: Path) -> None:
    """One id per row: source 'file'; a duplicate split across folds is counted in the note."""
    path = tmp_path / "folds.txt"
    path.write_text("0\n1\n1\n0\n")
    folds = read_folds(path, _history(), 2)
    assert folds.source == "file"
    assert folds.ids.tolist() == [0, 1, 1, 0]
    assert folds.note == "1 of 3 distinct configurations lie in more than one fold"


def test_a_file_with_more_ids_than_rows_gives_the_first_ones(tmp_path: Path) -> None:
    """Extra ids at the end are ignored, as the data's authors' script does, and said so."""
    path = tmp_path / "folds.txt"
    path.write_text("0\n1\n0\n1\n1\n1\n")
    folds = read_folds(path, _history(), 2)
    assert folds.source == "file-prefix"
    assert folds.ids.tolist() == [0, 1, 0, 1]
    assert "6 fold ids for 4 rows: the first 4 are used" in folds.note


def test_too_few_ids_or_folds_by_hash_keep_duplicates_in_one_fold(tmp_path: Path) -> None:
    """Fewer ids than rows, or by='hash': equal configurations share a fold."""
    path = tmp_path / "folds.txt"
    path.write_text("0\n1\n")
    for folds in (read_folds(path, _history(), 3), read_folds(path, _history(), 3, by="hash")):
        assert folds.source == "hash"
        assert folds.ids[0] == folds.ids[2]
    with pytest.raises(LotoneError, match="expected 'file' or 'hash'"):
        read_folds(path, _history(), 3, by="random")


def test_a_fold_file_that_is_not_numbers_is_refused(tmp_path: Path) -> None:
    """A malformed fold file is a clear error naming the file."""
    path = tmp_path / "folds.txt"
    path.write_text("0\nx\n")
    with pytest.raises(LotoneError, match=r"folds\.txt: cannot read the fold ids"):
        read_folds(path, _history(), 2)


@pytest.mark.skipif(not RENAULT.is_dir(), reason="../shared/benchmarks is not beside the project")
def test_renault_big_published_folds_reproduce_the_authors_split() -> None:
    """The first 8,337 ids of index_csv_big.txt give fold 9 its 844 sales (CFN-learn's README)."""
    from lotone.personalize import read_sales

    sales = read_sales(RENAULT / "config_big_filtered.txt")
    folds = read_folds(RENAULT / "index_csv_big.txt", sales)
    assert folds.source == "file-prefix"
    assert int(np.sum(folds.ids == 9)) == 844
    assert len(sales) - int(np.sum(folds.ids == 9)) == 7493
