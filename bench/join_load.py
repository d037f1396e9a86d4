"""Join page under load: online applications per second and p99 latency at 16 connections (gunicorn, PostgreSQL).

Starts gunicorn on a free loopback port against DATABASE_URL (PostgreSQL) and REDIS_URL (the rate-limit
cache), then drives ``POST /join/?station=…`` from this process - a second process - with a small asyncio
HTTP/1.1 client: N keep-alive connections, each fetching the form once for its CSRF token and then submitting
valid applications (a fresh, valid ID number every time) back to back. Bounded by a request count and a time
limit, whichever comes first; the first second is warm-up. The peer is the target for this 2-core machine:
≥ 400 submissions/s with p99 ≤ 100 ms. Rate limits stay on (their counters are checked and incremented in the
cache on every submission) but are raised out of reach for the run. The applications written are deleted.

    python -m bench join_load -- --seconds 10 --connections 16
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote, urlencode

TARGET_RATE = 400.0
TARGET_P99_MS = 100.0
STATION_CODE = "140521104-R-901"
EMPLOYER = "bench-join-load"
ROOT = Path(__file__).resolve().parent.parent
_TOKEN_RE = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare() -> None:
    """Migrate, collect static files, make sure 沁水县 has a holding pool and the station we submit through."""
    import django

    django.setup()
    from django.core.management import call_command

    from stations.choices import StationKind, StationStatus
    from stations.models import Station
    from unionhub.models.regions import OrganizationKind, Region, UnionOrganization
    from unionhub.services.regions import regions_load

    call_command("migrate", verbosity=0)
    collect_static()
    if not Region.objects.filter(code="140521104").exists():
        regions_load()
    UnionOrganization.objects.get_or_create(
        region_id="140521",
        is_holding_pool=True,
        defaults={"name": "沁水县总工会会员周转库", "kind": OrganizationKind.GRASSROOTS},
    )
    Station.objects.get_or_create(
        code=STATION_CODE,
        defaults={
            "name": "压测驿站",
            "kind": StationKind.REST_STATION,
            "region_id": "140521104",
            "address": "压测路1号",
            "status": StationStatus.OPERATING,
        },
    )
    clean()


def collect_static() -> None:
    """gunicorn runs with DEBUG off, as in production, so pages need the collected static-file manifest."""
    from django.core.management import call_command

    call_command("collectstatic", interactive=False, verbosity=0)


def clean() -> int:
    from membership.models import MembershipApplication

    deleted, _ = MembershipApplication.objects.filter(employer=EMPLOYER).delete()
    return deleted


def start_server(port: int, workers: int, threads: int, worker_class: str) -> subprocess.Popen:
    env = dict(os.environ)
    env.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789abcdefghij")
    env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    env.setdefault("SECURE_SSL_REDIRECT", "false")
    env.setdefault("SECURE_HSTS_SECONDS", "0")
    env.setdefault("LOG_LEVEL", "WARNING")
    env["DEBUG"] = "false"
    # Out of reach for one client address sending thousands a second; still counted in the cache each time.
    env["MEMBERSHIP_JOIN_RATE_PER_IP"] = "100000000/m"
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "unionhub.wsgi",
        "-b",
        f"127.0.0.1:{port}",
        "-w",
        str(workers),
        "--worker-class",
        worker_class,
        "--threads",
        str(threads),
        "--keep-alive",
        "30",
        "--backlog",
        "512",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline, last = time.monotonic() + 30, b""
    while time.monotonic() < deadline:
        try:
            # timeout: /healthz asks for a Celery worker, and waits about a second for one that is not there.
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                if response.status == 200:
                    return server
        except urllib.error.HTTPError as exc:
            # 503 names what is down: no Celery worker or beat is started here, which a web page does not need.
            last = exc.read()
            if exc.code == 503 and json.loads(last or b"{}").get("checks", {}).get("database") == "ok":
                return server
            time.sleep(0.2)
        except OSError:
            time.sleep(0.2)
        if server.poll() is not None:
            raise SystemExit("gunicorn did not start")
    stop_server(server)
    raise SystemExit(f"gunicorn did not answer within 30 s (/healthz: {last[:300]!r})")


def cpu_seconds(root_pid: int) -> float:
    """CPU time used so far by a process and its children (Linux /proc; 0 elsewhere)."""
    total = 0
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == root_pid or int(fields[1]) == root_pid:
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


class IdNumbers:
    """Fresh, valid resident ID numbers: 沁水县, birth dates from 1960 on, three-digit sequences."""

    def __init__(self, start: int = 0):
        self.n = start

    def next(self) -> str:
        from unionhub.validators import resident_id_check_char

        day, seq = divmod(self.n, 1000)
        self.n += 1
        base = f"140521{dt.date(1960, 1, 1) + dt.timedelta(days=day):%Y%m%d}{seq:03d}"
        return base + resident_id_check_char(base)


class Connection:
    """One keep-alive HTTP/1.1 connection to the server: just enough protocol for this benchmark."""

    def __init__(self, port: int):
        self.port = port
        self.reader = self.writer = None
        self.cookie = b""

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    async def request(self, method: str, path: str, body: bytes = b"") -> tuple[int, dict[bytes, list[bytes]], bytes]:
        if self.writer is None:
            await self.open()
        head = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}", "User-Agent: bench-join-load"]
        if self.cookie:
            head.append("Cookie: " + self.cookie.decode())
        if method == "POST":
            head += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(body)}"]
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        status_line = await self.reader.readuntil(b"\r\n")
        status = int(status_line.split()[1])
        headers: dict[bytes, list[bytes]] = {}
        while (line := await self.reader.readuntil(b"\r\n")) != b"\r\n":
            name, _, value = line.partition(b":")
            headers.setdefault(name.strip().lower(), []).append(value.strip())
        length = int(headers.get(b"content-length", [b"0"])[0])
        content = await self.reader.readexactly(length) if length else b""
        for cookie in headers.get(b"set-cookie", []):
            if cookie.startswith(b"csrftoken="):
                self.cookie = cookie.split(b";", 1)[0]
        if any(v.lower() == b"close" for v in headers.get(b"connection", [])):
            self.close()
        return status, headers, content

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def client(port, path, ids, stop_at, budget, results, errors, started_at):
    connection = Connection(port)
    _, _, page = await connection.request("GET", path)
    token = _TOKEN_RE.search(page).group(1).decode()
    while time.monotonic() < stop_at and budget[0] > 0:
        budget[0] -= 1
        body = urlencode(
            {
                "csrfmiddlewaretoken": token,
                "name": "压测职工",
                "resident_id": ids.next(),
                "mobile": "13900001111",
                "employer": EMPLOYER,
                "occupation": "delivery_rider",
                "union": "",
                "consent": "on",
            }
        ).encode()
        sent = time.monotonic()
        try:
            status, headers, _ = await connection.request("POST", path, body)
        except (OSError, asyncio.IncompleteReadError) as exc:
            errors.append(repr(exc))
            connection.close()
            continue
        done = time.monotonic()
        if status != 302 or not headers.get(b"location", [b""])[0].startswith(b"/join/submitted/"):
            errors.append(f"HTTP {status}")
        elif sent >= started_at:
            results.append(done - sent)
    connection.close()


async def load(port: int, connections: int, seconds: float, requests: int, warmup: float):
    path = f"/join/?station={quote(STATION_CODE)}"
    ids = IdNumbers(start=int(time.time()) % 5000 * 1000)
    results: list[float] = []
    errors: list[str] = []
    begin = time.monotonic()
    started_at = begin + warmup
    budget = [requests]
    await asyncio.gather(
        *(
            client(port, path, ids, begin + warmup + seconds, budget, results, errors, started_at)
            for _ in range(connections)
        )
    )
    elapsed = time.monotonic() - started_at
    return results, errors, elapsed


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def run(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench join_load")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=15.0, help="measured time limit")
    parser.add_argument("--requests", type=int, default=20000, help="request limit (warm-up included)")
    parser.add_argument("--warmup", type=float, default=1.0)
    # 4 x 4 threads: gthread serves a keep-alive connection only from a free thread, so with fewer threads
    # than connections (3 x 4 for 16) requests queue and throughput halves (~250/s, p50 ~60 ms).
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (gthread)")
    parser.add_argument("--worker-class", default="gthread", choices=["gthread", "sync"])
    args, _others = parser.parse_known_args(argv)  # the other benchmarks' arguments may be in argv too

    database = os.environ.get("DATABASE_URL", "")
    if not database.startswith(("postgres://", "postgresql://")):
        print("join_load needs PostgreSQL: set DATABASE_URL (make bench starts a throwaway one).")
        return
    if not os.environ.get("REDIS_URL"):
        print("note: REDIS_URL is not set; rate-limit counters live in each worker's memory, not in Redis.")
    prepare()
    load_before = os.getloadavg()[0]
    port = free_port()
    server = start_server(port, args.workers, args.threads, args.worker_class)
    try:
        server_cpu, client_cpu = cpu_seconds(server.pid), time.process_time()
        results, errors, elapsed = asyncio.run(load(port, args.connections, args.seconds, args.requests, args.warmup))
        server_cpu, client_cpu = cpu_seconds(server.pid) - server_cpu, time.process_time() - client_cpu
    finally:
        stop_server(server)
        written = clean()
    if not results:
        print(f"no successful submissions; errors: {errors[:5]}")
        return
    rate = len(results) / elapsed
    p50, p90, p99 = (percentile(results, f) * 1000 for f in (0.5, 0.9, 0.99))
    print(
        f"gunicorn {args.workers} {args.worker_class} workers"
        + (f" × {args.threads} threads" if args.worker_class == "gthread" else "")
        + f", {args.connections} connections, "
        f"{len(results)} submissions measured in {elapsed:.1f} s, {len(errors)} errors"
        + (f" (first: {errors[0]})" if errors else "")
    )
    print(f"throughput  {rate:8.1f} submissions/s   target ≥ {TARGET_RATE:.0f}/s   ratio {rate / TARGET_RATE:.2f}")
    print(
        f"latency     p50 {p50:.1f} ms   p90 {p90:.1f} ms   p99 {p99:.1f} ms   max {max(results) * 1000:.1f} ms"
        f"   target p99 ≤ {TARGET_P99_MS:.0f} ms   ratio {p99 / TARGET_P99_MS:.2f}"
    )
    # CPU per submission does not depend on what else the machine is doing; the rates above do.
    submissions = len(results) + len(errors)
    print(
        f"cpu         server {server_cpu / submissions * 1000:.2f} ms/submission, load generator "
        f"{client_cpu / submissions * 1000:.2f} ms/submission; {os.cpu_count()} CPUs, "
        f"load average {load_before:.1f} before the run"
    )
    print(f"applications written and deleted again: {written}")
