"""Importing the market-regulation list of employers a county receives as a spreadsheet, as membership's
roster import does: the upload stored and checked by a background job (``employer_check``: every error with
its row and column, nothing written), a preview, then the write confirmed by its uploader and done by a
second job (``employer_write``: set-based, unchanged rows untouched). All or nothing by default; "valid rows
only" writes the good rows. The jobs run through ``unionhub.services.jobs`` (Celery, or a thread of the web
process where no broker is configured)."""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from membership.models.roster import ImportMode, ImportStatus
from outreach.models import EmployerImport, EmployerImportRow
from outreach.services.employer_check import employer_list_check
from outreach.services.employer_write import employer_list_write
from unionhub.models.regions import Region
from unionhub.scoping import in_scope
from unionhub.services.jobs import job_start
from unionhub.spreadsheets.reading import MAX_UPLOAD_BYTES
from unionhub.storage import UploadWriteError

CHECK_JOB = "outreach.employer_check"
IMPORT_JOB = "outreach.employer_import"


def _storage_name(name: str) -> str:
    stem, _dot, ext = name.rpartition(".")
    stem = re.sub(r"[^\w\-]+", "_", stem)[:60] or "employers"
    return f"{timezone.localtime():%Y%m%d-%H%M%S}-{stem}.{ext.lower()}"


def employer_list_create(*, file, by, county: Region, mode: str = ImportMode.ALL_OR_NOTHING) -> EmployerImport:
    """Record an uploaded list for ``county`` (nothing read yet). Refused: a user who may not add employers or
    does not reach the county, a file other than XLSX, XLS or CSV, or one above the size limit."""
    if not by.has_perm("outreach.add_employer") or not by.has_perm("outreach.add_employerimport"):
        raise PermissionDenied
    batch = EmployerImport(created_by=by, county=county, mode=mode)
    if not in_scope(batch, by):
        raise ValidationError({"county": _("This county is outside your region.")})
    name = (file.name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    if not name.lower().endswith((".xlsx", ".xls", ".csv")):
        raise ValidationError({"file": _("Upload an XLSX, XLS or CSV file.")})
    if file.size > MAX_UPLOAD_BYTES:
        message = _("The file is larger than %(mb)s MB; split it into smaller files.") % {
            "mb": MAX_UPLOAD_BYTES // 2**20
        }
        raise ValidationError({"file": message})
    if mode not in ImportMode.values:
        raise ValidationError({"mode": _("Choose how to import.")})
    batch.filename, batch.size = name[:200], file.size
    try:
        batch.file.save(_storage_name(name), file, save=False)
    except UploadWriteError as exc:
        raise ValidationError({"file": exc.message}, code="no_space") from exc
    try:
        batch.save()
    except BaseException:
        batch.file.delete(save=False)
        raise
    return batch


def employer_list_check_start(*, batch: EmployerImport, user=None) -> EmployerImport:
    """Check the list as a background job; the caller returns at once and the import's page shows progress."""
    job_start(kind=CHECK_JOB, user=user or batch.created_by, target=batch)
    batch.refresh_from_db()
    return batch


def employer_list_import_start(*, batch: EmployerImport, by, mode: str) -> EmployerImport:
    """Write a checked list as a background job, once: the status moves to importing in the UPDATE that
    claims it. All or nothing with rows in error is refused here, with the reason, and nothing is written."""
    if mode not in ImportMode.values:
        raise ValidationError(_("Choose how to import."))
    if by.pk != batch.created_by_id:
        raise PermissionDenied
    batch.refresh_from_db()
    if batch.status == ImportStatus.PREVIEWED and batch.errors and mode == ImportMode.ALL_OR_NOTHING:
        raise ValidationError(
            _(
                "%(n)s rows have errors and the whole file or nothing was chosen: nothing was written. "
                "Correct the file and upload it again, or import only the valid rows."
            )
            % {"n": batch.errors}
        )
    with transaction.atomic():
        claimed = EmployerImport.objects.filter(pk=batch.pk, status=ImportStatus.PREVIEWED).update(
            status=ImportStatus.IMPORTING, mode=mode, error=""
        )
        if not claimed:
            raise ValidationError(_("This import cannot be confirmed now."))
        job_start(kind=IMPORT_JOB, user=by, target=batch)
    batch.refresh_from_db()
    return batch


def employer_list_check_run(*, batch_id: int, progress=None) -> dict:
    batch = employer_list_check(batch=EmployerImport.objects.get(pk=batch_id), progress=progress)
    return {"status": batch.status, "rows": batch.rows, "errors": batch.errors}


def employer_list_import_run(*, batch_id: int, user_id: int | None, progress=None) -> dict:
    batch = EmployerImport.objects.select_related("created_by").get(pk=batch_id)
    batch = employer_list_write(batch=batch, by=batch.created_by, progress=progress)
    return {"status": batch.status, "created": batch.created, "updated": batch.updated}


def employer_list_failed(*, batch_id: int, stage: str, message: str) -> None:
    """A check or write whose job failed ends failed with the job's message; the write rolled back."""
    active = (ImportStatus.UPLOADED, ImportStatus.PREVIEWING) if stage == "check" else (ImportStatus.IMPORTING,)
    if (
        EmployerImport.objects.filter(pk=batch_id, status__in=active).update(
            status=ImportStatus.FAILED, error=message, finished_at=timezone.now()
        )
        and stage == "check"
    ):
        EmployerImportRow.objects.filter(batch_id=batch_id).delete()


def employer_list_import_now(*, data: bytes, filename: str, county: Region, by, partial: bool = False, progress=None):
    """The whole import at once, in this process (scripts, the benchmark, tests): stored, checked and - when
    it may be - written, by the same services the jobs run. Returns the import."""
    mode = ImportMode.VALID_ONLY if partial else ImportMode.ALL_OR_NOTHING
    batch = employer_list_create(file=ContentFile(data, name=filename), by=by, county=county, mode=mode)
    batch = employer_list_check(batch=batch, progress=progress)
    if batch.status != ImportStatus.PREVIEWED:
        return batch
    EmployerImport.objects.filter(pk=batch.pk).update(status=ImportStatus.IMPORTING)
    return employer_list_write(batch=batch, by=by, progress=progress)
