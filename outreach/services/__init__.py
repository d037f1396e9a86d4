"""Outreach's writes: the employer register and its import, visits, events and check-ins, desks."""

from outreach.services.desks import desk_join_url, desk_open_check, desk_qr_url
from outreach.services.employer_import import (
    employer_list_check_start,
    employer_list_create,
    employer_list_import_now,
    employer_list_import_start,
)
from outreach.services.employers import (
    employer_advance,
    employer_found_union,
    employer_save,
    employer_validate,
)
from outreach.services.events import (
    checkin_batch,
    checkin_scan,
    event_attendance_sync,
    event_validate,
    signup_cancel,
    signup_create,
)
from outreach.services.visits import visit_photos_add, visit_record, visit_validate

__all__ = [
    "checkin_batch",
    "checkin_scan",
    "desk_join_url",
    "desk_open_check",
    "desk_qr_url",
    "employer_advance",
    "employer_found_union",
    "employer_list_check_start",
    "employer_list_create",
    "employer_list_import_now",
    "employer_list_import_start",
    "employer_save",
    "employer_validate",
    "event_attendance_sync",
    "event_validate",
    "signup_cancel",
    "signup_create",
    "visit_photos_add",
    "visit_record",
    "visit_validate",
]
