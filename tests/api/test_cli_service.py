"""``lotone admin create-key`` and ``lotone serve`` (preparation only: nothing listens)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import CATALOG
from lotone.api.app import create_app
from lotone.api.bootstrap import DEMO_KEYS, Prepared, load_catalog, seed_demo
from lotone.api.settings import Settings
from lotone.cli import app
from lotone.errors import LotoneError
from lotone.store import Store, Vault, connect, migrate


def test_create_key_migrates_and_prints_a_working_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a fresh SQLite file the command migrates, stores the hash and prints the key once."""
    monkeypatch.setenv("LOTONE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("LOTONE_DATABASE_URL", raising=False)
    monkeypatch.delenv("LOTONE_MASTER_KEY", raising=False)
    result = CliRunner().invoke(app, ["admin", "create-key", "--role", "admin", "--json"])
    assert result.exit_code == 0, result.output
    key = json.loads(result.output)["key"]
    assert (tmp_path / "master.key").exists()
    assert key.encode() not in (tmp_path / "lotone.db").read_bytes()
    bad = CliRunner().invoke(app, ["admin", "create-key", "--role", "root"])
    assert bad.exit_code == 1


def test_settings_come_from_the_environment(tmp_path: Path) -> None:
    """Defaults: a SQLite file and a master key file under the data dir; the URL overrides."""
    s = Settings.from_env({"LOTONE_DATA_DIR": str(tmp_path)})
    assert s.database_url == f"sqlite:///{tmp_path / 'lotone.db'}"
    assert Settings.from_env({"LOTONE_DATA_DIR": str(tmp_path)}).master_key == s.master_key
    pg = Settings.from_env(
        {"LOTONE_DATABASE_URL": "postgresql+psycopg://x@h/db", "LOTONE_MASTER_KEY": "ab" * 32}
    )
    assert pg.master_key == b"\xab" * 32


def test_price_budget_setting_reaches_every_engine_and_bad_values_are_refused(
    tmp_path: Path,
) -> None:
    """LOTONE_PRICE_BUDGET_S sets the engines' time budget; non-numbers and <= 0 are refused."""
    env = {"LOTONE_DATA_DIR": str(tmp_path), "LOTONE_PRICE_BUDGET_S": "0.05"}
    settings = Settings.from_env(env)
    assert settings.price_budget_s == 0.05
    assert Settings.from_env({"LOTONE_DATA_DIR": str(tmp_path)}).price_budget_s == 0.2
    app_ = create_app(settings)
    slot = app_.state.engines.get("serum", "1.0", lambda: (CATALOG / "serum.yaml").read_text())
    assert slot.engine.budget == 0.05
    for bad in ("fast", "0", "-1"):
        with pytest.raises(LotoneError, match=r"price budget|LOTONE_PRICE_BUDGET_S"):
            Settings.from_env({**env, "LOTONE_PRICE_BUDGET_S": bad})


def test_preparing_twice_changes_nothing(tmp_path: Path) -> None:
    """Loading the catalog and seeding the demo are idempotent."""
    store = Store(connect(f"sqlite:///{tmp_path / 'x.db'}"), Vault(bytes(32)))
    migrate(store.engine)
    first = seed_demo(store, load_catalog(store, CATALOG))
    assert len(first.families_added) == 4
    assert first.demo_seeded
    again = seed_demo(store, load_catalog(store, CATALOG, Prepared()))
    assert again.families_added == []
    assert not again.demo_seeded
    assert set(DEMO_KEYS) == {"admin", "operator", "customer"}
    store.dispose()
