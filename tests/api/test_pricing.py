"""Price ranges proved in child processes: the same answers, and a fallback when a child fails."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from lotone.api import Settings, create_app
from lotone.api.auth import issue_key
from lotone.api.bootstrap import load_catalog
from lotone.api.pricing import PriceProcesses
from lotone.configure import Engine
from lotone.errors import LotoneError
from lotone.model.family import Family
from lotone.model.loader import load_family
from lotone.store import Store, Vault, connect, migrate

ROOT = Path(__file__).resolve().parents[2]
CATALOG = ROOT / "catalog"
CHOICES = [
    {},
    {"width_mm": Decimal(2410), "finish": "oak"},
    {"width_mm": Decimal(1200), "finish": "white", "soft_close": True},
    {"height_mm": Decimal(2080), "door_type": "hinged"},
]


@pytest.fixture(scope="module")
def wardrobe() -> Family:
    return load_family(CATALOG / "wardrobe.yaml")


@pytest.fixture
def pool() -> Iterator[PriceProcesses]:
    pool = PriceProcesses(1)
    assert pool.wait_ready(60.0), "the price process did not start within 60 s"
    yield pool
    pool.close()


def _gone(pid: int) -> bool:
    """Whether process ``pid`` ends within 2.5 s (terminate() is asynchronous)."""
    for _ in range(50):
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def _answers(engine: Engine) -> list[tuple[object, ...]]:
    out = []
    for choices in CHOICES:
        a = engine.analyze(choices)
        out.append((a.status, a.domains, a.price_min, a.price_max, a.price_exact))
    return out


def test_analyses_priced_in_a_child_process_equal_those_priced_in_a_thread(
    wardrobe: Family, pool: PriceProcesses
) -> None:
    """Same status, domains and price range; the child really answered every query."""
    here = _answers(Engine(wardrobe))
    assert _answers(Engine(wardrobe, prices=pool)) == here
    assert pool.answered == len(CHOICES)


def test_a_killed_price_process_is_replaced_and_the_engine_prices_itself(
    wardrobe: Family, pool: PriceProcesses
) -> None:
    """A child that dies between queries (or during one) costs no answer: the engine prices in
    its own thread, and a new child starts."""
    engine = Engine(wardrobe, prices=pool)
    expected = _answers(Engine(wardrobe))
    assert _answers(engine)[:1] == expected[:1]
    (old,) = pool.pids
    os.kill(old, signal.SIGKILL)
    time.sleep(0.2)
    assert _answers(engine) == expected
    assert pool.wait_ready(60.0)
    assert pool.pids
    assert old not in pool.pids


def test_a_price_process_that_overruns_is_replaced(wardrobe: Family, pool: PriceProcesses) -> None:
    """A child that does not answer within its budget is stopped; the answer is the same."""
    engine = Engine(wardrobe, budget=0.2, prices=pool)
    expected = _answers(Engine(wardrobe, budget=0.2))
    engine.analyze({})  # the child holds the family now
    (old,) = pool.pids
    pool.spare = 0.0
    os.kill(old, signal.SIGSTOP)  # alive but silent
    try:
        assert _answers(engine)[:2] == expected[:2]
    finally:
        os.kill(old, signal.SIGCONT)
    assert old not in pool.pids


def test_a_closed_pool_prices_in_the_engines_thread(wardrobe: Family) -> None:
    """After close() no child takes queries and the children are gone."""
    pool = PriceProcesses(1)
    assert pool.wait_ready(60.0)
    (pid,) = pool.pids
    pool.close()
    engine = Engine(wardrobe, prices=pool)
    assert _answers(engine) == _answers(Engine(wardrobe))
    assert pool.answered == 0
    assert _gone(pid)


def test_the_service_prices_in_its_child_processes_and_stops_them(tmp_path: Path) -> None:
    """An app with price processes answers a configure request as an app without them, and
    its children end with the app."""
    url = f"sqlite:///{tmp_path / 'p.db'}"
    store = Store(connect(url), Vault(bytes(32)))
    migrate(store.engine)
    load_catalog(store, CATALOG)
    with store.unit() as uow:
        _, key = issue_key(uow, "operator", label="tests")
        uow.commit()
    store.dispose()
    headers = {"X-API-Key": key}
    body = {"choices": {"width_mm": 2410, "finish": "oak"}}
    answers = []
    for processes in (0, 1):
        settings = Settings(database_url=url, master_key=bytes(32), price_processes=processes)
        app = create_app(settings)
        with TestClient(app) as client:
            pool = app.state.engines.prices
            if processes:
                assert isinstance(pool, PriceProcesses)
                assert pool.wait_ready(60.0)
                pids = pool.pids
                warmed = pool.answered  # the start-up analyses of the catalog families
            r = client.post("/v1/families/wardrobe/configure", json=body, headers=headers)
            assert r.status_code == 200, r.text
            answers.append(r.json())
        if processes:
            assert warmed >= 1
            assert pool.answered == warmed + 1
            assert all(_gone(pid) for pid in pids)
        else:
            assert pool is None
    assert answers[0] == answers[1]
    assert answers[0]["price"] is not None


def test_price_processes_setting_is_checked() -> None:
    """LOTONE_PRICE_PROCESSES must be a whole number from 0 to 64."""
    with pytest.raises(LotoneError, match="LOTONE_PRICE_PROCESSES"):
        Settings.from_env({"LOTONE_PRICE_PROCESSES": "two", "LOTONE_MASTER_KEY": "00" * 32})
    with pytest.raises(LotoneError, match="between 0 and 64"):
        Settings(database_url="sqlite://", master_key=bytes(32), price_processes=-1)
    env = {"LOTONE_MASTER_KEY": "00" * 32, "LOTONE_DATABASE_URL": "sqlite://"}
    assert Settings.from_env(env).price_processes == 2


def test_children_that_cannot_start_leave_pricing_to_the_engines_thread(tmp_path: Path) -> None:
    """A script without a ``__main__`` guard cannot start ``spawn`` children (they re-run it
    and fail): the pool gives up on them and the answers come from the engine's own thread."""
    script = tmp_path / "unguarded.py"
    script.write_text(
        "import sys\n"
        "from lotone.api.pricing import PriceProcesses\n"
        "from lotone.configure import Engine\n"
        "from lotone.model.loader import load_family\n"
        "pool = PriceProcesses(1)\n"
        "ready = pool.wait_ready(60.0)\n"
        f"family = load_family({str(CATALOG / 'wardrobe.yaml')!r})\n"
        "a = Engine(family, prices=pool).analyze({'finish': 'oak'})\n"
        "b = Engine(family).analyze({'finish': 'oak'})\n"
        "print(ready, pool.answered, a == b, a.price_min is not None)\n"
    )
    out = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=180, check=False
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split()[-4:] == ["False", "0", "True", "True"]
