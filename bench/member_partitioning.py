"""The member table partitioned by county (PostgreSQL LIST partitioning) against the plain table we ship.

Issue 31 asks whether partitioning pays at province scale. This builds two copies of the register's shape -
the columns and the county-leading indexes of ``membership_member`` - side by side in a scratch schema: one
plain table, one ``PARTITION BY LIST (county)`` with a partition per county. N members (default 10,000,000)
over 100 counties in 11 cities, made by ``generate_series`` inside the server (no Python per row). Then the
statements the pages run, timed on each (median and p95 of ``--repeat`` runs, after one warm-up), and a
100,000-row COPY into one county, each printed as a ratio plain / partitioned (above 1: partitioning is
faster).

What no timing shows is printed too: a partitioned table's unique index must contain the partition key, so
"one resident ID, one member, in the whole province" (``Member.resident_id`` unique) and the card number's
uniqueness could no longer be enforced by the database - only per county.

    python -m bench member_partitioning -- --members 2000000 --repeat 20
"""

from __future__ import annotations

import argparse
import io
import statistics
import time

SCHEMA = "bench_partitioning"
CITIES = 11
COUNTIES = 100
COLUMNS = "id, name, resident_id, mobile, county, union_id, join_date, card_number, status, occupation"
INDEXES = [
    ("county_join", "(county, join_date, card_number)"),
    ("join", "(join_date, card_number)"),
    ("county_card", "(county, card_number)"),
    ("name", "(name varchar_pattern_ops)"),
    ("mobile", "(mobile)"),
    ("union_status", "(union_id, status)"),
    ("id", "(id)"),
]


def county_codes() -> list[str]:
    """100 county codes in 11 cities, Shanxi-like (14CCDD); city 05 is 晋城市, county 21 沁水县."""
    codes = []
    for city in range(1, CITIES + 1):
        for county in range(1, COUNTIES // CITIES + 2):
            codes.append(f"14{city:02d}{20 + county:02d}")
    return codes[:COUNTIES]


def _ddl(cursor, codes: list[str]) -> None:
    cursor.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE; CREATE SCHEMA {SCHEMA}")
    body = """(id bigint NOT NULL, name varchar(50) NOT NULL, resident_id varchar(18) NOT NULL,
        mobile varchar(11) NOT NULL, county varchar(6) NOT NULL, union_id integer NOT NULL, join_date date NOT NULL,
        card_number varchar(20) NOT NULL, status varchar(12) NOT NULL, occupation varchar(20) NOT NULL)"""
    cursor.execute(f"CREATE TABLE {SCHEMA}.plain {body}")
    cursor.execute(f"CREATE TABLE {SCHEMA}.part {body} PARTITION BY LIST (county)")
    for code in codes:
        cursor.execute(f"CREATE TABLE {SCHEMA}.part_{code} PARTITION OF {SCHEMA}.part FOR VALUES IN ('{code}')")


def _load(cursor, members: int, codes: list[str]) -> float:
    started = time.perf_counter()
    array = "ARRAY[" + ",".join(f"'{c}'" for c in codes) + "]"
    cursor.execute(
        f"""INSERT INTO {SCHEMA}.plain ({COLUMNS})
        SELECT g,
               substr('王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗', 1 + (g * 7) % 20, 1)
                 || substr('伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平', 1 + (g * 13) % 20, 1)
                 || CASE WHEN g % 3 = 0 THEN '' ELSE substr('华玉兰红春建国英桂刚', 1 + g % 10, 1) END,
               c.code || lpad(g::text, 12, '0'),
               '13' || lpad((g % 1000000000)::text, 9, '0'),
               c.code,
               (g % 4000) + 1,
               date '2010-01-01' + (g % 5800),
               c.code || lpad(g::text, 12, '0'),
               CASE WHEN g % 20 = 0 THEN 'lapsed' WHEN g % 20 = 1 THEN 'transferred' ELSE 'active' END,
               (ARRAY['delivery_rider','courier','truck_driver','employee','sanitation'])[1 + g % 5]
        FROM generate_series(1, {int(members)}) g
        CROSS JOIN LATERAL (SELECT ({array})[1 + (hashint4(g::int) & 2147483647) % {len(codes)}] AS code) c"""
    )
    return time.perf_counter() - started


def _index(cursor, table: str, partitioned: bool) -> float:
    started = time.perf_counter()
    for name, columns in INDEXES:
        cursor.execute(f"CREATE INDEX {table}_{name} ON {SCHEMA}.{table} {columns}")
    # The register's uniqueness: the plain table keeps it province-wide; the partitioned one can only hold it
    # with the partition key inside (so, per county).
    unique = "(resident_id, county)" if partitioned else "(resident_id)"
    cursor.execute(f"CREATE UNIQUE INDEX {table}_rid ON {SCHEMA}.{table} {unique}")
    cursor.execute(f"VACUUM ANALYZE {SCHEMA}.{table}")
    return time.perf_counter() - started


def _time(cursor, sql: str, params, repeat: int) -> tuple[float, float]:
    cursor.execute(sql, params)
    cursor.fetchall()
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        cursor.execute(sql, params)
        cursor.fetchall()
        runs.append((time.perf_counter() - started) * 1000)
    runs.sort()
    return statistics.median(runs), runs[min(len(runs) - 1, int(len(runs) * 0.95))]


def _copy(cursor, table: str, county: str, rows: int, offset: int) -> float:
    buffer = io.StringIO()
    for n in range(offset, offset + rows):
        rid = f"{county}{n:012d}"
        buffer.write(f"{n}\t张伟\t{rid}\t139{n % 100000000:08d}\t{county}\t1\t2026-01-01\tC{n}\tactive\temployee\n")
    buffer.seek(0)
    started = time.perf_counter()
    cursor.copy_expert(f"COPY {SCHEMA}.{table} ({COLUMNS}) FROM STDIN", buffer)
    return time.perf_counter() - started


def statements(codes: list[str], known_id: str) -> list[tuple[str, str, list]]:
    county, city = codes[len(codes) // 2], codes[len(codes) // 2][:4]
    city_codes = [c for c in codes if c.startswith(city)]
    order = "ORDER BY join_date DESC, card_number DESC LIMIT 100"
    return [
        ("county list, first page", f"SELECT * FROM {{t}} WHERE county = %s {order}", [county]),
        ("city list, first page", f"SELECT * FROM {{t}} WHERE county = ANY(%s) {order}", [city_codes]),
        ("province list, first page", f"SELECT * FROM {{t}} {order}", []),
        (
            "county list, page 200",
            "SELECT * FROM {t} WHERE county = %s ORDER BY join_date DESC, card_number DESC LIMIT 100 OFFSET 19900",
            [county],
        ),
        ("exact resident ID (province)", "SELECT * FROM {t} WHERE resident_id = %s", [known_id]),
        ("exact mobile (county)", "SELECT * FROM {t} WHERE county = %s AND mobile = %s", [county, "13000004321"]),
        (
            "name prefix, county",
            f"SELECT * FROM {{t}} WHERE county = %s AND name LIKE %s {order}",
            [county, "王伟%"],
        ),
        ("active members, one county", "SELECT count(*) FROM {t} WHERE county = %s AND status = 'active'", [county]),
        ("active members per county (province)", "SELECT county, count(*) FROM {t} GROUP BY county", []),
    ]


def run(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(prog="bench member_partitioning")
    parser.add_argument("--members", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--copy-rows", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="leave the scratch schema in the database")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        print("member_partitioning needs PostgreSQL (DATABASE_URL); skipped.")
        return
    codes = county_codes()
    connection.ensure_connection()
    raw = connection.connection
    raw.autocommit = True
    with raw.cursor() as cursor:
        _ddl(cursor, codes)
        load = _load(cursor, args.members, codes)
        started = time.perf_counter()
        cursor.execute(f"INSERT INTO {SCHEMA}.part SELECT * FROM {SCHEMA}.plain")
        load_part = time.perf_counter() - started
        index_plain, index_part = _index(cursor, "plain", False), _index(cursor, "part", True)
        print(
            f"data: {args.members:,} members in {len(codes)} counties of {CITIES} cities; "
            f"plain table loaded in {load:.1f} s + indexes {index_plain:.1f} s, partitioned copy loaded in "
            f"{load_part:.1f} s + indexes {index_part:.1f} s"
        )
        print(f"\n{'statement':40} {'plain med':>9} {'p95':>7} {'part med':>9} {'p95':>7} {'plain/part':>10}")
        print("-" * 88)
        cursor.execute(f"SELECT resident_id FROM {SCHEMA}.plain WHERE id = %s", [args.members // 2])
        known_id = cursor.fetchone()[0]
        for label, sql, params in statements(codes, known_id):
            plain = _time(cursor, sql.format(t=f"{SCHEMA}.plain"), params, args.repeat)
            part = _time(cursor, sql.format(t=f"{SCHEMA}.part"), params, args.repeat)
            print(
                f"{label:40} {plain[0]:9.2f} {plain[1]:7.2f} {part[0]:9.2f} {part[1]:7.2f} "
                f"{plain[1] / part[1] if part[1] else 0:9.2f}x"
            )
        county = codes[len(codes) // 2]
        offset = args.members + 1
        copy_plain = _copy(cursor, "plain", county, args.copy_rows, offset)
        copy_part = _copy(cursor, "part", county, args.copy_rows, offset)
        print(
            f"{'COPY ' + format(args.copy_rows, ',') + ' rows into one county (s)':40} {copy_plain:9.2f} {'':7} "
            f"{copy_part:9.2f} {'':7} {copy_plain / copy_part:9.2f}x"
        )
        print(
            "\nuniqueness: the plain table enforces one member per resident ID across the province; a partitioned "
            "table's unique index must include the county, so the same ID could be registered in two counties "
            "without the database refusing it."
        )
        if not args.keep:
            cursor.execute(f"DROP SCHEMA {SCHEMA} CASCADE")
