"""The workbench: what waits for each person, as counted links, read through the domain apps' selectors and
scoped to the user. One count query per item; items a user has no permission to open are left out."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.choices import OPEN_STATUSES
from casework.models import MediationCase
from casework.selectors.figures import cases_with_overdue_instalments
from casework.selectors.reach import requests_reached
from membership.choices import ApplicationStatus
from membership.models import MembershipApplication
from membership.selectors import applications as application_selectors
from stations import selectors as station_selectors
from stations.models import Evaluation, Rectification, Station, SubsidyRun
from stations.models.ratings import EvaluationStatus
from stations.selectors.subsidies import runs_to_approve
from unionhub.models import Job
from unionhub.models.jobs import JobStatus
from unionhub.scoping import scope_queryset

MEDIATION_WARNING_DAYS = 3  # a case within this many days of its 15-day period is shown


@dataclass(frozen=True)
class Item:
    """One line of the workbench: what waits, how many, where to act; ``urgent`` items are shown in red."""

    label: str
    count: int
    url: str
    urgent: bool = False


def _may(user, perm: str) -> bool:
    return user.has_perm(perm)


def _changelist(label: str, query: str = "") -> str:
    try:
        return reverse(f"admin:{label}_changelist") + (f"?{query}" if query else "")
    except NoReverseMatch:  # a model without a list of its own (jobs show on their subjects' pages)
        return ""


def workbench_items(user: AbstractBaseUser, today: dt.date | None = None) -> list[Item]:
    """Everything waiting for ``user`` that they may open, in the order staff work through it."""
    today = today or timezone.localdate()
    items: list[Item] = []
    stations = scope_queryset(Station.objects.all(), user)
    if _may(user, "membership.change_membershipapplication"):
        pending = scope_queryset(MembershipApplication.objects.all(), user).filter(status=ApplicationStatus.PENDING)
        items.append(Item(_("Applications waiting"), pending.count(), _changelist("membership_membershipapplication")))
        items.append(
            Item(
                _("Applications past the promise"),
                application_selectors.pending_overdue_count(user),
                _changelist("membership_membershipapplication", "waiting=overdue"),
                urgent=True,
            )
        )
    if _may(user, "casework.change_workerrequest"):
        requests = requests_reached(user).filter(status__in=OPEN_STATUSES)
        items.append(
            Item(
                _("Requests past their limit"),
                requests.filter(level_due_on__lt=today).count(),
                _changelist("casework_workerrequest"),
                urgent=True,
            )
        )
        items.append(
            Item(
                _("Requests due soon"),
                requests.filter(level_due_on__gte=today, due_soon_on__lte=today).count(),
                _changelist("casework_workerrequest"),
            )
        )
    if _may(user, "casework.view_mediationcase"):
        cases = scope_queryset(MediationCase.objects.all(), user)
        open_cases = cases.filter(closed_on__isnull=True)
        near = open_cases.filter(received_on__lte=today - dt.timedelta(days=15 - MEDIATION_WARNING_DAYS)).count()
        items.append(Item(_("Mediation cases near the 15-day period"), near, _changelist("casework_mediationcase")))
        items.append(
            Item(
                _("Cases with overdue instalments"),
                cases_with_overdue_instalments(cases, today).count(),
                _changelist("casework_mediationcase"),
                urgent=True,
            )
        )
    if _may(user, "stations.change_rectification"):
        overdue = station_selectors.stations_with_overdue_rectification(stations, today=today).count()
        items.append(
            Item(
                _("Stations with an overdue rectification"),
                overdue,
                _changelist("stations_station", "rectification=overdue"),
            )
        )
    if _may(user, "stations.approve_evaluation"):
        submitted = scope_queryset(Evaluation.objects.all(), user).filter(status=EvaluationStatus.SUBMITTED)
        items.append(
            Item(_("Evaluations to approve"), submitted.count(), _changelist("stations_evaluation", "status=submitted"))
        )
    if _may(user, "stations.change_station"):
        items.append(
            Item(
                _("Star levels expiring soon"),
                station_selectors.stations_star_expiring(stations, today=today).count(),
                _changelist("stations_station", "rating_flag=expiring"),
            )
        )
    if _may(user, "stations.approve_subsidyrun"):
        runs = runs_to_approve(scope_queryset(SubsidyRun.objects.all(), user))
        items.append(
            Item(_("Subsidy runs to approve"), runs.count(), _changelist("stations_subsidyrun", "status=proposed"))
        )
    if _may(user, "unionhub.view_job"):
        failed = scope_queryset(Job.objects.all(), user).filter(status=JobStatus.FAILED)
        since = timezone.now() - dt.timedelta(days=7)
        items.append(
            Item(
                _("Imports and jobs that failed this week"),
                failed.filter(created_at__gte=since).count(),
                _changelist("unionhub_job", "status__exact=failed"),
                urgent=True,
            )
        )
    if _may(user, "stations.add_station") or (
        _may(user, "stations.view_station") and not _may(user, "stations.add_activity")
    ):
        items.append(
            Item(
                _("Stations with no activity for %(n)s months") % {"n": settings.STATION_INACTIVE_MONTHS},
                station_selectors.stations_inactive(stations, today=today).count(),
                _changelist("stations_station", "inactive=yes"),
            )
        )
    if _may(user, "stations.add_evaluation") and not _may(user, "stations.approve_evaluation"):
        drafts = scope_queryset(Evaluation.objects.all(), user).filter(
            status__in=(EvaluationStatus.DRAFT, EvaluationStatus.RETURNED)
        )
        items.append(Item(_("Evaluations in progress"), drafts.count(), _changelist("stations_evaluation")))
        items.append(
            Item(
                _("Stations due for evaluation"),
                station_selectors.stations_due_for_reevaluation(stations, today=today).count(),
                _changelist("stations_station", "rating_flag=due"),
            )
        )
    if _may(user, "stations.add_activity") and not _may(user, "stations.add_station"):
        items.append(
            Item(_("Your stations"), stations.count(), _changelist("stations_station")),
        )
        recent = scope_queryset(Rectification.objects.all(), user).filter(closed_on__isnull=True).count()
        items.append(Item(_("Open rectification notices"), recent, _changelist("stations_rectification")))
    return [item for item in items if item.url]
