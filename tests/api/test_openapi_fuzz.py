"""Schemathesis against the OpenAPI spec (bounded examples, SQLite): no server errors.

Every operation gets a few generated requests with an admin key (the widest access), including
bodies that break the schema; the only check is that none answers 5xx.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error

from conftest import CATALOG, MASTER
from lotone.api import Settings, create_app
from lotone.api.auth import issue_key
from lotone.api.bootstrap import load_catalog
from lotone.api.engines import EngineCache
from lotone.store import Store, Vault, connect, migrate

_ADMIN: dict[str, str] = {}


@pytest.fixture(scope="module")
def fuzz_schema(
    tmp_path_factory: pytest.TempPathFactory, engines: EngineCache
) -> Iterator[schemathesis.BaseSchema]:
    """The app's OpenAPI schema, served in-process on a fresh SQLite database."""
    url = f"sqlite:///{Path(tmp_path_factory.mktemp('fuzz')) / 'fuzz.db'}"
    store = Store(connect(url), Vault(MASTER))
    migrate(store.engine)
    load_catalog(store, CATALOG)
    with store.unit() as uow:
        _, key = issue_key(uow, "admin", label="fuzz")
        uow.commit()
    _ADMIN["X-API-Key"] = key
    app = create_app(Settings(database_url=url, master_key=MASTER), engines=engines, store=store)
    yield schemathesis.openapi.from_asgi("/openapi.json", app)
    store.dispose()


def test_no_server_errors(fuzz_schema: schemathesis.BaseSchema) -> None:
    """No generated request, on any operation, makes the service answer 5xx."""
    operations = [result.ok() for result in fuzz_schema.get_all_operations()]
    assert len(operations) >= 15
    statuses: list[int] = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=3,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def run(case: schemathesis.Case) -> None:
            response = case.call_and_validate(headers=dict(_ADMIN), checks=[not_a_server_error])
            statuses.append(response.status_code)

        run()
    assert len(statuses) >= 2 * len(operations)
    assert any(s < 300 for s in statuses), "nothing got through: the fuzzing would be vacuous"
