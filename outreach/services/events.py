"""Events: phone sign-ups, the door's check-in scans (idempotent by the scanning phone's scan id), and the
attendance written into the station's activity log."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from outreach.choices import ScanResult
from outreach.models import CheckIn, Event, SignUp
from stations.models import Activity, VisitorCount
from unionhub.validators import normalize_mobile

MAX_BATCH = 500


def event_validate(*, event: Event) -> None:
    if event.station_id:
        event.region_id = event.station.region_id
    event.full_clean()


@transaction.atomic
def signup_create(*, event: Event, name: str, mobile: str, consent: bool, is_member: bool = False) -> SignUp:
    """Sign a person up for an event from a phone. Refused (nothing written) without consent, for a cancelled or
    finished or full event, or a mobile already signed up."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    errors: dict[str, str] = {}
    if not consent:
        errors["consent"] = _("Please agree to the personal-information notice.")
    try:
        mobile = normalize_mobile(mobile)
    except ValidationError as exc:
        errors["mobile"] = exc.messages[0]
    if not (name or "").strip():
        errors["name"] = _("Please enter your name.")
    if event.cancelled:
        errors["__all__"] = _("This event has been cancelled.")
    elif event.ends_at < timezone.now():
        errors["__all__"] = _("This event is over.")
    elif event.capacity and event.signups.filter(cancelled_at__isnull=True).count() >= event.capacity:
        errors["__all__"] = _("This event is full.")
    if not errors and event.signups.filter(mobile=mobile).exists():
        errors["mobile"] = _("This mobile number is already signed up for this event.")
    if errors:
        raise ValidationError(errors)
    return SignUp.objects.create(event=event, name=name.strip()[:50], mobile=mobile, is_member=is_member)


def signup_cancel(*, signup: SignUp) -> None:
    if signup.checked_in_at:
        raise ValidationError(_("This person has already checked in."))
    signup.cancelled_at = timezone.now()
    signup.save(update_fields=["cancelled_at"])


def _scanned_at(value) -> dt.datetime:
    moment = parse_datetime(value) if isinstance(value, str) else value
    if moment is None:
        return timezone.now()
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return min(moment, timezone.now())


def _code(value: str) -> str:
    """A ticket code as scanned (the QR holds the code itself or an address ending in it) or typed."""
    text = (value or "").strip().rstrip("/").rsplit("/", 1)[-1].rsplit("=", 1)[-1]
    return "".join(ch for ch in text.upper() if ch.isalnum())[:16]


@transaction.atomic
def checkin_scan(*, event: Event, code: str, scan_id: str, scanned_at=None, user=None) -> CheckIn:
    """One scan at the door. The same ``scan_id`` sent again (an offline queue replayed, a retry after a lost
    answer) returns the first answer and writes nothing. A refused scan (a ticket of another event, a cancelled
    sign-up, an unknown code) raises ValidationError in Chinese and writes nothing."""
    scan_id = (scan_id or "").strip()[:64]
    if not scan_id:
        raise ValidationError(_("The scan has no id; reload the check-in page."))
    earlier = CheckIn.objects.filter(scan_id=scan_id).first()
    if earlier is not None:
        if earlier.event_id != event.pk:
            raise ValidationError(_("This scan belongs to another event."))
        return earlier
    ticket = _code(code)
    signup = SignUp.objects.select_for_update().filter(code=ticket).select_related("event").first()
    if signup is None:
        raise ValidationError(_("“%(code)s” is not a sign-up code.") % {"code": ticket or code[:16]})
    if signup.event_id != event.pk:
        # The other event is named only when it is at the same station (it may be another county's).
        if signup.event.station_id is not None and signup.event.station_id == event.station_id:
            raise ValidationError(_("This ticket is for another event: %(event)s.") % {"event": signup.event.title})
        raise ValidationError(_("This ticket is not for this event."))
    if signup.cancelled_at:
        raise ValidationError(_("%(name)s cancelled this sign-up.") % {"name": signup.name})
    if event.cancelled:
        raise ValidationError(_("This event has been cancelled."))
    moment = _scanned_at(scanned_at)
    result = ScanResult.DUPLICATE if signup.checked_in_at else ScanResult.OK
    message = (
        _("%(name)s already checked in at %(time)s.")
        % {"name": signup.name, "time": timezone.localtime(signup.checked_in_at).strftime("%H:%M")}
        if signup.checked_in_at
        else _("%(name)s checked in.") % {"name": signup.name}
    )
    try:
        with transaction.atomic():
            checkin = CheckIn.objects.create(
                scan_id=scan_id,
                event=event,
                signup=signup,
                code=ticket,
                result=result,
                message=message,
                scanned_at=moment,
                scanned_by=user,
            )
    except IntegrityError:  # the same scan arriving twice at once: the first one's answer
        return CheckIn.objects.get(scan_id=scan_id)
    if result == ScanResult.OK:
        signup.checked_in_at = moment
        signup.save(update_fields=["checked_in_at"])
        event_attendance_sync(event=event, user=user)
    return checkin


def checkin_batch(*, event: Event, scans: list[dict], user=None) -> list[dict]:
    """Scans sent together (the offline queue): each answered on its own, as ``checkin_scan`` answers it."""
    if len(scans) > MAX_BATCH:
        raise ValidationError(_("Send at most %(n)s scans at a time.") % {"n": MAX_BATCH})
    answers = []
    for scan in scans:
        scan_id = str(scan.get("id", ""))
        try:
            checkin = checkin_scan(
                event=event, code=str(scan.get("code", "")), scan_id=scan_id, scanned_at=scan.get("at"), user=user
            )
            answers.append({"id": scan_id, "result": checkin.result, "message": checkin.message})
        except ValidationError as exc:
            answers.append({"id": scan_id, "result": ScanResult.REFUSED, "message": " ".join(exc.messages)})
    return answers


def event_attendance_sync(*, event: Event, user=None) -> Activity | None:
    """Write the event's attendance (and suggestions) into its station's activity log: one activity per event,
    kept up to date, so nobody types the figures twice. None for an event not at a station."""
    if not event.station_id:
        return None
    attended = event.signups.filter(checked_in_at__isnull=False).count()
    date = min(timezone.localtime(event.starts_at).date(), timezone.localdate())
    activity = Activity.objects.filter(pk=event.activity_id).first() if event.activity_id else None
    if activity is None:
        activity = Activity.objects.create(
            station_id=event.station_id,
            kind_id=event.kind_id,
            date=date,
            title=event.title[:100],
            participants=attended,
            suggestions=event.suggestions,
            created_by=user,
        )
        Event.objects.filter(pk=event.pk).update(activity=activity)
        event.activity = activity
    elif (activity.participants, activity.suggestions) != (attended, event.suggestions):
        activity.participants, activity.suggestions = attended, event.suggestions
        activity.save(update_fields=["participants", "suggestions"])
    _visitors_at_least(event, activity.date, attended)
    return activity


def _visitors_at_least(event: Event, date, attended: int) -> None:
    """The station's visitor count of the event's day (what its star rating's visitors indicator reads) is at
    least the people checked in: raised, never lowered - the manager's own evening figure stands if higher."""
    if not attended:
        return
    count, _created = VisitorCount.objects.get_or_create(
        station_id=event.station_id, date=date, defaults={"visitors": attended}
    )
    if count.visitors < attended:
        VisitorCount.objects.filter(pk=count.pk).update(visitors=attended)
