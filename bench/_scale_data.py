"""Data for ``bench admin_scale``: counties, unions, members, applications, stations and activities, with COPY.

Members are spread over ``counties`` counties, the first county holding ``FIRST_SHARE`` of them (the county
staff persona reads that one). Resident IDs are valid (GB 11643 check characters) and unique: county code,
birth date and sequence from the row number. Card numbers follow ``<county><join year><sequence>``. All rows
are marked so that a re-run replaces them: unions named ``基准规模…``, stations coded ``SCALE-…``.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import time

FIRST_SHARE = 0.6
UNIONS_PER_COUNTY = 40
UNION_PREFIX = "基准规模"
STATION_PREFIX = "SCALE-"
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗欧阳"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红春建国"
OCCUPATIONS = ["delivery_rider", "courier", "truck_driver", "employee", "employee", "employee", "sanitation",
               "construction", "miner", "other"]  # fmt: skip
STATUSES = ["active"] * 18 + ["lapsed", "transferred"]
SOURCES = ["import"] * 6 + ["online"] * 3 + ["manual"]
JOIN_YEARS = list(range(2010, 2026))


def counties_for(n: int) -> list[str]:
    """``n`` county-level codes of Shanxi: 晋城市 (1405) first, then other cities'."""
    from unionhub.models.regions import Region

    codes = list(
        Region.objects.filter(level="county", code__startswith="1405").order_by("code").values_list("pk", flat=True)
    )
    codes.remove("140521")
    codes.insert(0, "140521")  # 沁水县, the demo county, first
    others = Region.objects.filter(level="county", code__startswith="14").exclude(code__startswith="1405")
    codes += list(others.order_by("code").values_list("pk", flat=True))
    return codes[:n]


def copy(table: str, columns: list[str], rows) -> int:
    from django.db import connection

    count, buffer = 0, io.StringIO()
    with connection.cursor() as cursor:
        for row in rows:
            buffer.write("\t".join("\\N" if v is None else str(v) for v in row) + "\n")
            count += 1
            if count % 200_000 == 0:
                buffer.seek(0)
                cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)
                buffer = io.StringIO()
        buffer.seek(0)
        cursor.cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)
    return count


def clear() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        unions = "SELECT id FROM unionhub_unionorganization WHERE name LIKE %s"
        like = [UNION_PREFIX + "%"]
        cursor.execute(f"DELETE FROM membership_personaldatareveal WHERE member_id IN "
                       f"(SELECT id FROM membership_member WHERE union_id IN ({unions}))", like)  # fmt: skip
        cursor.execute(f"DELETE FROM membership_membershipapplication WHERE union_id IN ({unions})", like)
        cursor.execute(f"DELETE FROM membership_member WHERE union_id IN ({unions})", like)
        cursor.execute(f"DELETE FROM unionhub_unionorganization WHERE id IN ({unions})", like)
        cursor.execute(f"DELETE FROM membership_historicalmember WHERE union_id IN ({unions})", like)
        cursor.execute("DELETE FROM membership_personaldatareveal WHERE user_id IN "
                       "(SELECT id FROM auth_user WHERE username = %s)", [REVEALER])  # fmt: skip
        cursor.execute("DELETE FROM auth_user WHERE username = %s", [REVEALER])
        stations = "SELECT id FROM stations_station WHERE code LIKE %s"
        for table in ("stations_activity", "stations_visitorcount", "stations_subsidyallocation"):
            cursor.execute(f"DELETE FROM {table} WHERE station_id IN ({stations})", [STATION_PREFIX + "%"])
        cursor.execute("DELETE FROM stations_subsidyrun WHERE policy_id IN "
                       "(SELECT id FROM stations_subsidypolicy WHERE name LIKE %s)", [UNION_PREFIX + "%"])  # fmt: skip
        cursor.execute("DELETE FROM stations_subsidypolicy WHERE name LIKE %s", [UNION_PREFIX + "%"])
        cursor.execute(f"DELETE FROM stations_station WHERE id IN ({stations})", [STATION_PREFIX + "%"])
        cursor.execute("DELETE FROM membership_cardcounter")  # remade from the register by build()


def name_of(i: int) -> str:
    return SURNAMES[i % len(SURNAMES)] + GIVEN[(i // 7) % len(GIVEN)] + GIVEN[(i // 131) % len(GIVEN)]


BIRTH_DAYS = 16_436  # births over 45 years (1960-2004), as in a county's working population


def resident_id(county: str, i: int) -> str:
    """The ``i``-th ID of ``county``: births spread over ``BIRTH_DAYS`` days (a county's members are not all
    born in one year, so an ID's first 10 digits - county and year - match about a 45th of them), then the
    sequence; unique for ``i`` below 16 million."""
    from unionhub.validators import resident_id_check_char

    birth = dt.date(1960, 1, 1) + dt.timedelta(days=i % BIRTH_DAYS)
    base = f"{county}{birth:%Y%m%d}{(i // BIRTH_DAYS) % 1000:03d}"
    return base + resident_id_check_char(base)


def build_unions(counties: list[str]) -> dict[str, list[int]]:
    from unionhub.models.regions import Region, UnionOrganization

    unions = []
    pooled = set(UnionOrganization.objects.filter(is_holding_pool=True).values_list("region_id", flat=True))
    for county in counties:
        towns = list(Region.objects.filter(level="town", code__startswith=county).values_list("pk", flat=True))
        towns = towns or [county]
        unions.append(UnionOrganization(name=f"{UNION_PREFIX}{county}会员周转库", kind="grassroots", region_id=county,
                                        is_holding_pool=county not in pooled))  # fmt: skip
        for n in range(UNIONS_PER_COUNTY):
            unions.append(UnionOrganization(name=f"{UNION_PREFIX}{county}第{n + 1}企业工会", kind="grassroots",
                                            region_id=towns[n % len(towns)]))  # fmt: skip
    UnionOrganization.objects.bulk_create(unions)
    by_county: dict[str, list[int]] = {}
    for union in UnionOrganization.objects.filter(name__startswith=UNION_PREFIX).order_by("pk"):
        by_county.setdefault(union.region_id[:6], []).append(union.pk)
    return by_county


def member_rows(counties: list[str], unions: dict, members: int, rng: random.Random, first_share: float = FIRST_SHARE):
    from unionhub.validators import resident_id_birth_date, resident_id_gender

    first = int(members * first_share) if len(counties) > 1 else members
    rest = (members - first) // max(1, len(counties) - 1)
    now = "2026-01-01 00:00:00+08"
    serial = 0
    for c, county in enumerate(counties):
        n = first if c == 0 else rest
        per_year: dict[int, int] = {}
        ids = unions[county]
        for i in range(n):
            rid = resident_id(county, i)
            year = JOIN_YEARS[i % len(JOIN_YEARS)]
            per_year[year] = per_year.get(year, 0) + 1
            union = ids[(i * 7) % len(ids)] if i % 50 else ids[0]  # 2% in the holding pool (the first union)
            serial += 1
            yield (
                name_of(serial), rid, resident_id_gender(rid), resident_id_birth_date(rid), f"13{serial:09d}",
                "基准规模公司", OCCUPATIONS[i % len(OCCUPATIONS)], union, county, dt.date(year, 1 + i % 12, 1 + i % 28),
                f"{county}{year}{per_year[year]:06d}", STATUSES[i % len(STATUSES)], SOURCES[i % len(SOURCES)], now,
            )  # fmt: skip


MEMBER_COLUMNS = ["name", "resident_id", "gender", "birth_date", "mobile", "employer", "occupation", "union_id",
                  "county", "join_date", "card_number", "status", "source", "created_at"]  # fmt: skip


def application_rows(counties, unions, applications: int, rng: random.Random):
    from unionhub.validators import resident_id_birth_date, resident_id_gender

    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    seen = set()
    for i in range(applications):
        county = counties[0] if i % 10 < 6 else counties[i % len(counties)]
        rid = resident_id(county, 900_000 + i)  # not members (yet)
        while True:
            reference = "".join(rng.choice(alphabet) for _ in range(8))
            if reference not in seen:
                seen.add(reference)
                break
        pending = i % 100 == 0
        status = "pending" if pending else ("rejected" if i % 10 == 1 else "approved")
        submitted = now - dt.timedelta(minutes=i)
        yield (
            reference, name_of(i + 17), rid, resident_id_gender(rid), resident_id_birth_date(rid), f"15{i:09d}",
            "基准规模公司", OCCUPATIONS[i % len(OCCUPATIONS)], unions[county][1 + i % (len(unions[county]) - 1)],
            county, "direct", "", "2026-01", submitted.isoformat(), submitted.isoformat(), status,
            None if pending else (submitted + dt.timedelta(minutes=12)).isoformat(),
            "重复申请" if status == "rejected" else "",
        )  # fmt: skip


APPLICATION_COLUMNS = ["reference", "name", "resident_id", "gender", "birth_date", "mobile", "employer",
                       "occupation", "union_id", "county_id", "channel", "event", "consent_version", "consented_at",
                       "submitted_at", "status", "decided_at", "rejection_reason"]  # fmt: skip


def build_stations(counties: list[str], stations: int, activities: int, rng: random.Random) -> int:
    from decimal import Decimal

    from stations.data.catalogue import seed_catalogues
    from stations.models import ActivityKind, Facility, Service, Station
    from unionhub.models.regions import Region

    seed_catalogues(Facility, Service, ActivityKind)
    towns = []
    for county in counties:
        towns += list(Region.objects.filter(level="town", code__startswith=county).values_list("pk", flat=True))
    rows = []
    for n in range(stations):
        # Spread over about 2 x 2 degrees of southern Shanxi (WGS-84).
        lat, lng = 35.2 + rng.random() * 2.0, 111.6 + rng.random() * 2.0
        rows.append(Station(code=f"{STATION_PREFIX}{n:06d}", name=f"规模驿站{n}", kind="rest" if n % 5 else "workshop",
                            region_id=towns[n % len(towns)], address="基准规模路", area_m2=Decimal("40"),
                            latitude=Decimal(f"{lat:.6f}"), longitude=Decimal(f"{lng:.6f}"), status="operating",
                            open_24h=n % 3 == 0, status_since=dt.date(2024, 1, 1)))  # fmt: skip
    Station.objects.bulk_create(rows, batch_size=5000)
    ids = list(Station.objects.filter(code__startswith=STATION_PREFIX).values_list("pk", flat=True))
    kind_id = ActivityKind.objects.order_by("pk").values_list("pk", flat=True)[0]
    today = dt.date.today()
    return copy(
        "stations_activity",
        ["station_id", "kind_id", "date", "title", "participants", "suggestions", "notes"],
        (
            (ids[i % len(ids)], kind_id, today - dt.timedelta(days=i % 365), "送清凉", 20, 0, "")
            for i in range(activities)
        ),
    )


BULK_TABLES = ("membership_member", "membership_membershipapplication", "stations_activity",
               "membership_historicalmember", "stations_visitorcount", "membership_personaldatareveal",
               "stations_subsidyallocation")  # fmt: skip
REVEALER = "scale-revealer"  # not a bench-scale- persona: personas() deletes those, and their reveals with them


def build_logs(counties: list[str], unions: dict[str, list[int]], days: int) -> dict:
    """The other large lists, made in the database from what is built: one history row per member (as the
    roster import writes), a visitor count per station a day over ``days`` days, a reveal per 10 members (by
    one county officer) and a year of monthly operating allocations per station (one run per county)."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    user = get_user_model().objects.create(username=REVEALER, is_staff=True)
    ids = [u for county in counties for u in unions[county]]
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO membership_historicalmember (id, name, gender, birth_date, employer, occupation, "
            "resident_id, mobile, join_date, card_number, status, source, created_at, history_date, history_type, "
            "union_id) SELECT id, name, gender, birth_date, employer, occupation, resident_id, mobile, join_date, "
            "card_number, status, source, created_at, created_at, '+', union_id FROM membership_member "
            "WHERE union_id = ANY(%s)", [ids])  # fmt: skip
        history = cursor.rowcount
        stations = f"SELECT id FROM stations_station WHERE code LIKE '{STATION_PREFIX}%%'"
        cursor.execute(
            f"INSERT INTO stations_visitorcount (date, visitors, night_visitors, station_id) SELECT "
            f"current_date - d, 10 + (s.id + d) %% 30, (s.id + d) %% 5, s.id FROM ({stations}) s, "
            f"generate_series(1, %s) d", [days])  # fmt: skip
        visitors = cursor.rowcount
        cursor.execute(
            # Over a year, the counties' reveals interleaved in time as officers work (one instant for all
            # would put a county's rows at one end of the log's time order).
            "INSERT INTO membership_personaldatareveal (subject, subject_label, fields, count, revealed_at, "
            "member_id, region_id, user_id) SELECT 'member', m.card_number, 'mobile', 1, timestamptz "
            "'2025-01-01 08:00+08' + (m.id * 7919 %% 31536000) * interval '1 second', m.id, o.region_id, %s "
            "FROM membership_member m JOIN "
            "unionhub_unionorganization o ON o.id = m.union_id WHERE m.union_id = ANY(%s) AND m.id %% 10 = 0",
            [user.pk, ids])  # fmt: skip
        reveals = cursor.rowcount
        allocations = 0
        for county in counties:
            cursor.execute(
                "INSERT INTO stations_subsidypolicy (name, starts_on, ends_on, period_months, min_activities, "
                "min_visitors, shortfall_percent, suspend_while_rectifying, note, region_id) VALUES "
                "(%s, '2025-01-01', '2025-12-31', 1, 1, 0, 50, true, '', %s) RETURNING id",
                [f"{UNION_PREFIX}{county}", county])  # fmt: skip
            (policy,) = cursor.fetchone()
            cursor.execute(
                "INSERT INTO stations_subsidyrun (period_start, period_end, status, computed_at, total, "
                "allocation_count, policy_id, region_id) VALUES ('2025-01-01', '2025-12-31', 'proposed', now(), "
                "0, 0, %s, %s) RETURNING id", [policy, county])  # fmt: skip
            (run,) = cursor.fetchone()
            cursor.execute(
                f"INSERT INTO stations_subsidyallocation (period_start, period_end, subsidy_type, stars, amount, "
                f"breakdown, status, station_id, county, run_id) SELECT make_date(2025, m, 1), "
                f"(make_date(2025, m, 1) + interval '1 month - 1 day')::date, 'operating', 3, 500, '', 'proposed', "
                f"s.id, s.county, %s FROM stations_station s, generate_series(1, 12) m WHERE s.code LIKE "
                f"'{STATION_PREFIX}%%' AND s.region_id LIKE %s", [run, county + "%"])  # fmt: skip
            allocations += cursor.rowcount
    return {"history": history, "visitor_counts": visitors, "reveals": reveals, "allocations": allocations}


def drop_secondary_indexes() -> list[str]:
    """Drop the indexes that back no constraint on the bulk-loaded tables; return their definitions. Loading
    first and indexing after is how a bulk load is done (a trigram GIN index maintained row by row is slow)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s) AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            [list(BULK_TABLES)],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _name, definition in indexes]


def create_indexes(definitions: list[str]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET maintenance_work_mem = '512MB'")
        for definition in definitions:
            cursor.execute(definition)


def build(
    *, counties: int, members: int, applications: int, stations: int, activities: int, first_share: float = FIRST_SHARE
) -> dict:
    """Everything, from scratch; returns what was built (county codes, union ids, timings)."""
    from django.db import connection

    from unionhub.models.regions import Region
    from unionhub.services.regions import regions_load

    if not Region.objects.filter(code="140521104").exists():
        regions_load()
    rng = random.Random(15)
    clear()
    codes = counties_for(counties)
    started = time.perf_counter()
    unions = build_unions(codes)
    definitions = drop_secondary_indexes()
    try:
        n_members = copy("membership_member", MEMBER_COLUMNS, member_rows(codes, unions, members, rng, first_share))
        members_s = time.perf_counter() - started
        rows = application_rows(codes, unions, applications, rng)
        n_apps = copy("membership_membershipapplication", APPLICATION_COLUMNS, rows)
        n_acts = build_stations(codes, stations, activities, rng) if stations else 0
        logs = build_logs(codes, unions, days=max(1, activities // max(1, stations)))
    finally:
        indexing = time.perf_counter()
        create_indexes(definitions)
        indexing = time.perf_counter() - indexing
    # What autovacuum does on a running server: statistics, and the visibility map for index-only scans.
    with connection.cursor() as cursor:
        # The card counters as the approvals that issued these numbers would have left them, so that members
        # added afterwards (the import into the register) continue each county's and year's sequence.
        cursor.execute(
            "INSERT INTO membership_cardcounter (county_id, year, last) SELECT county, "
            "substr(card_number, 7, 4)::int, max(substr(card_number, 11)::int) FROM membership_member "
            "GROUP BY 1, 2 ON CONFLICT (county_id, year) DO UPDATE SET last = GREATEST("
            "membership_cardcounter.last, EXCLUDED.last)"
        )
        for table in ("unionhub_unionorganization", "stations_station", *BULK_TABLES):
            cursor.execute(f"VACUUM ANALYZE {table}")
    return {
        "counties": codes, "unions": unions, "members": n_members, "applications": n_apps, "activities": n_acts,
        "stations": stations, "seconds": time.perf_counter() - started, "members_seconds": members_s,
        "index_seconds": indexing, "sample_application_id": resident_id(codes[0], 900_000), **logs,
    }  # fmt: skip
