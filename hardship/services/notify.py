"""What hardship tells whom, through the messages core (``unionhub.services.messages``): a worker who applied
from a phone gets the reference at filing and a message on each decision of their application (by their
mobile number); the grassroots union's handlers (or, with none, the county federation's) are reminded of the
re-checks due soon and overdue (by e-mail). Each message is keyed, so it is recorded once however often the
step or the job runs; a step rolled back sends nothing (the core delivers after commit)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from casework.models import UnionHandler
from hardship.models import Household, HouseholdEvent, Source, Step
from unionhub.messaging.backends import Recipient
from unionhub.models import OrganizationKind
from unionhub.services.messages import message_template, send_message

WORKER_SUBJECT = _("Your hardship assistance application %(reference)s")
HANDLER_SUBJECT = _("Re-checks of households in difficulty")

APPLICATION_FILED = message_template(
    code="hardship.application_filed",
    label=_("hardship application received, with its reference (to the worker)"),
    subject=WORKER_SUBJECT,
    text=_(
        "%(union)s has received your hardship assistance application. Reference %(reference)s; follow it with "
        "this number and your mobile number: %(url)s"
    ),
)
APPLICATION_STEP = message_template(
    code="hardship.application_step",
    label=_("a decision on a hardship application (to the worker)"),
    subject=WORKER_SUBJECT,
    text=_("Your hardship assistance application %(reference)s: %(step)s. Details: %(url)s"),
)
RECHECKS_DUE = message_template(
    code="hardship.rechecks_due",
    label=_("re-checks due soon (to the union's handlers)"),
    subject=HANDLER_SUBJECT,
    text=_("%(count)s households of %(union)s are to be re-checked by %(due)s. %(link)s"),
)
RECHECKS_OVERDUE = message_template(
    code="hardship.rechecks_overdue",
    label=_("re-checks overdue (to the union's handlers)"),
    subject=HANDLER_SUBJECT,
    text=_("%(count)s re-checks of households of %(union)s are overdue (due %(due)s). %(link)s"),
)

# The worker is told of these decisions; the staff-only steps (re-check, leaving) are not about an application.
TOLD_STEPS = {
    Step.VISIT: _("the home visit is recorded"),
    Step.REVIEW: _("the democratic review passed; a public notice follows"),
    Step.NOTICE: _("on public notice"),
    Step.APPROVE: _("approved by the county: your household is on file"),
    Step.REJECT: _("not accepted; the union will explain why"),
}


def _url(path: str, **query) -> str:
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}{path}" + (f"?{urlencode(query)}" if query else "")


def status_url(reference: str = "") -> str:
    return _url(reverse("hardship:status"), **({"ref": reference} if reference else {}))


def application_filed_tell(*, household: Household) -> None:
    send_message(
        template=APPLICATION_FILED,
        params={
            "reference": household.reference,
            "union": household.union.name,
            "url": status_url(household.reference),
        },
        recipients=[Recipient(mobile=household.mobile)],
        about=household,
        region_id=household.county,
        key=f"hardship.filed:{household.pk}",
    )


def step_tell(*, event: HouseholdEvent) -> None:
    """The worker who applied from a phone hears of each decision on their application, once per step."""
    household = event.household
    if household.source != Source.WORKER or not household.mobile or event.step not in TOLD_STEPS:
        return
    send_message(
        template=APPLICATION_STEP,
        params={
            "reference": household.reference,
            "step": TOLD_STEPS[event.step],
            "url": status_url(household.reference),
        },
        recipients=[Recipient(mobile=household.mobile)],
        about=household,
        region_id=household.county,
        key=f"hardship.step:{event.pk}",
    )


def union_recipients(union) -> list[Recipient]:
    """The union's handlers; a union with no desk: its county federation's, so a reminder always reaches
    someone."""
    desks = UnionHandler.objects.filter(union=union).select_related("user")
    if not desks.exists():
        desks = UnionHandler.objects.filter(
            union__kind=OrganizationKind.COUNTY_FEDERATION, union__region_id=union.region_id[:6]
        ).select_related("user")
    return [Recipient(email=desk.user.email) for desk in desks if desk.user.email]


def rechecks_tell(*, union, count: int, due, overdue: bool, key: str) -> int:
    """One reminder to the union's desk (on every channel that reaches it); 1 when recorded, else 0."""
    link = _url(reverse("admin:hardship_recheck_changelist"), recheck="overdue" if overdue else "open")
    sent = send_message(
        template=RECHECKS_OVERDUE if overdue else RECHECKS_DUE,
        params={"count": count, "union": union.name, "due": due, "link": link},
        recipients=union_recipients(union),
        about=union,
        region_id=union.region_id[:6],
        key=key,
    )
    return 1 if sent else 0
