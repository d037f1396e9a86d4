from django.db import models
from django.utils.translation import gettext_lazy as _

from unionhub.models.regions import OrganizationKind

# Unions a worker joins: grassroots unions and industry union federations (for platform workers). County and
# town federations take no members directly; a county's holding pool (a grassroots union) takes those who have
# no union yet.
JOINABLE_KINDS = (OrganizationKind.GRASSROOTS, OrganizationKind.INDUSTRY_FEDERATION)


class Gender(models.TextChoices):
    """Derived from the resident ID number (odd sequence digit: male), never asked."""

    MALE = "M", _("male")
    FEMALE = "F", _("female")


class Occupation(models.TextChoices):
    """What a worker does. The first group are the new-employment-form categories (新就业形态劳动者) that
    the online path is mostly for."""

    DELIVERY_RIDER = "delivery_rider", _("delivery rider")
    COURIER = "courier", _("courier")
    TRUCK_DRIVER = "truck_driver", _("truck driver")
    RIDE_HAILING_DRIVER = "ride_hailing", _("ride-hailing driver")
    HOME_SERVICE = "home_service", _("home-service worker (via a platform)")
    OTHER_PLATFORM = "other_platform", _("other platform worker")
    EMPLOYEE = "employee", _("employee of an enterprise or institution")
    SANITATION = "sanitation", _("sanitation worker")
    CONSTRUCTION = "construction", _("construction worker")
    MINER = "miner", _("miner")
    OTHER = "other", _("other")


NEW_EMPLOYMENT_FORMS = frozenset(
    {
        Occupation.DELIVERY_RIDER,
        Occupation.COURIER,
        Occupation.TRUCK_DRIVER,
        Occupation.RIDE_HAILING_DRIVER,
        Occupation.HOME_SERVICE,
        Occupation.OTHER_PLATFORM,
    }
)


def occupation_groups() -> list:
    """Occupation choices grouped for a <select>: the new-employment forms first, then the rest."""
    new = [(value, label) for value, label in Occupation.choices if value in NEW_EMPLOYMENT_FORMS]
    other = [(value, label) for value, label in Occupation.choices if value not in NEW_EMPLOYMENT_FORMS]
    return [(_("New forms of employment"), new), (_("Other occupations"), other)]


class MemberStatus(models.TextChoices):
    """``transferred`` means transferred out of this system's unions (to a union elsewhere); a transfer
    between unions here keeps the member active and is recorded as a ``MemberTransfer``."""

    ACTIVE = "active", _("active")
    TRANSFERRED = "transferred", _("transferred out")
    LAPSED = "lapsed", _("lapsed")


class MemberSource(models.TextChoices):
    ONLINE = "online", _("online application")
    IMPORT = "import", _("roster import")
    MANUAL = "manual", _("entered by staff")


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")


class Channel(models.TextChoices):
    """Where an application came from: a station's QR code, a union's QR code, the join page directly, or a
    member roster that named a person registered in another county (a transfer request, ``roster_transfers``)."""

    STATION_QR = "station", _("station QR code")
    UNION_QR = "union", _("union QR code")
    DIRECT = "direct", _("join page")
    ROSTER = "roster", _("member roster import")


class BatchAction(models.TextChoices):
    APPROVE = "approve", _("approve")
    REJECT = "reject", _("reject")


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class RevealSubject(models.TextChoices):
    MEMBER = "member", _("member")
    APPLICATION = "application", _("application")
    EXPORT = "export", _("member export")
    WORKER_REQUEST = "workerrequest", _("worker's request")
    PARTY = "party", _("mediation party")
    JOB_WISH = "jobwish", _("job wish")  # employment: a worker's job wish (the mobile, to call them about a post)
    HOUSEHOLD = "household", _("household in hardship")  # hardship: the head's ID, mobile and bank account
    HOUSEHOLD_PERSON = "householdperson", _("person of a household in hardship")
