"""The API against the HTML pages over the same data: the public nearest-stations endpoint against the finder
page, and a county officer's member list through the API (a staff token, cursor pages of 50) against the
admin's member changelist (a session), at ``--members`` members (default a million).

Builds the data with ``bench/_scale_data.py`` (as ``bench admin_scale`` does: COPY, several counties, 10,000
stations over southern Shanxi), serves the project with gunicorn (2 workers x 4 threads, DEBUG off) on the
PostgreSQL in DATABASE_URL, and requests each address one at a time over a keep-alive connection: median and
p95 of ``--requests`` timed requests after two warm-ups. Targets (issue 30): p95 <= 50 ms for the public
endpoint, <= 150 ms for a staff list.

    python -m bench api_latency -- --members 50000          # a quick run
"""

from __future__ import annotations

import argparse
import http.client
import os
import statistics
import time

PUBLIC_MS, STAFF_MS = 50, 150


class Timer:
    def __init__(self, port: int, headers: dict):
        self.port, self.headers = port, {"Host": "127.0.0.1", **headers}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)

    def get(self, path: str) -> tuple[float, int, bytes]:
        started = time.perf_counter()
        try:
            self.connection.request("GET", path, headers=self.headers)
            response = self.connection.getresponse()
        except (http.client.HTTPException, OSError):
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            self.connection.request("GET", path, headers=self.headers)
            response = self.connection.getresponse()
        body = response.read()
        return (time.perf_counter() - started) * 1000, response.status, body

    def measure(self, path: str, n: int) -> dict:
        for _ in range(2):
            self.get(path)
        times, status, size = [], 0, 0
        for _ in range(n):
            ms, status, body = self.get(path)
            times.append(ms)
            size = len(body)
        times.sort()
        p95 = times[min(len(times) - 1, max(0, round(0.95 * len(times)) - 1))]
        return {"median": statistics.median(times), "p95": p95, "status": status, "bytes": size}


def row(label: str, result: dict, target: int) -> tuple[str, bool]:
    ok = result["status"] == 200 and result["p95"] <= target
    line = (f"{label:52} {result['median']:7.1f} {result['p95']:7.1f} {result['bytes'] / 1024:7.1f}  "
            f"{result['status']}  p95 <= {target} ms {'ok' if ok else 'MISSED'}")  # fmt: skip
    return line, ok


def run(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench api_latency")
    parser.add_argument("--members", type=int, default=1_000_000)
    parser.add_argument("--counties", type=int, default=3)
    parser.add_argument("--scale-stations", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=40, help="timed requests per address")
    args, _others = parser.parse_known_args(argv)

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from api.services.tokens import token_create
    from bench import _scale_data as data
    from bench.admin_scale import durability, personas
    from bench.join_load import collect_static, free_port, start_server, stop_server

    if connection.vendor != "postgresql":
        raise SystemExit("api_latency needs PostgreSQL (DATABASE_URL=postgres://…)")
    call_command("migrate", verbosity=0)
    collect_static()
    print(f"PostgreSQL: {durability()}")
    built = data.build(counties=args.counties, members=args.members, applications=args.members // 5,
                       stations=args.scale_stations, activities=args.scale_stations)  # fmt: skip
    print(f"data: {built['members']:,} members in {len(built['counties'])} counties, {built['stations']:,} stations; "
          f"built in {built['seconds']:.0f} s")  # fmt: skip
    users, _wide = personas(built["counties"])
    county_user = users["county"]
    _token, secret = token_create(user=county_user, name="bench")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(county_user, backend="django.contrib.auth.backends.ModelBackend")
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    port = free_port()
    os.environ["CASEWORK_STATUS_RATE_PER_IP"] = "100000000/m"
    server = start_server(port, workers=2, threads=4, worker_class="gthread")
    misses, lines = 0, []
    try:
        anonymous, staff_api, staff_page = Timer(port, {}), Timer(port, {"Authorization": f"Bearer {secret}"}), None
        staff_page = Timer(port, {"Cookie": cookie})
        here = "lat=35.75&lng=112.40"
        first = staff_api.get("/api/v1/staff/membership/members/?limit=50")[2]
        import json

        cursor = json.loads(first)["next_cursor"]
        cases = [
            ("public: nearest 20 stations (API)", anonymous, f"/api/v1/worker/stations/nearest/?{here}", PUBLIC_MS),
            ("public: nearest 20, GCJ-02 in and out (API)", anonymous,
             "/api/v1/worker/stations/nearest/?lat=35.7488&lng=112.4061&crs=gcj02", PUBLIC_MS),
            ("public: nearest 20, a filter: kind=rest (API)", anonymous,
             f"/api/v1/worker/stations/nearest/?{here}&kind=rest", PUBLIC_MS),
            ("public: the finder page, nearest 30 (HTML)", anonymous, f"/stations/?{here}", PUBLIC_MS),
            ("public: a station's details (API)", anonymous, "/api/v1/worker/stations/SCALE-000007/", PUBLIC_MS),
            ("staff: member list, first 50 (API)", staff_api, "/api/v1/staff/membership/members/?limit=50", STAFF_MS),
            ("staff: member list, second page by cursor (API)", staff_api,
             f"/api/v1/staff/membership/members/?limit=50&cursor={cursor}", STAFF_MS),
            ("staff: member list, status=lapsed (API)", staff_api,
             "/api/v1/staff/membership/members/?limit=50&status__exact=lapsed", STAFF_MS),
            ("staff: member changelist, first page (HTML)", staff_page, "/admin/membership/member/", STAFF_MS),
            ("staff: member changelist, status=lapsed (HTML)", staff_page,
             "/admin/membership/member/?status__exact=lapsed", STAFF_MS),
        ]  # fmt: skip
        print(f"load average before timing: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({os.cpu_count()} cores)")
        header = f"{'address':52} {'median':>7} {'p95':>7} {'KB':>7}  status"
        print("\n" + header + "\n" + "-" * len(header))
        for label, timer, path, target in cases:
            line, ok = row(label, timer.measure(path, args.requests), target)
            misses += not ok
            lines.append(line)
            print(line, flush=True)
    finally:
        stop_server(server)
    print(f"load average after timing: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"\n{len(lines) - misses} of {len(lines)} within target (gunicorn 2 workers x 4 threads, DEBUG off)")
