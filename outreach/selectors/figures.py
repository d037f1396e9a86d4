"""Outreach figures: the funnel, coverage per town and county, a desk's applications, a project's progress.

Coverage (Renhuai's measure): workers in employers that have a union ÷ all workers on the register, and
members (in those employers' unions) ÷ workers. The funnel reads each employer's stage, except that an
employer with a union counts as "union founded", and as "members joined" once its union has a member."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from membership.choices import ApplicationStatus
from membership.models import Member, MembershipApplication
from outreach.choices import Measure, Stage
from outreach.models import CheckIn, Employer, JoiningDesk, ServiceProject, SignUp
from unionhub.models.regions import Region


def _ratio(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal("0.0")
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def with_effective_stage(employers: QuerySet) -> QuerySet:
    """Employers annotated ``has_members``: their union has at least one member."""
    return employers.annotate(has_members=Exists(Member.objects.filter(union_id=OuterRef("union_id"))))


def funnel(employers: QuerySet) -> dict[str, int]:
    """How many employers stand at each step: stage value -> count (every step present)."""
    rows = with_effective_stage(employers).aggregate(
        joined=Count("pk", filter=Q(union__isnull=False, has_members=True)),
        founded=Count("pk", filter=Q(union__isnull=False, has_members=False)),
        willing=Count("pk", filter=Q(union__isnull=True, stage=Stage.WILLING)),
        visited=Count("pk", filter=Q(union__isnull=True, stage=Stage.VISITED)),
        none=Count("pk", filter=Q(union__isnull=True) & ~Q(stage__in=[Stage.WILLING, Stage.VISITED])),
    )
    return {stage.value: rows[stage.value] for stage in Stage}


@dataclass(frozen=True)
class Coverage:
    code: str
    name: str
    employers: int
    workers: int
    covered_workers: int
    members: int

    @property
    def uncovered_workers(self) -> int:
        return self.workers - self.covered_workers

    @property
    def coverage(self) -> Decimal:
        return _ratio(self.covered_workers, self.workers)

    @property
    def membership(self) -> Decimal:
        return _ratio(self.members, self.workers)


def coverage_by_town(employers: QuerySet) -> tuple[list[Coverage], Coverage]:
    """Coverage per town and for everything given (the county, when one county's register is given)."""
    rows = (
        employers.order_by()
        .values("town_id")
        .annotate(
            n=Count("pk"),
            workers_sum=Coalesce(Sum("workers"), 0),
            covered=Coalesce(Sum("workers", filter=Q(union__isnull=False)), 0),
        )
    )
    members = dict(
        Member.objects.filter(union_id__in=employers.filter(union__isnull=False).values("union_id"))
        .order_by()
        .values("union__region_id")
        .annotate(n=Count("pk"))
        .values_list("union__region_id", "n")
    )
    names = dict(Region.objects.filter(code__in=[r["town_id"] for r in rows]).values_list("code", "name"))
    towns = [
        Coverage(
            r["town_id"],
            names.get(r["town_id"], r["town_id"]),
            r["n"],
            r["workers_sum"],
            r["covered"],
            members.get(r["town_id"], 0),
        )
        for r in sorted(rows, key=lambda r: r["town_id"])
    ]
    total = Coverage(
        "",
        "",
        sum(t.employers for t in towns),
        sum(t.workers for t in towns),
        sum(t.covered_workers for t in towns),
        sum(t.members for t in towns),
    )
    return towns, total


def desk_applications(desk: JoiningDesk) -> QuerySet:
    """The applications made through the desk: its code as their ``event``, inside its time window."""
    return MembershipApplication.objects.filter(
        event=desk.code, submitted_at__gte=desk.starts_at, submitted_at__lte=desk.ends_at
    )


def desk_figures(desk: JoiningDesk) -> dict:
    """Applications, approved, and both by occupation."""
    applications = desk_applications(desk)
    occupations = MembershipApplication._meta.get_field("occupation").choices
    labels = dict(occupations)
    by_occupation = (
        applications.order_by()
        .values("occupation")
        .annotate(n=Count("pk"), approved=Count("pk", filter=Q(status=ApplicationStatus.APPROVED)))
    )
    return {
        "applications": applications.count(),
        "approved": applications.filter(status=ApplicationStatus.APPROVED).count(),
        "by_occupation": sorted(
            ((labels.get(r["occupation"], r["occupation"]), r["n"], r["approved"]) for r in by_occupation),
            key=lambda row: -row[1],
        ),
    }


def event_figures(event) -> dict:
    """Signed up, checked in, members and not, and the applications at its desks."""
    signups = SignUp.objects.filter(event=event, cancelled_at__isnull=True)
    applications = 0
    for desk in event.desks.all():
        applications += desk_applications(desk).count()
    return {
        "signed_up": signups.count(),
        "checked_in": signups.filter(checked_in_at__isnull=False).count(),
        "members": signups.filter(is_member=True, checked_in_at__isnull=False).count(),
        "scans": CheckIn.objects.filter(event=event).count(),
        "applications": applications,
    }


def project_progress(project: ServiceProject) -> int:
    """What counts toward the project, by its measure."""
    if project.measure == Measure.EVENTS:
        return project.events.filter(cancelled=False).count()
    if project.measure == Measure.PARTICIPANTS:
        return SignUp.objects.filter(event__project=project, checked_in_at__isnull=False).count()
    if project.measure == Measure.VISITS:
        return project.visits.values("employer").distinct().count()
    if project.measure == Measure.UNIONS:
        return (
            Employer.objects.filter(
                town__code__startswith=project.county_id, visits__project=project, union__isnull=False
            )
            .distinct()
            .count()
        )
    if project.measure == Measure.APPLICATIONS:
        return sum(desk_applications(desk).count() for desk in project.desks.all())
    return 0


def project_percent(project: ServiceProject) -> Decimal:
    return _ratio(project_progress(project), project.target)


def headline_projects(projects: QuerySet, year: int) -> list[tuple[ServiceProject, int, Decimal]]:
    """The county headline targets of ``year`` with their progress (for the dashboard and the workbench)."""
    found = []
    for project in projects.filter(year=year, headline=True).order_by("title")[:12]:
        done = project_progress(project)
        found.append((project, done, _ratio(done, project.target)))
    return found
