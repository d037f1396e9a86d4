"""Employment figures per station, town or county over a period, counted from the records (never typed): the
vacancies and posts, the wishes, the referrals (就业意向) and the hires (解决就业); the printed sheets' issues
and editions; the fairs' employers, posts, intentions and hires. Every reader passes the user: rows are scoped."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from employment.choices import Outcome, VacancyStatus
from employment.models import FairEmployer, FairSignup
from employment.selectors.lists import (
    fairs_reached,
    referrals_reached,
    sheets_reached,
    vacancies_reached,
    wishes_reached,
)
from outreach.models import SignUp

GROUPS = {"station": ("station__name", ""), "town": ("station__region__name", ""), "county": ("station__county", "")}
PUBLISHED = (VacancyStatus.PUBLISHED, VacancyStatus.FILLED)
METRICS = ("vacancies", "posts", "wishes", "referrals", "hires")


@dataclass
class Figures:
    rows: list[dict] = field(default_factory=list)
    total: dict = field(default_factory=dict)


def _between(start: dt.date, end: dt.date, name: str) -> Q:
    """``start`` to ``end`` inclusive; a timestamp column is compared with local midnights."""
    low, high = start, end + dt.timedelta(days=1)
    if name.endswith("_at"):
        low, high = (timezone.make_aware(dt.datetime.combine(day, dt.time())) for day in (low, high))
    return Q(**{f"{name}__gte": low, f"{name}__lt": high})


def employment_figures(*, user, start: dt.date, end: dt.date, group: str = "county") -> Figures:
    """One row per station, town or county (``group``) that has anything in the period, and the total."""
    key = GROUPS[group][0]
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(METRICS, 0))
    vacancies = vacancies_reached(user).filter(_between(start, end, "created_at"), status__in=PUBLISHED)
    for row in vacancies.values(key).annotate(n=Count("pk"), posts=Coalesce(Sum("posts"), 0)):
        counts[row[key]]["vacancies"] += row["n"]
        counts[row[key]]["posts"] += row["posts"]
    for row in wishes_reached(user).filter(_between(start, end, "created_at")).values(key).annotate(n=Count("pk")):
        counts[row[key]]["wishes"] += row["n"]
    vkey = f"vacancy__{key}"
    referrals = referrals_reached(user).filter(_between(start, end, "referred_on"))
    for row in referrals.values(vkey).annotate(n=Count("pk"), hires=Count("pk", filter=Q(outcome=Outcome.HIRED))):
        counts[row[vkey]]["referrals"] += row["n"]
        counts[row[vkey]]["hires"] += row["hires"]
    rows = [{"name": name, **values} for name, values in sorted(counts.items(), key=lambda item: str(item[0]))]
    total = {metric: sum(row[metric] for row in rows) for metric in METRICS}
    return Figures(rows=rows, total=total)


def posts_by_title(*, user, start: dt.date, end: dt.date, station=None) -> list[tuple[str, int]]:
    """The notice of vacancies as the station shows it: (job title, posts), most posts first."""
    vacancies = vacancies_reached(user).filter(_between(start, end, "created_at"), status__in=PUBLISHED)
    if station is not None:
        vacancies = vacancies.filter(station=station)
    rows = vacancies.values("title").annotate(posts=Sum("posts")).order_by("-posts", "title")
    return [(row["title"], row["posts"]) for row in rows]


def sheet_numbering(*, user, year: int, station=None) -> dict[str, int]:
    """Issues (第N期) and editions (版) printed in ``year``."""
    sheets = sheets_reached(user).filter(year=year)
    if station is not None:
        sheets = sheets.filter(station=station)
    issues = sheets.values("station_id", "issue").distinct().count()
    return {"issues": issues, "editions": sheets.count()}


def fair_figures(*, user, start: dt.date, end: dt.date, online: bool | None = None) -> dict[str, int]:
    """Fairs held in the period: how many, employers, posts, sign-ups, check-ins, intentions, hires."""
    fairs = fairs_reached(user).filter(held_on__gte=start, held_on__lte=end)
    if online is not None:
        fairs = fairs.filter(online=online)
    employers = FairEmployer.objects.filter(fair__in=fairs).aggregate(
        employers=Count("pk"), posts=Coalesce(Sum("posts"), 0)
    )
    signups = FairSignup.objects.filter(fair__in=fairs).aggregate(
        signups=Count("pk", filter=Q(fair__event__isnull=True)),
        checked_in=Count("pk", filter=Q(checked_in=True, fair__event__isnull=True)),
        intentions=Count("pk", filter=Q(intention=True)),
        hires=Count("pk", filter=Q(hired=True)),
    )
    # Fairs held as outreach events: their sign-ups and check-ins are the event's.
    events = SignUp.objects.filter(event__job_fair__in=fairs, cancelled_at__isnull=True).aggregate(
        signups=Count("pk"), checked_in=Count("pk", filter=Q(checked_in_at__isnull=False))
    )
    signups["signups"] += events["signups"]
    signups["checked_in"] += events["checked_in"]
    return {"fairs": fairs.count(), **employers, **signups}


def fair_results(fair) -> dict[str, int]:
    """One fair's results: employers, posts, sign-ups, check-ins, intentions, hires. A fair held as an outreach
    event counts its sign-ups and check-ins there (not cancelled; checked in at the door)."""
    employers = fair.employers.aggregate(employers=Count("pk"), posts=Coalesce(Sum("posts"), 0))
    signups = fair.signups.aggregate(
        signups=Count("pk"),
        checked_in=Count("pk", filter=Q(checked_in=True)),
        intentions=Count("pk", filter=Q(intention=True)),
        hires=Count("pk", filter=Q(hired=True)),
    )
    if fair.event_id:
        signups |= SignUp.objects.filter(event_id=fair.event_id, cancelled_at__isnull=True).aggregate(
            signups=Count("pk"), checked_in=Count("pk", filter=Q(checked_in_at__isnull=False))
        )
    return {**employers, **signups}
