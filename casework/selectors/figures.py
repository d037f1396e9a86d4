"""Figures per station, county and period: requests (有时限, 有评判) and mediation (Xiamen's table).

Each figure is one aggregate query grouped by station, plus one list of durations for the medians; the cost
does not depend on how many requests or cases there are beyond what the database scans."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from casework.choices import CaseStatus, EventKind
from casework.models import ClaimItem, Instalment, RequestEvent

ZERO = Decimal("0.00")


def _money(value) -> Decimal:
    # SQLite sums decimals as floats; figures are yuan with two places whatever the database.
    return Decimal(str(value or 0)).quantize(ZERO)


@dataclass
class Row:
    """One line of the table: a station (or "no station") or the total."""

    label: str
    received: int = 0
    closed: int = 0
    within_limit: int = 0
    referred: int = 0
    to_mediation: int = 0
    escalations: int = 0
    rating_sum: float = 0.0
    rating_count: int = 0
    close_days: list = field(default_factory=list)
    cases_received: int = 0
    cases_closed: int = 0
    cases_settled: int = 0
    claimed: Decimal = ZERO
    agreed: Decimal = ZERO
    paid: Decimal = ZERO
    case_days: list = field(default_factory=list)

    @property
    def within_limit_share(self) -> float | None:
        return self.within_limit / self.closed if self.closed else None

    @property
    def average_rating(self) -> float | None:
        return self.rating_sum / self.rating_count if self.rating_count else None

    @property
    def median_days(self) -> float | None:
        return statistics.median(self.close_days) if self.close_days else None

    @property
    def median_case_days(self) -> float | None:
        return statistics.median(self.case_days) if self.case_days else None


def _bounds(start: dt.date, end: dt.date):
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=tz),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=tz),
    )


def casework_figures(
    *, requests: QuerySet, cases: QuerySet, start: dt.date, end: dt.date, station_names: dict
) -> tuple[list[Row], Row]:
    """Rows per station and the total for requests and cases in ``start``..``end`` (inclusive).

    ``requests``/``cases`` are already scoped to the user. Received counts what arrived in the period, closed
    what was resolved/closed in it (whenever it arrived). A request the union passed on - referred to another
    department or taken into mediation - is not "resolved within the limit": it counts in its own column
    (``referred``; ``to_mediation`` counts hand-offs made in the period), and mediation by its case's outcome.
    Money: claimed on cases received, agreed on cases settled, paid on instalments paid in the period
    (``paid_on``), whenever the case closed."""
    since, until = _bounds(start, end)
    rows: dict[object, Row] = {}

    def row(station_id) -> Row:
        if station_id not in rows:
            rows[station_id] = Row(label=station_names.get(station_id, "—"))
        return rows[station_id]

    for item in (
        requests.filter(filed_at__gte=since, filed_at__lt=until).values("station_id").annotate(n=Count("pk")).order_by()
    ):
        row(item["station_id"]).received = item["n"]
    ended = requests.filter(resolved_at__gte=since, resolved_at__lt=until).annotate(
        referred=Exists(RequestEvent.objects.filter(request=OuterRef("pk"), kind=EventKind.REFERRED)),
        to_mediation=Exists(RequestEvent.objects.filter(request=OuterRef("pk"), kind=EventKind.MEDIATION)),
    )
    for item in (
        ended.values("station_id")
        .annotate(referred_n=Count("pk", filter=Q(referred=True, to_mediation=False)))
        .order_by()
    ):
        row(item["station_id"]).referred = item["referred_n"]
    # Taken into mediation in the period (the hand-off's own date: the request is resolved only when its case
    # closes, which is counted with the cases below).
    for item in (
        RequestEvent.objects.filter(request__in=requests, kind=EventKind.MEDIATION, at__gte=since, at__lt=until)
        .values("request__station_id")
        .annotate(n=Count("request", distinct=True))
        .order_by()
    ):
        row(item["request__station_id"]).to_mediation = item["n"]
    resolved = ended.filter(referred=False, to_mediation=False)
    for item in (
        resolved.values("station_id")
        .annotate(
            n=Count("pk"),
            within=Count("pk", filter=Q(resolved_at__date__lte=F("resolve_due_on"))),
        )
        .order_by()
    ):
        row(item["station_id"]).closed = item["n"]
        row(item["station_id"]).within_limit = item["within"]
    for station_id, filed_at, resolved_at in resolved.values_list("station_id", "filed_at", "resolved_at"):
        row(station_id).close_days.append((resolved_at - filed_at).total_seconds() / 86400)
    for item in (
        RequestEvent.objects.filter(
            request__in=requests, kind__in=(EventKind.ESCALATED, EventKind.FORWARDED), at__gte=since, at__lt=until
        )
        .values("request__station_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        row(item["request__station_id"]).escalations = item["n"]
    for item in (
        requests.filter(rated_at__gte=since, rated_at__lt=until)
        .values("station_id")
        .annotate(n=Count("pk"), total=Sum("rating"))
        .order_by()
    ):
        row(item["station_id"]).rating_count = item["n"]
        row(item["station_id"]).rating_sum = float(item["total"] or 0)

    received = cases.filter(received_on__range=(start, end))
    for item in received.values("station_id").annotate(n=Count("pk")).order_by():
        row(item["station_id"]).cases_received = item["n"]
    closed = cases.filter(closed_on__range=(start, end)).exclude(status=CaseStatus.OPEN)
    for item in (
        closed.values("station_id")
        .annotate(n=Count("pk"), settled=Count("pk", filter=Q(status=CaseStatus.SETTLED)))
        .order_by()
    ):
        row(item["station_id"]).cases_closed = item["n"]
        row(item["station_id"]).cases_settled = item["settled"]
    for station_id, received_on, closed_on in closed.values_list("station_id", "received_on", "closed_on"):
        row(station_id).case_days.append((closed_on - received_on).days)
    for item in (
        ClaimItem.objects.filter(case__in=received)
        .values("case__station_id")
        .annotate(total=Sum("amount_claimed"))
        .order_by()
    ):
        row(item["case__station_id"]).claimed = _money(item["total"])
    settled = closed.filter(status=CaseStatus.SETTLED)
    for item in (
        ClaimItem.objects.filter(case__in=settled)
        .values("case__station_id")
        .annotate(total=Sum("amount_agreed"))
        .order_by()
    ):
        row(item["case__station_id"]).agreed = _money(item["total"])
    for item in (
        Instalment.objects.filter(agreement__case__in=cases, paid_on__range=(start, end))
        .values("agreement__case__station_id")
        .annotate(total=Sum("amount_paid"))
        .order_by()
    ):
        row(item["agreement__case__station_id"]).paid = _money(item["total"])

    ordered = sorted(rows.values(), key=lambda r: (r.label == "—", r.label))
    total = Row(label="")
    for r in ordered:
        for name in (
            "received",
            "closed",
            "within_limit",
            "referred",
            "to_mediation",
            "escalations",
            "rating_count",
            "cases_received",
            "cases_closed",
            "cases_settled",
        ):
            setattr(total, name, getattr(total, name) + getattr(r, name))
        total.rating_sum += r.rating_sum
        total.claimed += r.claimed
        total.agreed += r.agreed
        total.paid += r.paid
        total.close_days += r.close_days
        total.case_days += r.case_days
    return ordered, total


def average_rating(requests: QuerySet) -> float | None:
    return requests.filter(rating__isnull=False).aggregate(avg=Avg("rating"))["avg"]


def cases_with_overdue_instalments(cases: QuerySet, today: dt.date) -> QuerySet:
    return cases.filter(
        agreement__instalments__due_on__lt=today,
        agreement__instalments__amount_paid__lt=F("agreement__instalments__amount"),
    ).distinct()


def figures_default_period(*, requests: QuerySet, cases: QuerySet, today: dt.date) -> tuple[dt.date, dt.date]:
    """The period the figures page opens on: this year so far, or - when nothing in reach arrived this year yet
    (early January, or figures kept for an earlier year) - the whole latest year in which something arrived,
    so that the first look shows real figures rather than a table of zeros."""
    year_start = today.replace(month=1, day=1)
    latest_request = requests.order_by("-filed_at").values_list("filed_at", flat=True).first()
    latest_case = cases.order_by("-received_on").values_list("received_on", flat=True).first()
    latest = [d for d in (timezone.localtime(latest_request).date() if latest_request else None, latest_case) if d]
    if not latest or max(latest) >= year_start or max(latest) > today:
        return year_start, today
    year = max(latest).year
    return dt.date(year, 1, 1), dt.date(year, 12, 31)
