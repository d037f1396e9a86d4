"""Subsidy services: policies, runs and their allocations, approval and the payment list.

A run is computed set-based: a handful of grouped queries gather, for every station of the run's region at
once, what the rules need (star-level history, activities and visitors in the period, rectification notices,
delisting, subsidies already given elsewhere); one pure function per station applies the rules
(``station_allocations``), the county budget cap scales the result (``apply_budget_cap``), and the
allocations are written with one bulk insert under a row lock on the run. The number of queries does not
depend on the number of stations. The per-station peer that proves (in tests) and measures (in
``bench/subsidy_run.py``) that both agree lives in ``bench/_subsidy_naive.py``. A run is computed as a job
(``subsidy_run_start``; ``stations.tasks.subsidies``).

Idempotent and safe: recomputing replaces only the run's *proposed* allocations; an approved or paid run is
refused. Two computations of one run serialise on the run's row lock; a unique constraint (station, period,
type, and one construction subsidy per station ever) keeps two runs from ever writing the same allocation.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stations.choices import StationKind
from stations.models import SubsidyPolicy, SubsidyRate
from stations.models.subsidies import AllocationStatus, RunStatus, SubsidyRun
from stations.services.subsidy_compute import _compute, policy_covering
from stations.services.subsidy_rules import (
    ZERO,
)
from unionhub.money import MONEY_FORMAT
from unionhub.personal import BANK_ACCOUNT, PersonalData, mask
from unionhub.services.jobs import job_start
from unionhub.spreadsheets.writing import TEXT, Sheet, write_xlsx

# --- policies --------------------------------------------------------------------------------------------


def rates_check(rates: Iterable[tuple[str, int]]) -> list[str]:
    """Problems with a policy's (kind, stars) rate rows: a level given twice, or a gap between the levels of a
    kind (rates for 1 and 3 stars but not 2)."""
    problems, by_kind = [], defaultdict(list)
    for kind, stars in rates:
        by_kind[kind].append(stars)
    for kind, levels in sorted(by_kind.items()):
        label = StationKind(kind).label if kind in StationKind.values else kind
        if len(levels) != len(set(levels)):
            problems.append(_("%(kind)s: a star level has two rates.") % {"kind": label})
        present = sorted(set(levels))
        missing = [s for s in range(present[0], present[-1] + 1) if s not in present]
        if missing:
            problems.append(
                _("%(kind)s: no rate for %(levels)s stars, between the levels that have one.")
                % {"kind": label, "levels": "、".join(map(str, missing))}
            )
    return problems


@transaction.atomic
def subsidy_policy_save(*, policy: SubsidyPolicy, rates: Iterable[SubsidyRate] | None = None) -> SubsidyPolicy:
    """Validate a policy and its rates together and save them; nothing is written when any is wrong (the
    policy overlaps another of its region, its span is not whole periods, a rate is negative, a star level is
    given twice or skipped). ``rates`` replace the policy's rates when given."""
    policy.full_clean()
    rates = list(rates) if rates is not None else None
    if rates is not None:
        errors = []
        for rate in rates:
            try:
                rate.full_clean(exclude=["policy"], validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                errors += exc.messages
        errors += rates_check((r.kind, r.stars) for r in rates)
        if errors:
            raise ValidationError(errors)
    policy.save()
    if rates is not None:
        policy.rates.all().delete()
        for rate in rates:
            rate.policy = policy
            rate.pk = None
            rate.save()
    return policy


# --- runs ------------------------------------------------------------------------------------------------


def subsidy_run_create(
    *,
    region_code: str,
    period_start: dt.date,
    period_end: dt.date,
    existing_ok: bool = False,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> SubsidyRun | None:
    """A run (status "queued") for one period of the region's policy. Refused when the period has not ended
    (its last day is today or later: the run would count days that have not happened, and could be approved
    and paid), when no policy of the region covers the period (none at all, or a gap between policies) or the
    dates are not one of its periods. A run for the same region and period is returned when ``existing_ok``,
    else refused; two requests at once create one run. ``dry_run``: only check."""
    today = today or timezone.localdate()
    if period_end >= today:
        raise ValidationError(
            {
                "period_end": _(
                    "This period ends on %(end)s and has not ended yet. A run counts days that have passed, "
                    "so create it from %(next)s on."
                )
                % {"end": period_end, "next": period_end + dt.timedelta(days=1)}
            }
        )
    policy = policy_covering(region_code=region_code, period_start=period_start, period_end=period_end)
    if policy is None:
        raise ValidationError(
            _("No subsidy policy of this region covers %(start)s to %(end)s. Add a policy first.")
            % {"start": period_start, "end": period_end}
        )
    if (period_start, period_end) not in policy.periods():
        raise ValidationError(
            _("%(start)s to %(end)s is not a period of “%(policy)s”; its periods are: %(periods)s.")
            % {
                "start": period_start,
                "end": period_end,
                "policy": policy.name,
                "periods": ", ".join(f"{a}~{b}" for a, b in policy.periods()),
            }
        )
    existing = SubsidyRun.objects.filter(region_id=region_code, period_start=period_start, period_end=period_end)
    if existing.exists():
        if existing_ok:
            return existing.get()
        raise ValidationError(_("A run for this period already exists: recompute it instead."))
    if dry_run:
        return None
    run = SubsidyRun(region_id=region_code, policy=policy, period_start=period_start, period_end=period_end)
    run.full_clean(exclude=["policy"], validate_constraints=False)  # the unique constraint decides races
    try:
        with transaction.atomic():
            run.save()
    except IntegrityError:
        if existing_ok:
            return existing.get()
        raise ValidationError(_("A run for this period already exists: recompute it instead.")) from None
    return run


RUN_JOB = "stations.subsidy_run"


def subsidy_run_compute(*, run: SubsidyRun, progress=None) -> SubsidyRun:
    """Compute a run: every station's allocations for the period, replacing the run's proposed ones.
    Refused for an approved or paid run, or when no policy covers the period; on any failure the run is
    marked failed and nothing is written. Safe to repeat and to run twice at once."""
    return _compute(run, progress=progress)


def subsidy_run_start(*, run: SubsidyRun, user=None) -> SubsidyRun:
    """Queue the run's computation as a job (sent once the current transaction commits). Refused for an
    approved or paid run."""
    if SubsidyRun.objects.filter(pk=run.pk, status__in=[RunStatus.APPROVED, RunStatus.PAID]).exists():
        raise ValidationError(_("This run is approved: its allocations can no longer change."))
    with transaction.atomic():
        SubsidyRun.objects.filter(pk=run.pk).update(status=RunStatus.PENDING)
        job_start(kind=RUN_JOB, user=user, target=run, total=100)
    run.refresh_from_db()
    return run


def subsidy_run_job_failed(*, run_id: int) -> None:
    """A run whose job failed (its worker vanished) is marked failed; it can be computed again."""
    SubsidyRun.objects.filter(pk=run_id, status__in=[RunStatus.PENDING, RunStatus.COMPUTING]).update(
        status=RunStatus.FAILED
    )


def subsidy_runs_due_start(*, today: dt.date | None = None) -> list[int]:
    """Create the runs of periods that just ended and queue their computation (Celery beat)."""
    ids = []
    for run in subsidy_runs_due(today=today):
        subsidy_run_start(run=run)
        ids.append(run.pk)
    return ids


@transaction.atomic
def subsidy_run_approve(*, run: SubsidyRun, user=None) -> SubsidyRun:
    """Approve a computed run: it and its allocations are locked (recomputing is refused from now on).
    Recorded in the run's history with the approving user."""
    run = SubsidyRun.objects.select_for_update().get(pk=run.pk)
    if run.status != RunStatus.PROPOSED:
        raise ValidationError(_("Only a computed run awaiting approval can be approved."))
    run.allocations.update(status=AllocationStatus.APPROVED)
    run.status = RunStatus.APPROVED
    run.approved_by = user
    run.approved_at = timezone.now()
    run.save()
    return run


@transaction.atomic
def subsidy_run_mark_paid(*, run: SubsidyRun, user=None) -> SubsidyRun:
    """Record that finance has paid an approved run."""
    run = SubsidyRun.objects.select_for_update().get(pk=run.pk)
    if run.status != RunStatus.APPROVED:
        raise ValidationError(_("Only an approved run can be marked as paid."))
    run.allocations.update(status=AllocationStatus.PAID)
    run.status = RunStatus.PAID
    run.save()
    return run


def subsidy_runs_due(*, today: dt.date | None = None) -> list[SubsidyRun]:
    """Runs for every policy period that ended in the last 31 days and has no approved run yet, created if
    missing. Called by Celery beat; the caller queues their computation."""
    today = today or timezone.localdate()
    runs = []
    for policy in SubsidyPolicy.objects.filter(starts_on__lte=today, ends_on__gte=today - dt.timedelta(days=31)):
        for start, end in policy.periods():
            if end < today and (today - end).days <= 31:
                run = subsidy_run_create(
                    region_code=policy.region_id, period_start=start, period_end=end, existing_ok=True
                )
                if not run.is_locked:
                    runs.append(run)
    return runs


def subsidy_payment_export(*, run: SubsidyRun, user=None) -> bytes:
    """The payment list of an approved (or paid) run, laid out as a finance office uploads it to its bank: one
    row per station - 序号, 收款单位/户名 (the payee, else the host organisation), 开户银行, 银行账号, 金额 (a
    number in the money format), 用途/摘要 - and the total; the approval (who, when) in the caption. The
    account is in full only for a user who may reveal personal numbers (the file is logged as a reveal),
    masked otherwise. A station with money but no account is not dropped: it is listed on a second sheet
    with the reason, and the two totals add up to the run's. Refused for a run not yet approved."""
    if not run.is_locked:
        raise ValidationError(_("Approve the run before exporting its payment list."))
    payable, unpayable = payment_rows(run=run)
    access = PersonalData(user)
    if payable and access.may_reveal:
        access.export_logged(count=len(payable), label=str(_("Subsidy payment list")), region_id=run.region_id)
    account = (lambda value: value) if access.may_reveal else (lambda value: mask(value, BANK_ACCOUNT))
    approver = run.approved_by.get_full_name() or run.approved_by.get_username() if run.approved_by_id else ""
    approved = timezone.localtime(run.approved_at).strftime("%Y-%m-%d %H:%M") if run.approved_at else ""
    caption = [
        _("Subsidy payment list"),
        str(run.region),
        f"{run.period_start} ~ {run.period_end}",
        _("approved by %(name)s at %(time)s") % {"name": approver, "time": approved},
    ]
    headers = [_("No."), _("payee (account name)"), _("bank of the account"), _("bank account number")]
    headers += [_("amount (yuan)"), _("purpose")]
    paid_total = sum((row["amount"] for row in payable), ZERO)
    body = [
        [n, row["payee"], row["bank"], account(row["account"]), row["amount"], row["purpose"]]
        for n, row in enumerate(payable, start=1)
    ]
    body.append(["", _("Total"), "", "", paid_total, ""])
    sheets = [Sheet(_("payment list"), headers, body, formats={3: TEXT, 4: MONEY_FORMAT}, caption=caption)]
    if unpayable:
        left = [[row["code"], row["station"], row["amount"], row["problem"]] for row in unpayable]
        left.append(["", _("Total"), sum((row["amount"] for row in unpayable), ZERO), ""])
        sheets.append(
            Sheet(
                _("not payable yet"),
                [_("station code"), _("station"), _("amount (yuan)"), _("why it is not in the list")],
                left,
                formats={2: MONEY_FORMAT},
                caption=[_("Subsidy payment list"), _("stations left out of the bank file")],
            )
        )
    return write_xlsx(sheets)


def payment_rows(*, run: SubsidyRun) -> tuple[list[dict], list[dict]]:
    """The run's money per station (its allocations summed), split into the payable rows (a payee, a bank and
    an account on the station) and those that cannot be paid yet, each with its reason in words."""
    per_station: dict[int, dict] = {}
    allocations = (
        run.allocations.filter(amount__gt=0)
        .select_related("station", "station__host")
        .order_by("station__region_id", "station__code", "subsidy_type")
    )
    for allocation in allocations:
        station = allocation.station
        row = per_station.setdefault(station.pk, {"station_obj": station, "amount": ZERO, "types": []})
        row["amount"] += allocation.amount
        row["types"].append(str(allocation.get_subsidy_type_display()))
    payable, unpayable = [], []
    for row in per_station.values():
        station = row["station_obj"]
        purpose = _("%(station)s %(types)s %(start)s~%(end)s") % {
            "station": station.name,
            "types": "、".join(dict.fromkeys(row["types"])),
            "start": run.period_start,
            "end": run.period_end,
        }
        missing = [
            label
            for label, value in (
                (_("payee"), station.payee),
                (_("bank of the account"), station.payee_bank),
                (_("bank account number"), station.bank_account),
            )
            if not value
        ]
        if missing:
            problem = _("The station has no %(items)s: enter it on the station page, then export again.") % {
                "items": "、".join(str(m) for m in missing)
            }
            unpayable.append(
                {"code": station.code, "station": station.name, "amount": row["amount"], "problem": problem}
            )
            continue
        payable.append(
            {
                "payee": station.payee,
                "bank": station.payee_bank,
                "account": station.bank_account,
                "amount": row["amount"],
                "purpose": purpose,
                "station": station,
            }
        )
    return payable, unpayable
