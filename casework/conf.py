"""Casework settings with their defaults, read from ``django.conf.settings`` when a deployment sets them.

They live here rather than in ``unionhub/settings.py`` so that the app brings its own defaults; a deployment
overrides any of them in settings (or, for the time limits, per county in the admin)."""

from __future__ import annotations

from django.conf import settings

# Default time limits in working days, when neither the county nor the national table has a row.
DEFAULT_ACKNOWLEDGE_DAYS = 1
DEFAULT_RESOLVE_DAYS = 7
# Each union level a request is escalated to (1 = first escalation) gets this many working days of its own.
DEFAULT_ESCALATION_DAYS = (3, 3, 5)
# "Due soon" from the working day during which this share of a limit is used up.
DUE_SOON_SHARE = 0.8
# The worker may ask to reopen a resolved request for this many calendar days.
DEFAULT_REOPEN_DAYS = 15
# Mediation period (劳动争议调解仲裁法 第十四条): calendar days from receipt.
MEDIATION_PERIOD_DAYS = 15
# Attachments on the public form.
DEFAULT_MAX_ATTACHMENTS = 3
DEFAULT_MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024


def get(name: str, default):
    return getattr(settings, name, default)


def escalation_days() -> tuple[int, ...]:
    return tuple(get("CASEWORK_ESCALATION_DAYS", DEFAULT_ESCALATION_DAYS))


def escalation_days_for(level: int) -> int:
    """Working days for the union at escalation ``level`` (1-based); the last entry serves every higher one."""
    days = escalation_days()
    return days[min(level, len(days)) - 1]


def reopen_days() -> int:
    return int(get("CASEWORK_REOPEN_DAYS", DEFAULT_REOPEN_DAYS))


def max_attachments() -> int:
    return int(get("CASEWORK_MAX_ATTACHMENTS", DEFAULT_MAX_ATTACHMENTS))


def max_attachment_bytes() -> int:
    return int(get("CASEWORK_MAX_ATTACHMENT_BYTES", DEFAULT_MAX_ATTACHMENT_BYTES))


def file_rate() -> str:
    return get("CASEWORK_FILE_RATE_PER_IP", "10/h")


def status_rate() -> str:
    return get("CASEWORK_STATUS_RATE_PER_IP", "30/10m")


def notification_backends() -> list[str]:
    return list(
        get(
            "CASEWORK_NOTIFICATION_BACKENDS",
            ["casework.services.notifications.ConsoleBackend", "casework.services.notifications.EmailBackend"],
        )
    )


def notification_email_to() -> str:
    """An e-mail-to-SMS gateway address with ``{mobile}``; by default the one membership uses."""
    return get("CASEWORK_NOTIFICATION_EMAIL_TO", None) or getattr(settings, "MEMBERSHIP_NOTIFICATION_EMAIL_TO", "")
