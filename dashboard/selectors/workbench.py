"""The workbench: what waits for each person, as counted links, read through the domain apps' selectors and
scoped to the user. A link to a filtered list is counted by that list's selector over the link's own query
string (``_listed``), so it opens exactly the rows it counted. All the items are counted in one statement;
items a user has no permission to open are left out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import QueryDict
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.selectors.clock import PACKAGE_YEARS, calendar_years_loaded
from casework.selectors.lists import mediation_list, request_list
from employment.selectors.lists import referral_list, vacancy_list, wish_list
from hardship.selectors.lists import cycle_list, household_list, recheck_list
from membership.selectors.lists import application_list
from outreach.selectors import headline_projects
from outreach.selectors.lists import employer_list, project_list, projects_reached
from stations.selectors.lists import (
    evaluation_list,
    rectifications_reached,
    station_list,
    subsidy_runs_reached,
)
from stations.selectors.subsidies import runs_to_approve
from unionhub.db.counting import count_all
from unionhub.models import Job
from unionhub.models.jobs import JobStatus
from unionhub.scoping import reach_of, scope_queryset


@dataclass(frozen=True)
class Item:
    """One line of the workbench: what waits, how many, where to act; ``urgent`` items are shown in red."""

    label: str
    count: int
    url: str
    urgent: bool = False
    warning: bool = False  # shown in red whatever the count (next year's calendar missing)


@dataclass(frozen=True)
class _Pending:
    """An item whose rows are still a queryset: all of them are counted together, in one statement."""

    label: str
    rows: QuerySet
    url: str
    urgent: bool = False
    warning: bool = False
    hide_when_none: bool = False
    # Next year's calendar: when ``probe`` counts nothing, the item is shown as ``warning_label``, in red.
    probe: QuerySet | None = None
    warning_label: str = ""
    relabel: Callable[[int], str] | None = None  # the label from the count (a progress to say)


def _may(user, perm: str) -> bool:
    return user.has_perm(perm)


def _changelist(label: str, query: str = "") -> str:
    try:
        return reverse(f"admin:{label}_changelist") + (f"?{query}" if query else "")
    except NoReverseMatch:  # a model without a list of its own (jobs show on their subjects' pages)
        return ""


def _listed(
    text: str,
    read: Callable[..., QuerySet],
    user,
    label: str,
    query: str = "",
    urgent: bool = False,
    warning: bool = False,
):
    """An item counting a list read through its selector (``<app>.selectors.lists``) with ``query`` - the very
    query string its link opens the changelist at, so the count is the list's by construction. None when the
    user may not read the list (the selector refuses)."""
    try:
        rows = read(user=user, filters=QueryDict(query))
    except PermissionDenied:
        return None
    return _Pending(text, rows, _changelist(label, query), urgent=urgent, warning=warning)


def _calendar_item(user, today: dt.date) -> _Pending | None:
    """From 1 December, a warning while next year's holidays are not loaded for the user's region; and at any
    time, the open requests whose due dates are provisional (counted across a year not loaded), linked."""
    next_year = today.year + 1
    text = _("Requests with provisional due dates (a year's holidays not loaded)")
    item = _listed(text, request_list, user, "casework_workerrequest", "due=provisional", urgent=True)
    if item is None:
        return None
    item = replace(item, hide_when_none=True)
    if today.month == 12 and next_year not in PACKAGE_YEARS:  # counted with the rest: see ``workbench_items``
        warning = _("%(year)s holidays not loaded: load them; requests with provisional due dates")
        probe = calendar_years_loaded(next_year, reach_of(user).region_code)
        item = replace(item, probe=probe, warning_label=warning % {"year": next_year})
    return item


def workbench_items(user: AbstractBaseUser, today: dt.date | None = None) -> list[Item]:
    """Everything waiting for ``user`` that they may open, in the order staff work through it, every count in
    one statement (``unionhub.db.counting.count_all``)."""
    today = today or timezone.localdate()
    items: list[_Pending | None] = []
    if _may(user, "membership.change_membershipapplication"):
        queue = "membership_membershipapplication"
        items.append(_listed(_("Applications waiting"), application_list, user, queue))  # the queue: pending
        items.append(
            _listed(_("Applications past the promise"), application_list, user, queue, "waiting=overdue", urgent=True)
        )
    if _may(user, "casework.change_workerrequest"):
        requests = "casework_workerrequest"
        items.append(_listed(_("Requests past their limit"), request_list, user, requests, "due=overdue", urgent=True))
        items.append(_listed(_("Requests due soon"), request_list, user, requests, "due=soon"))
        items.append(
            _listed(_("Requests no one is acting on"), request_list, user, requests, "due=stalled", urgent=True)
        )
    if _may(user, "casework.view_workerrequest"):
        items.append(_calendar_item(user, today))
    if _may(user, "casework.view_mediationcase"):
        cases = "casework_mediationcase"
        items.append(_listed(_("Mediation cases near the 15-day period"), mediation_list, user, cases, "period=near"))
        items.append(
            _listed(
                _("Cases with overdue instalments"), mediation_list, user, cases, "instalments=overdue", urgent=True
            )
        )
    # Jobs at the stations (employment): the 监督核查 queue, wishes waiting for a match, referrals to follow up.
    if _may(user, "employment.change_vacancy"):
        items.append(_listed(_("Vacancies to check"), vacancy_list, user, "employment_vacancy", "status__exact=draft"))
    if _may(user, "employment.change_jobwish"):
        items.append(_listed(_("Job wishes waiting"), wish_list, user, "employment_jobwish", "waiting=yes"))
    if _may(user, "employment.change_referral"):
        items.append(
            _listed(
                _("Referrals without an outcome"), referral_list, user, "employment_referral", "outcome__exact=pending"
            )
        )
    if _may(user, "stations.change_rectification"):
        items.append(
            _listed(
                _("Stations with an overdue rectification"),
                station_list,
                user,
                "stations_station",
                "rectification=overdue",
            )
        )
    if _may(user, "stations.approve_evaluation"):
        items.append(
            _listed(
                _("Evaluations to approve"), evaluation_list, user, "stations_evaluation", "status__exact=submitted"
            )
        )
    if _may(user, "stations.change_station"):
        items.append(
            _listed(_("Star levels expiring soon"), station_list, user, "stations_station", "rating_flag=expiring")
        )
    if _may(user, "stations.approve_subsidyrun"):
        runs = runs_to_approve(subsidy_runs_reached(user))
        url = _changelist("stations_subsidyrun", "status=proposed")
        items.append(_Pending(_("Subsidy runs to approve"), runs, url))
    if _may(user, "hardship.change_household"):  # hardship assistance: the register's to-dos
        households = "hardship_household"
        items.append(_listed(_("Hardship applications in progress"), household_list, user, households, "waiting=yes"))
        items.append(_listed(_("Public notices ending"), household_list, user, households, "notice=ending"))
        items.append(
            _listed(_("Notices ended, to approve"), household_list, user, households, "notice=ended", urgent=True)
        )
    if _may(user, "hardship.change_recheck"):
        items.append(
            _listed(_("Re-checks overdue"), recheck_list, user, "hardship_recheck", "recheck=overdue", urgent=True)
        )
    if _may(user, "hardship.change_cycle"):
        items.append(
            _listed(_("Assistance cycles to approve"), cycle_list, user, "hardship_cycle", "status__exact=proposed")
        )
    if _may(user, "unionhub.view_job"):
        # The last seven days by local date, counted and linked with the same lookup.
        since = today - dt.timedelta(days=6)
        failed = scope_queryset(Job.objects.all(), user).filter(status=JobStatus.FAILED, created_at__date__gte=since)
        items.append(
            _Pending(
                _("Imports and jobs that failed this week"),
                failed,
                _changelist("unionhub_job", f"status__exact=failed&created_at__date__gte={since.isoformat()}"),
                urgent=True,
            )
        )
    if _may(user, "stations.add_station") or (
        _may(user, "stations.view_station") and not _may(user, "stations.add_activity")
    ):
        items.append(
            _listed(
                _("Stations with no activity for %(n)s months") % {"n": settings.STATION_INACTIVE_MONTHS},
                station_list,
                user,
                "stations_station",
                "inactive=yes",
            )
        )
    if _may(user, "stations.add_evaluation") and not _may(user, "stations.approve_evaluation"):
        items.append(
            _listed(_("Evaluations in progress"), evaluation_list, user, "stations_evaluation", "progress=open")
        )
        items.append(
            _listed(_("Stations due for evaluation"), station_list, user, "stations_station", "rating_flag=due")
        )
    if _may(user, "stations.add_activity") and not _may(user, "stations.add_station"):
        items.append(_listed(_("Your stations"), station_list, user, "stations_station"))
        if _may(user, "stations.view_rectification"):
            recent = rectifications_reached(user).filter(closed_on__isnull=True)
            items.append(
                _Pending(
                    _("Open rectification notices"),
                    recent,
                    _changelist("stations_rectification", "closed_on__isnull=True"),
                )
            )
    # Outreach: employers willing to found a union (the team's next visits), the county's headline targets.
    if _may(user, "outreach.change_employer"):
        items.append(
            _listed(
                _("Employers willing to found a union"),
                employer_list,
                user,
                "outreach_employer",
                "stage__exact=willing",
            )
        )
    if _may(user, "outreach.view_serviceproject"):
        query = f"year__exact={today.year}&headline__exact=1"
        targets = _listed(_("County headline targets this year"), project_list, user, "outreach_serviceproject", query)
        if targets is not None:  # their progress, once counted: how many are met already

            def progress(count: int) -> str:
                met = sum(percent >= 100 for _p, _d, percent in headline_projects(projects_reached(user), today.year))
                return _("County headline targets this year (%(met)s of %(n)s met)") % {"met": met, "n": count}

            targets = replace(targets, relabel=progress)
        items.append(targets)
    pending = [item for item in items if item is not None and item.url]
    probes = [item.probe for item in pending if item.probe is not None]
    counts = count_all([item.rows for item in pending] + probes)
    found = iter(counts[len(pending) :])
    counted = []
    for item, count in zip(pending, counts, strict=False):
        if item.probe is not None and not next(found):  # next year's calendar is missing: say so, in red
            counted.append(Item(item.warning_label, count, item.url, urgent=True, warning=True))
        elif count or not item.hide_when_none:
            label = item.relabel(count) if item.relabel is not None and count else item.label
            counted.append(Item(label, count, item.url, urgent=item.urgent, warning=item.warning))
    return counted
