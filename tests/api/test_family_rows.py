"""Family versions read once per process: immutable versions kept, the newest for a moment."""

from __future__ import annotations

import time
from datetime import UTC, datetime

from conftest import CATALOG, Service
from lotone.api.deps import family_row
from lotone.store.tables import FamilyRow
from lotone.store.unit_of_work import FamilyRows


def test_a_new_version_is_the_newest_at_once_in_the_process_that_stored_it(
    service: Service,
) -> None:
    """configure without a version answers for a version uploaded a moment ago."""
    me = service.admin
    assert service.client.post("/v1/families/pc/configure", json={}, headers=me).status_code == 200
    source = (CATALOG / "pc.yaml").read_text(encoding="utf-8")
    tag = f"9.{int(time.time() * 1000)}"
    newer = source.replace('version: "1.0"', f'version: "{tag}"', 1)
    r = service.client.post("/v1/families", json={"source": newer}, headers=me)
    assert r.status_code == 201, r.text
    with service.store.unit() as uow:
        assert family_row(uow, "pc", None).version == tag


def test_the_newest_version_is_looked_up_again_after_its_lifetime() -> None:
    """newest() answers within ttl only; versions stay; copies survive the reader's rollback."""
    rows = FamilyRows(ttl=0.05)
    at = datetime.now(UTC)
    row = FamilyRow(id="f", version="1", name="F", source="x", created_at=at)
    rows.remember(row, newest=True)
    kept = rows.newest("f")
    assert kept is not None
    assert kept is not row  # a detached copy, not the reading session's instance
    assert kept.source == "x"
    time.sleep(0.08)
    assert rows.newest("f") is None
    assert rows.version("f", "1") is not None
    rows.remember(row, newest=True)
    rows.forget_newest("f")
    assert rows.newest("f") is None
