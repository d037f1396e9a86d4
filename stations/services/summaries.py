"""The repair of the station figures the database keeps (``LastActivity``, ``StationMonth``, kept by triggers -
see ``stations.models.summaries``): recompute them from the activities and visitor counts. Idempotent: a second
run finds them equal and writes nothing. On PostgreSQL the logs are locked against writes (reads go on)
meanwhile."""

from __future__ import annotations

from django.db import connection, transaction
from django.db.models import Count, Max, Sum
from django.db.models.functions import TruncMonth

from stations.models import Activity, LastActivity, StationMonth, VisitorCount


def last_activity_rebuild() -> dict:
    """Make every station's latest activity date equal a fresh reading; {"checked": n, "repaired": [ids]}."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("LOCK TABLE stations_activity IN SHARE MODE")
        latest = Activity.objects.order_by().values("station_id").annotate(latest=Max("date"))
        read = dict(latest.values_list("station_id", "latest"))
        held = dict(LastActivity.objects.exclude(date=None).values_list("station_id", "date"))
        repaired = sorted(pk for pk in read.keys() | held.keys() if read.get(pk) != held.get(pk))
        for pk in repaired:
            LastActivity.objects.update_or_create(station_id=pk, defaults={"date": read.get(pk)})
    return {"checked": len(read), "repaired": repaired}


def station_months_read() -> dict[tuple[int, object], tuple[int, int, int]]:
    """{(station id, month): (activities, participants, visitors)} counted afresh from the logs, zeros left out."""
    read: dict[tuple[int, object], list[int]] = {}
    activities = Activity.objects.order_by().annotate(m=TruncMonth("date")).values("station_id", "m")
    for row in activities.annotate(n=Count("pk"), people=Sum("participants")):
        read.setdefault((row["station_id"], row["m"]), [0, 0, 0])[:2] = [row["n"], row["people"] or 0]
    visits = VisitorCount.objects.order_by().annotate(m=TruncMonth("date")).values("station_id", "m")
    for row in visits.annotate(n=Sum("visitors")):
        read.setdefault((row["station_id"], row["m"]), [0, 0, 0])[2] = row["n"] or 0
    return {key: tuple(value) for key, value in read.items() if any(value)}


def station_months_held() -> dict[tuple[int, object], tuple[int, int, int]]:
    rows = StationMonth.objects.values_list("station_id", "month", "activities", "participants", "visitors")
    return {(pk, month): (a, p, v) for pk, month, a, p, v in rows if a or p or v}


def station_months_rebuild() -> dict:
    """Make the stations' months equal a fresh count of the logs; {"checked": n, "repaired": n rows}."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("LOCK TABLE stations_activity, stations_visitorcount IN SHARE MODE")
        read, held = station_months_read(), station_months_held()
        repaired = [key for key in read.keys() | held.keys() if read.get(key) != held.get(key)]
        for station_id, month in repaired:
            a, p, v = read.get((station_id, month), (0, 0, 0))
            StationMonth.objects.update_or_create(
                station_id=station_id, month=month, defaults={"activities": a, "participants": p, "visitors": v}
            )
    return {"checked": len(read), "repaired": len(repaired)}
