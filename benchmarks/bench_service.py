"""Load benchmark of the service: ``lotone serve`` on PostgreSQL, loopback only, bounded.

Starts ``lotone serve`` (demo data, sample catalog) on a fresh PostgreSQL schema, then drives it
with CONCURRENCY asyncio clients over HTTP/1.1 keep-alive:

1. configure: each client posts REQUESTS configure requests for the insole with random foot
   measurements and use (mostly distinct choices, so the per-engine memo rarely helps), and for
   the wardrobe with a random width; latency per request is recorded (p50, p99);
2. orders: each client posts ORDERS complete insole orders with fresh Idempotency-Keys, and
   retries every fifth one with the same key; acknowledged = distinct order ids answered 201/200.
   Afterwards the database is asked how many orders it holds: stored must equal acknowledged,
   and every retry must have returned the first answer's id.

Usage: ``python benchmarks/bench_service.py [--workers 2] [--clients 50] [--think-ms 0]
[--price-budget S]``; server at
``LOTONE_BENCH_POSTGRES_URL`` (default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``).
Results and method: ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import secrets
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import NamedTuple

import httpx
import psycopg

from lotone.api.timing import parse_server_timing

ROOT = Path(__file__).resolve().parents[1]
PG = os.environ.get(
    "LOTONE_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
KEY = {"X-API-Key": "lk_demo_customer"}
INSOLE = {
    "side": "pair",
    "use": "everyday",
    "foot_length_mm": 273,
    "foot_width_mm": 101,
    "arch_height_mm": 17,
    "heel_cup_depth_mm": 12,
    "stiffness": "medium",
    "support": "arch_support",
    "base_material": "tpu_95a",
    "top_cover": "microfibre",
    "antimicrobial": False,
}


def _proc_cpu() -> dict[int, tuple[int, str, float]]:
    """pid -> (parent pid, command, CPU seconds so far) for every readable process."""
    tick = os.sysconf("SC_CLK_TCK")
    out: dict[int, tuple[int, str, float]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            raw = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        comm = raw[raw.index("(") + 1 : raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2 :].split()
        out[int(entry)] = (int(fields[1]), comm, (int(fields[11]) + int(fields[12])) / tick)
    return out


def _cpu_split(server_pid: int) -> dict[str, float]:
    """CPU seconds so far of this client, the server's process tree and PostgreSQL's backends."""
    procs = _proc_cpu()
    tree = {server_pid}
    grew = True
    while grew:
        grew = False
        for pid, (ppid, _, _) in procs.items():
            if ppid in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return {
        "client": procs.get(os.getpid(), (0, "", 0.0))[2],
        "server": sum(procs[p][2] for p in tree if p in procs),
        "postgres": sum(c for _, name, c in procs.values() if name.startswith("postgres")),
    }


def _pg_conn() -> psycopg.Connection[tuple[object, ...]]:
    return psycopg.connect(PG.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)


def _configure_body(rng: random.Random) -> tuple[str, dict[str, object]]:
    if rng.random() < 0.8:
        length = rng.randint(220, 300)
        width = rng.randint(int(length * 0.33) + 1, min(130, int(length * 0.45)))
        choices = {
            "foot_length_mm": length,
            "foot_width_mm": width,
            "use": rng.choice(["everyday", "running", "work", "diabetic_care"]),
        }
        return "insole", {"choices": choices}
    return "wardrobe", {
        "choices": {
            "width_mm": rng.randrange(1200, 3000, 10),
            "finish": rng.choice(["white", "oak"]),
        }
    }


def _breakdown(timings: list[dict[str, float]], *, mean: bool = False) -> dict[str, object]:
    """Per ``Server-Timing`` part: p50 and p99 in ms (``mean``: the mean, for a tail's rows)."""
    names = sorted({k for t in timings for k in t})
    out: dict[str, object] = {}
    for name in names:
        values = [t.get(name, 0.0) for t in timings]
        if mean:
            out[name] = round(1000 * statistics.fmean(values), 1)
        else:
            out[name] = [round(1000 * _pct(values, 0.5), 1), round(1000 * _pct(values, 0.99), 1)]
    return out


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class _Connection:
    """One keep-alive HTTP/1.1 connection, as a browser tab holds one: a minimal client.

    httpx cost more CPU per request than the server it measured (6.7 ms against 5.1 ms per
    order post, both on the same two cores), so the load generator writes requests and reads
    ``Content-Length`` responses itself. A connection the server closed while it was idle
    (uvicorn's keep-alive timeout is 5 s, and people think about as long) is reopened before
    the request is sent, as a browser does; a connection dropped during a request is reopened
    and the request sent again after a short pause (orders keep their Idempotency-Key, so a
    retry is safe by contract). ``reopened`` and ``retried`` say what the last request met.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.reopened = False  # the last request found its idle connection closed
        self.retried = 0  # times the last request was sent again

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def post(
        self, path: str, body: object, headers: dict[str, str]
    ) -> tuple[int, object, dict[str, str]]:
        """Status, decoded JSON body and the response's header fields (lower-case names)."""
        payload = json.dumps(body).encode()
        extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        request = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(payload)}\r\n{extra}\r\n"
        ).encode() + payload
        self.reopened = self.reader is not None and self.reader.at_eof()
        if self.reopened:
            self.close()
        for attempt in range(5):
            self.retried = attempt
            try:
                if self.reader is None or self.writer is None:
                    self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
                self.writer.write(request)
                head = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1")
                lines = head.split("\r\n")
                status = int(lines[0].split(" ", 2)[1])
                fields: dict[str, str] = {}
                for k, _, v in (line.partition(":") for line in lines[1:] if line):
                    name = k.strip().lower()  # repeated fields join with ", " (RFC 9110 5.3)
                    fields[name] = f"{fields[name]}, {v.strip()}" if name in fields else v.strip()
                data = await self.reader.readexactly(int(fields.get("content-length", "0")))
                if fields.get("connection", "").lower() == "close":
                    self.close()
                return status, json.loads(data) if data else None, fields
            except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                self.close()
                if attempt == 4:
                    raise
                await asyncio.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")


class _Click(NamedTuple):
    """One configure request as the client saw it."""

    family: str
    took: float  # seconds, send to last byte
    parts: dict[str, float]  # Server-Timing parts in seconds, and "outside" = took - app
    reopened: bool  # its idle connection had been closed by the server
    retried: bool  # it was sent again after a dropped connection


async def _configure(conn: _Connection, n: int, seed: int, think_ms: float) -> list[_Click]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        if think_ms > 0:  # a person reading the answer before the next click
            await asyncio.sleep(rng.expovariate(1000.0 / think_ms))
        family, body = _configure_body(rng)
        t = time.perf_counter()
        status, answer, fields = await conn.post(f"/v1/families/{family}/configure", body, KEY)
        took = time.perf_counter() - t
        ms = parse_server_timing(fields.get("server-timing", ""))
        parts = {name: v / 1000.0 for name, v in ms.items()}
        if "app" in parts:
            parts["outside"] = took - parts["app"]  # uvicorn, the event loops, the wire
        out.append(_Click(family, took, parts, conn.reopened, conn.retried > 0))
        if status != 200:
            raise RuntimeError(f"configure {status}: {str(answer)[:200]}")
    return out


async def _orders(conn: _Connection, n: int, seed: int) -> tuple[set[str], int, float]:
    rng = random.Random(seed)
    acked: set[str] = set()
    mismatched = 0
    latencies = []
    for i in range(n):
        key = f"bench-{seed}-{i}-{uuid.uuid4().hex[:6]}"
        config = {**INSOLE, "foot_length_mm": rng.randint(250, 290)}
        body = {"family": "insole", "configuration": config}
        headers = {**KEY, "Idempotency-Key": key}
        t = time.perf_counter()
        status, answer, _ = await conn.post("/v1/orders", body, headers)
        latencies.append(time.perf_counter() - t)
        if status not in (200, 201) or not isinstance(answer, dict):
            # 200: a transport retry met the first attempt
            raise RuntimeError(f"order {status}: {str(answer)[:200]}")
        acked.add(answer["id"])
        if i % 5 == 0:
            status2, again, _ = await conn.post("/v1/orders", body, headers)
            if status2 != 200 or not isinstance(again, dict) or again["id"] != answer["id"]:
                mismatched += 1
    return acked, mismatched, statistics.median(latencies)


async def _drive(
    port: int, clients: int, requests: int, orders: int, think_ms: float, server_pid: int
) -> dict[str, object]:
    conns = [_Connection("127.0.0.1", port) for _ in range(clients)]
    for family in ("insole", "wardrobe"):  # build the engines before timing
        await conns[0].post(f"/v1/families/{family}/configure", {}, KEY)
    t0 = time.perf_counter()
    runs = await asyncio.gather(
        *(_configure(conns[s], requests, s, think_ms) for s in range(clients))
    )
    t_conf = time.perf_counter() - t0
    t1 = time.perf_counter()
    cpu0 = _cpu_split(server_pid)
    results = await asyncio.gather(*(_orders(conns[s], orders, 1000 + s) for s in range(clients)))
    t_ord = time.perf_counter() - t1
    cpu1 = _cpu_split(server_pid)
    for conn in conns:
        conn.close()
    lat = [x for run in runs for x in run]
    acked: set[str] = set()
    for ids, _, _ in results:
        acked |= ids
    posts = clients * orders + sum(1 for _ in range(clients) for i in range(orders) if i % 5 == 0)
    out: dict[str, object] = {
        "configure_requests": len(lat),
        "configure_per_s": round(len(lat) / t_conf, 1),
        "configure_p50_ms": round(1000 * _pct([c.took for c in lat], 0.50), 1),
        "configure_p99_ms": round(1000 * _pct([c.took for c in lat], 0.99), 1),
        "orders_acknowledged": len(acked),
        "order_posts_incl_retries": posts,
        "orders_per_s": round(len(acked) / t_ord, 1),
        "order_posts_per_s": round(posts / t_ord, 1),
        "order_p50_ms": round(1000 * statistics.median(r[2] for r in results), 1),
        "retries_with_another_id": sum(r[1] for r in results),
        # CPU per order post (retries included) during the order phase, by process group
        "order_cpu_ms_per_post": {
            k: round(1000 * (cpu1[k] - cpu0[k]) / posts, 2)
            for k in ("client", "server", "postgres")
        },
    }
    for fam in ("insole", "wardrobe"):
        d = [c.took for c in lat if c.family == fam]
        out[f"configure_{fam}_p50_ms"] = round(1000 * _pct(d, 0.50), 1)
        out[f"configure_{fam}_p99_ms"] = round(1000 * _pct(d, 0.99), 1)
    out["configure_reopened_connections"] = sum(c.reopened for c in lat)
    out["configure_retried_requests"] = sum(c.retried for c in lat)
    for fam in ("insole", "wardrobe"):
        out[f"configure_{fam}_server_timing_ms"] = _breakdown(
            [c.parts for c in lat if c.family == fam]
        )
    slow = sorted(lat, key=lambda c: c.took)[-max(1, len(lat) // 100) :]
    out["configure_slowest_1pct_mean_ms"] = _breakdown([c.parts for c in slow], mean=True)
    out["_acked_ids"] = acked
    return out


def main() -> None:
    """Run the benchmark once and print its results as JSON."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=20, help="configure requests per client")
    ap.add_argument("--orders", type=int, default=20, help="orders per client")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--port", type=int, default=8790)
    ap.add_argument(
        "--think-ms",
        type=float,
        default=0.0,
        help="mean think time (exponential) before each configure click; 0: none",
    )
    ap.add_argument(
        "--price-budget",
        type=float,
        default=None,
        help="LOTONE_PRICE_BUDGET_S for the server (default: the server's)",
    )
    args = ap.parse_args()
    schema = f"lotone_bench_{secrets.token_hex(4)}"
    with _pg_conn() as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"'.encode())
    env = {
        **os.environ,
        "LOTONE_DATABASE_URL": f"{PG}?options=-csearch_path%3D{schema}",
        "LOTONE_MASTER_KEY": secrets.token_hex(32),
    }
    if args.price_budget is not None:
        env["LOTONE_PRICE_BUDGET_S"] = str(args.price_budget)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "lotone",
            "serve",
            "--demo",
            "--catalog",
            str(ROOT / "catalog"),
            "--port",
            str(args.port),
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{args.port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(base + "/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.3)
        else:
            raise RuntimeError("the server did not come up within 60 s")
        res = asyncio.run(
            _drive(args.port, args.clients, args.requests, args.orders, args.think_ms, server.pid)
        )
        acked = res.pop("_acked_ids")
        assert isinstance(acked, set)
        with _pg_conn() as conn:
            stored = conn.execute(f'SELECT id FROM "{schema}".orders'.encode()).fetchall()
        ids = {str(r[0]) for r in stored}
        res["orders_stored"] = len(stored)
        res["stored_equals_acknowledged"] = ids == acked
        res["machine"] = (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        )
        res["load"] = (
            f"{args.clients} concurrent clients (think time {args.think_ms:g} ms), "
            f"{args.workers} server workers, price budget {args.price_budget or 'default'} s, "
            "PostgreSQL 127.0.0.1, client and server on the same machine"
        )
        secret = ("LOTONE_DATABASE_URL", "LOTONE_MASTER_KEY")
        res["server_settings"] = {
            k: v for k, v in env.items() if k.startswith("LOTONE_") and k not in secret
        }
        print(json.dumps(res, indent=2))
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        with _pg_conn() as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE'.encode())


if __name__ == "__main__":
    main()
