"""Large member exports: requested from the member list, written by a Celery job, downloaded when ready.

``member_export_request`` records the request and enqueues ``member_export_task`` on commit;
``member_export_run`` re-applies the changelist's filters inside the requester's scope, streams the rows from
a server-side cursor into the file (CSV through ``csv``, XLSX through openpyxl's write-only workbook: flat
memory whatever the row count) and reports ``progress(done, total)``. Columns, masking and the reveal log are
``MemberResource``'s and ``personal_data_export_logged``'s, as in the admin's direct export.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable

from django.core.files import File
from django.db import transaction
from django.test import RequestFactory
from django.utils import timezone

from membership.masking import can_reveal
from membership.models import ExportStatus, Member, MemberExport
from unionhub.scoping import reach_of

CHUNK = 2000
Progress = Callable[[int, int], None]


def member_export_request(*, user, query: str, file_format: str) -> MemberExport:
    """Record an export of the member list filtered by ``query`` (the changelist's query string) and enqueue it."""
    from membership.tasks.exports import member_export_task

    export = MemberExport(
        requested_by=user,
        region_id=reach_of(user).region_code,
        query=query[:2000],
        file_format=file_format,
        revealed=can_reveal(user),
    )
    export.full_clean()
    export.save()
    transaction.on_commit(lambda: member_export_task.delay(export.pk))
    return export


def member_export_queryset(*, user, query: str):
    """The member list exactly as the changelist shows it for ``query``: its filters, search and scope."""
    from django.contrib import admin

    request = RequestFactory().get(f"/?{query}" if query else "/")
    request.user = user
    model_admin = admin.site._registry[Member]
    return model_admin.get_changelist_instance(request).queryset


def member_export_run(*, export: MemberExport, progress: Progress | None = None) -> MemberExport:
    """Write the export's file. Idempotent: a finished export is returned as it is; a re-run rewrites the file."""
    from membership.resources import MemberResource
    from membership.services.applications import personal_data_export_logged

    if export.status == ExportStatus.DONE:
        return export
    user = export.requested_by
    queryset = member_export_queryset(user=user, query=export.query).select_related("union").order_by("pk")
    total = queryset.count()
    MemberExport.objects.filter(pk=export.pk).update(status=ExportStatus.RUNNING, total=total, done=0)
    resource = MemberResource(user=user)
    headers = resource.get_export_headers()
    rows = (resource.export_resource(member) for member in queryset.iterator(chunk_size=CHUNK))
    name = f"members-{timezone.localtime(export.created_at):%Y%m%d-%H%M}-{export.pk}.{export.file_format}"
    try:
        with tempfile.TemporaryFile() as handle:
            done = _write(handle, export.file_format, headers, rows, total, progress)
            handle.seek(0)
            export.file.save(name, File(handle), save=False)
    except Exception as exc:
        MemberExport.objects.filter(pk=export.pk).update(status=ExportStatus.FAILED, error=str(exc)[:2000])
        raise
    if can_reveal(user):
        personal_data_export_logged(user=user, count=done)
    export.status, export.done, export.total, export.finished_at = ExportStatus.DONE, done, total, timezone.now()
    export.save(update_fields=["file", "status", "done", "total", "finished_at"])
    return export


def _write(handle, file_format: str, headers, rows, total: int, progress: Progress | None) -> int:
    done = 0
    if file_format == "csv":
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")  # a BOM: Excel reads it as UTF-8
        writer = csv.writer(text)
        writer.writerow(headers)
        for row in rows:
            writer.writerow(row)
            done += 1
            if progress and done % CHUNK == 0:
                progress(done, total)
        text.flush()
        text.detach()
    else:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)  # rows go to a temporary file as they are appended
        sheet = workbook.create_sheet("会员")
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
            done += 1
            if progress and done % CHUNK == 0:
                progress(done, total)
        workbook.save(handle)
    if progress:
        progress(done, total)
    return done
