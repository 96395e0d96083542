"""Load a site's factory file (``docs/factory-format.md``), every error at ``FILE:LINE:COL``.

It uses the family loader's located YAML and field readers, so the messages look the same: all
errors are collected and raised together in one :class:`~lotone.errors.ModelError`.
"""

from __future__ import annotations

import contextlib
import re
from decimal import Decimal
from pathlib import Path

from lotone.errors import ModelError, SourceSpan
from lotone.model.loader_fields import Fields, Problems, Skip, expect_map, expect_seq
from lotone.model.yaml_source import Located, Map, Scalar, Seq, kind_of, load_yaml
from lotone.produce.factory import DAYS, Machine, Network, SetupMatrix, Shift, Site, WorkCenter

__all__ = ["load_network", "load_site", "load_site_text"]

_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")
_TIME = re.compile(r"([01]?[0-9]|2[0-4]):([0-5][0-9])")
_TOP = ("site", "name", "location", "shifts", "work_centers", "stock")
_LOCATION = ("city", "country", "latitude", "longitude")
_CENTER = ("type", "machines", "setup")
_MACHINE = ("id", "count", "capabilities", "speed", "build_volume_mm", "shifts")
_SETUP = ("default", "changes")
_CHANGE = ("from", "to", "minutes")
_SHIFT = ("days", "start", "end")


def load_network(paths: list[Path]) -> Network:
    """Sites from files and directories (every ``*.yaml`` in them, sorted by name)."""
    files: list[Path] = []
    for p in paths:
        files += sorted(p.glob("*.yaml")) if p.is_dir() else [p]
    return Network(tuple(load_site(f) for f in files))


def load_site(path: str | Path) -> Site:
    """Load and check one site file; raises :class:`ModelError` with every error found."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ModelError.at(None, f"cannot read {str(path)!r}: {exc}") from None
    return load_site_text(text, str(path))


def load_site_text(text: str, filename: str = "<string>") -> Site:
    """Load and check a site from YAML text."""
    start = SourceSpan(filename, 1, 1)
    root = load_yaml(text, filename)
    problems = Problems()
    if not isinstance(root, Map):
        raise ModelError.at(start, "a site file is a mapping that starts with 'site: <id>'")
    top = Fields(root, "", problems, start)
    top.check_keys(_TOP, required=("site", "work_centers"))
    site_id = _ident(top, "site")
    city = country = ""
    lat = lon = None
    location = top.get("location")
    if location is not None:
        with contextlib.suppress(Skip):
            loc = Fields(expect_map(location, "'location'", problems), "location", problems,
                         location.span)  # fmt: skip
            loc.check_keys(_LOCATION)
            city, country = loc.text("city") or "", loc.text("country") or ""
            lat, lon = loc.number("latitude"), loc.number("longitude")
    shifts = _shifts(top, problems)
    centers = _centers(top.get("work_centers"), problems)
    stock = _stock(top.get("stock"), problems)
    problems.raise_if_any()
    try:
        return Site(site_id or "", top.text("name") or site_id or "", tuple(centers), city,
                    country, lat, lon, shifts, stock, filename)  # fmt: skip
    except ValueError as exc:
        raise ModelError.at(start, str(exc)) from None


def _ident(f: Fields, key: str) -> str | None:
    text = f.text(key)
    if text is not None and not _ID.fullmatch(text):
        f.error(f.span(key), f"{key} {text!r} is not a valid id", "use a-z, 0-9, '_' and '-'")
    return text


def _minutes(f: Fields, key: str) -> int | None:
    node = f.scalar(key, 'a time such as "06:30"')
    if node is None:
        return None
    match = _TIME.fullmatch(node.text)
    if match is None or int(match.group(1)) * 60 + int(match.group(2)) > 24 * 60:
        f.error(node.span, f'{key!r} must be a time such as "06:30", got {kind_of(node)}')
        return None
    return int(match.group(1)) * 60 + int(match.group(2))


def _shifts(f: Fields, problems: Problems) -> tuple[Shift, ...]:
    node = f.get("shifts")
    if node is None:
        return ()
    out: list[Shift] = []
    with contextlib.suppress(Skip):
        for item in expect_seq(node, "'shifts'", problems).items:
            with contextlib.suppress(Skip):
                s = Fields(expect_map(item, "a shift", problems), "shift", problems, item.span)
                s.check_keys(_SHIFT, required=_SHIFT)
                days = [d.text for d in _scalars(s, "days")]
                bad = [d for d in days if d not in DAYS]
                if bad or not days:
                    s.error(s.span("days"), f"unknown days {bad}", "use mon, tue, ..., sun")
                start, end = _minutes(s, "start"), _minutes(s, "end")
                if start is not None and end is not None and start >= end:
                    s.error(s.span("end"), "a shift must end after it starts (split night shifts)")
                s.settle()
                if start is not None and end is not None:
                    out.append(Shift(tuple(d for d in DAYS if d in days), start, end))
    if len(out) != len(getattr(node, "items", ())):
        f.failed = True
    return tuple(out)


def _scalars(f: Fields, key: str) -> list[Scalar]:
    node = f.get(key)
    if node is None:
        return []
    if isinstance(node, Seq) and all(isinstance(i, Scalar) for i in node.items):
        return [i for i in node.items if isinstance(i, Scalar)]
    f.error(node.span, f"{key!r} must be a list, got {kind_of(node)}")
    return []


def _numbers(f: Fields, key: str) -> tuple[Decimal, ...]:
    out = []
    for item in _scalars(f, key):
        if not isinstance(item.value, Decimal) or item.value <= 0:
            f.error(item.span, f"{key!r} holds positive numbers, got {kind_of(item)}")
        else:
            out.append(item.value)
    return tuple(out)


def _centers(node: Located | None, problems: Problems) -> list[WorkCenter]:
    if node is None:
        return []
    out: list[WorkCenter] = []
    with contextlib.suppress(Skip):
        for entry in expect_map(node, "'work_centers'", problems).entries:
            what = f"work center {entry.key.text!r}"
            with contextlib.suppress(Skip):
                f = Fields(expect_map(entry.value, what, problems), what, problems, entry.key.span)
                f.check_keys(_CENTER, required=("type", "machines"))
                kind = f.text("type")
                if kind is not None and not _ID.fullmatch(kind):
                    f.error(f.span("type"), f"type {kind!r} is not valid", "e.g. cnc_router")
                machines = _machines(f, problems)
                setup = _setup(f, problems)
                f.settle()
                out.append(WorkCenter(entry.key.text, kind or "", tuple(machines), setup,
                                      entry.key.span))  # fmt: skip
    return out


def _machines(f: Fields, problems: Problems) -> list[Machine]:
    node = f.get("machines")
    out: list[Machine] = []
    if node is None:
        return out
    try:
        items = expect_seq(node, f"{f.what}: 'machines'", problems).items
    except Skip:
        f.failed = True
        return out
    for item in items:
        try:
            m = Fields(expect_map(item, "a machine", problems), "machine", problems, item.span)
        except Skip:
            f.failed = True
            continue
        m.check_keys(_MACHINE, required=("id",))
        machine_id = _ident(m, "id")
        count, speed = m.number("count"), m.number("speed")
        count = Decimal(1) if count is None else count
        speed = Decimal(1) if speed is None else speed
        if count < 1 or count != int(count):
            m.error(m.span("count"), "'count' must be a whole number of machines, 1 or more")
        if speed <= 0:
            m.error(m.span("speed"), "'speed' must be positive (1 is nominal speed)")
        caps = frozenset(c.text for c in _scalars(m, "capabilities"))
        volume = _numbers(m, "build_volume_mm")
        shifts = _shifts(m, problems)
        if m.failed or machine_id is None:
            f.failed = True
            continue
        n = int(count)
        for i in range(1, n + 1):
            mid = machine_id if n == 1 else f"{machine_id}-{i}"
            out.append(Machine(mid, caps, speed, volume, shifts, item.span))
    return out


def _setup(f: Fields, problems: Problems) -> SetupMatrix:
    node = f.get("setup")
    if node is None:
        return SetupMatrix()
    try:
        s = Fields(expect_map(node, f"{f.what}: 'setup'", problems), f.what, problems, node.span)
    except Skip:
        f.failed = True
        return SetupMatrix()
    s.check_keys(_SETUP)
    default = s.number("default")
    default = Decimal(0) if default is None else default
    changes: dict[tuple[str, str], int] = {}
    change_list = s.get("changes")
    if change_list is not None:
        with contextlib.suppress(Skip):
            for item in expect_seq(change_list, "'changes'", problems).items:
                with contextlib.suppress(Skip):
                    c = Fields(expect_map(item, "a change", problems), f.what, problems, item.span)
                    c.check_keys(_CHANGE, required=_CHANGE)
                    a, b, minutes = c.text("from"), c.text("to"), c.number("minutes")
                    c.settle()
                    if a and b and minutes is not None:
                        changes[(a, b)] = int(minutes)
    if s.failed:
        f.failed = True
    return SetupMatrix(int(default), changes)


def _stock(node: Located | None, problems: Problems) -> dict[str, Decimal]:
    out: dict[str, Decimal] = {}
    if node is None:
        return out
    with contextlib.suppress(Skip):
        for entry in expect_map(node, "'stock'", problems).entries:
            value = entry.value
            if isinstance(value, Scalar) and isinstance(value.value, Decimal) and value.value >= 0:
                out[entry.key.text] = value.value
            else:
                problems.error(value.span, f"stock of {entry.key.text!r} must be a number >= 0")
    return out
