"""Member roster import and export (会员花名册): the services behind the admin's upload, preview, confirm and
download pages and the Celery jobs.

How an import runs, and why:

* ``roster_import_create`` stores the uploaded file and records who imports it into which region.
* ``roster_preview`` streams the file (XLSX through ``unionhub.spreadsheets.xlsx_stream``; XLS and CSV through
  ``unionhub.spreadsheets.read_rows``), validates every row in Python with the online form's rules, and
  writes the normalised rows to the staging table ``RosterRow`` in batches (``COPY`` on PostgreSQL). The
  checks that concern the file as a whole are then set-based SQL: an ID number twice in the file, the union
  (by name or credit code, among the unions the importer reaches - ``unionhub.scoping``), the existing
  member with that ID number in any county, and the classification create / update / unchanged /
  transfer candidate / error. Nothing is written to the member register, and memory stays flat however
  long the file.
* ``roster_apply`` re-checks the staging rows against the register as it is now and writes them in one
  transaction: ``INSERT … SELECT`` for new members (card numbers reserved per county and year on the
  ``CardCounter`` row, numbered with ``ROW_NUMBER()``, gap-free), ``UPDATE … FROM`` for changed ones, and
  the simple-history rows set-based, attributed to the importer with the reason "roster import #<id>".
  All or nothing by default; "valid rows only" writes the valid rows and leaves the rest in the error
  workbook. A person registered in another union is a transfer candidate: reported, never moved; one
  registered outside the importer's reach is told of as "a member elsewhere", and the import sends their
  county a transfer request instead (``roster_transfers``).
"""

from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from membership.models.roster import ImportMode, ImportStatus, RosterImport, RosterRow
from membership.services.roster_apply import roster_apply, unmapped_message
from membership.services.roster_check import CHECKABLE, roster_counts, roster_preview  # noqa: F401
from membership.services.roster_rows import COLUMNS
from membership.services.roster_staging import (  # noqa: F401
    BATCH,
    HEADER_KEY,
    STAGING_COLUMNS,
    _BackgroundCopy,
    _numbered_rows,
)
from unionhub.scoping import reach_of
from unionhub.services.jobs import job_start
from unionhub.spreadsheets.layout import IGNORE
from unionhub.spreadsheets.reading import MAX_UPLOAD_BYTES
from unionhub.storage import UploadWriteError

# --- Import: create ----------------------------------------------------------------------------------------


def roster_import_create(
    *, file: UploadedFile, by, mode: str = ImportMode.ALL_OR_NOTHING, union: str = "", sheet: int | None = None
) -> RosterImport:
    """Record an uploaded roster (nothing is read yet). Refuses a file above the size limit, of a kind
    other than XLSX, XLS or CSV, or a user who may not add members."""
    if not by.has_perm("membership.add_member") or not by.has_perm("membership.add_rosterimport"):
        raise PermissionDenied
    name = (file.name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    if not name.lower().endswith((".xlsx", ".xls", ".csv")):
        raise ValidationError(_("Upload an XLSX, XLS or CSV file."))
    if file.size > roster_max_bytes():
        raise ValidationError(
            _("The file is larger than %(mb)s MB; split it into smaller files.") % {"mb": roster_max_bytes() // 2**20}
        )
    if mode not in ImportMode.values:
        raise ValidationError(_("Choose how to import."))
    roster = RosterImport(
        created_by=by,
        region_id=reach_of(by).region_code,
        filename=name[:200],
        size=file.size,
        mode=mode,
        default_union=union.strip()[:100],
        sheet=sheet,
    )
    try:  # a full disk or quota: the message beside the file field, and no partial file left behind
        roster.file.save(_safe_storage_name(name), file, save=False)
    except UploadWriteError as exc:
        raise ValidationError(exc.message, code="no_space") from exc
    try:
        roster.save()
    except BaseException:
        roster.file.delete(save=False)  # the row was not written: its file goes with it
        raise
    return roster


def roster_max_bytes() -> int:
    return min(getattr(settings, "ROSTER_MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES), MAX_UPLOAD_BYTES)


def _safe_storage_name(name: str) -> str:
    stem, _dot, ext = name.rpartition(".")
    stem = re.sub(r"[^\w\-]+", "_", stem)[:60] or "roster"
    return f"{timezone.localtime():%Y%m%d-%H%M%S}-{stem}.{ext.lower()}"


CHECK_JOB = "membership.roster_check"
IMPORT_JOB = "membership.roster_import"


def roster_check_start(*, roster: RosterImport, user=None) -> RosterImport:
    """Check the roster as a background job, whatever its size: the caller (an upload request) returns at
    once and the import's page shows the job's progress. The job is sent when the caller's transaction
    commits: to a Celery worker, or to a thread of this process where no broker is configured
    (``JOB_RUNNER``) - the same job either way, claimed once and reported the same way."""
    job_start(kind=CHECK_JOB, user=user or roster.created_by, target=roster)
    roster.refresh_from_db()
    return roster


def roster_mapping_set(
    *, roster: RosterImport, by, mapping: dict, sheet: int | None = None, header_row: int | None = None
) -> RosterImport:
    """Record the user's column mapping (column number -> field, or ``IGNORE``), sheet and — where no header
    was recognised — header row (0: the sheet has none), and check the roster again with them. Only for an
    import that is not being checked or written; a field unknown here is refused. A header row chosen
    before is kept unless another is given or the sheet changes."""
    allowed = set(COLUMNS) | {IGNORE}
    clean = {}
    for key, field in mapping.items():
        if field not in allowed or not str(key).isdigit():
            raise ValidationError(_("Choose a field or “do not import” for each column."))
        clean[str(int(key))] = field
    if header_row is not None and header_row < 0:
        raise ValidationError(_("Choose the row that names the columns."))
    previous = (roster.mapping or {}).get(HEADER_KEY)
    if header_row is not None:
        clean = {HEADER_KEY: header_row}  # another header: the columns are not those mapped before
    elif previous is not None and sheet == roster.sheet:
        clean[HEADER_KEY] = previous
    # Back to "uploaded" at once: until the new check has claimed it, the page shows a check under way, never
    # the previous check's figures as if they were the new ones. The status and the new job are committed
    # together, so a page never sees the one without the other.
    with transaction.atomic():
        changed = RosterImport.objects.filter(pk=roster.pk, status__in=CHECKABLE).update(
            mapping=clean, sheet=sheet, status=ImportStatus.UPLOADED
        )
        if not changed:
            raise ValidationError(_("This import is being checked or written now; wait until it has finished."))
        return roster_check_start(roster=roster, user=by)


def roster_import_start(*, roster: RosterImport, by, mode: str) -> RosterImport:
    """Write a checked roster as a background job (as ``roster_check_start``). Only a checked import is
    started, once: the status moves to importing in the same UPDATE that claims it. A refused import (all or
    nothing, with errors) can be started again for its valid rows only. Refused with a message while a
    column is neither mapped nor ignored."""
    roster.refresh_from_db()
    if roster.unknown_columns:
        raise ValidationError(unmapped_message(roster))
    startable = [ImportStatus.PREVIEWED] + ([ImportStatus.REFUSED] if mode == ImportMode.VALID_ONLY else [])
    with transaction.atomic():  # "importing" and its job committed together (the job is sent after commit)
        claimed = RosterImport.objects.filter(pk=roster.pk, status__in=startable, unknown_columns=[]).update(
            status=ImportStatus.IMPORTING, mode=mode, error=""
        )
        if claimed:
            job_start(kind=IMPORT_JOB, user=by, target=roster)
    roster.refresh_from_db()
    return roster


def roster_check_run(*, roster_id: int, progress=None) -> dict:
    """The check job's work (called by the task)."""
    roster = roster_preview(roster=RosterImport.objects.get(pk=roster_id), progress=progress)
    return {"status": roster.status, "rows": roster.rows, "errors": roster.errors}


def roster_import_run(*, roster_id: int, user_id: int | None, progress=None) -> dict:
    """The import job's work (called by the task): written by the user who confirmed."""
    from django.contrib.auth import get_user_model

    roster = RosterImport.objects.get(pk=roster_id)
    by = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    roster = roster_apply(roster=roster, by=by or roster.created_by, progress=progress)
    return {"status": roster.status, "created": roster.created, "updated": roster.updated}


def roster_job_failed(*, roster_id: int, stage: str, message: str) -> None:
    """A check or import whose job failed ends as failed with the job's message in Chinese, and can be
    checked again (and then confirmed again). An import's transaction rolled back, so nothing of it was
    written."""
    if stage == "check":
        if RosterImport.objects.filter(
            pk=roster_id, status__in=(ImportStatus.UPLOADED, ImportStatus.PREVIEWING)
        ).update(status=ImportStatus.FAILED, error=message, finished_at=timezone.now()):
            RosterRow.objects.filter(roster_id=roster_id).delete()
    else:
        # Failed, with the message; its staging rows stay, and checking it again makes it confirmable again.
        RosterImport.objects.filter(pk=roster_id, status=ImportStatus.IMPORTING).update(
            status=ImportStatus.FAILED, error=message, finished_at=timezone.now()
        )
