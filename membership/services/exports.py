"""Large member exports: asked for from the member list, written by a background job, downloaded when ready.

``member_export_request`` records the export and starts a ``unionhub.Job`` of kind ``EXPORT_JOB`` on it (the
one job mechanism: queued, enqueued on commit, claimed once, progress through ``Progress``).
``member_export_run`` - the job's handler - reads the list through its selector
(``membership.selectors.lists.member_list``: the requester's scope and permission, the stored query string parsed
into ``MemberFilterSet``, whose names are the changelist's parameters, and the identifier-aware search), streams
the rows from a server-side cursor into the file (``unionhub.spreadsheets.writing``: CSV for Excel or a
write-only XLSX, flat memory whatever the row count) and reports progress. Columns are
``MemberResource``'s; numbers are masked unless the export was asked for with the reveal permission and the
requester still holds it; an export with full numbers is logged (``unionhub.personal``), as the admin's
direct export is.
"""

from __future__ import annotations

import tempfile
from urllib.parse import parse_qsl, urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from membership.models import ExportFormat, MemberExport
from membership.resources import MemberResource
from membership.selectors.lists import member_list
from unionhub.lists import NOT_FILTERS
from unionhub.personal import PersonalData, can_reveal
from unionhub.scoping import reach_of
from unionhub.services.jobs import Progress, job_start
from unionhub.spreadsheets.writing import SpreadsheetWriter

EXPORT_JOB = "membership.member_export"
CHUNK = 2000
# Not carried into the job: the list's paging and sorting, a search token (which means nothing outside the
# session that made it; the search itself is passed as ``search``) and the changelist's other non-filters.
_NOT_FILTERS = NOT_FILTERS


def member_export_request(*, user, query: str, file_format: str, search: str = "") -> MemberExport:
    """Record an export of the member list as filtered by ``query`` (the changelist's query string) and
    searched for ``search`` (the private search's term), and start its job in the background."""
    if file_format not in ExportFormat.values:
        raise ValidationError(_("Unknown export format."))
    filters = urlencode([(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k not in _NOT_FILTERS])
    member_export_queryset(user=user, query=filters, search=search)  # filters the list cannot read: refused now
    export = MemberExport(
        created_by=user,
        region_id=reach_of(user).region_code or None,
        query=filters[:2000],
        search=search.strip()[:200],
        file_format=file_format,
        revealed=can_reveal(user),
    )
    export.full_clean(exclude=["region", "created_by", "job"])
    export.save()
    job_start(kind=EXPORT_JOB, user=user, target=export)
    export.refresh_from_db(fields=["job"])
    return export


def member_export_queryset(*, user, query: str, search: str = ""):
    """The member list as the changelist shows it for ``query`` (its query string, which names
    ``MemberFilterSet``'s fields) and ``search``, inside the user's scope: ``member_list``. A requester who may no
    longer see members, or a query that no longer parses, ends the job with a message (not a crash)."""
    try:
        return member_list(user=user, filters=QueryDict(query), search=search)
    except PermissionDenied as exc:
        raise ValidationError(_("You may no longer see the member list.")) from exc


def member_export_run(*, export_id: int, progress: Progress | None = None) -> dict:
    """Write the export's file (the job's handler). A re-run (a new job) writes the file again."""
    export = MemberExport.objects.select_related("created_by").get(pk=export_id)
    user = export.created_by
    revealed = export.revealed and can_reveal(user)
    queryset = member_export_queryset(user=user, query=export.query, search=export.search)
    queryset = queryset.select_related("union").order_by("pk")
    total = queryset.count()
    if progress:
        progress(0, total, _("writing the file"))
    resource = MemberResource(user=user, reveal=revealed)  # masked unless asked for and still allowed
    headers = [str(header) for header in resource.get_export_headers()]
    rows = (resource.export_resource(member) for member in queryset.iterator(chunk_size=CHUNK))
    name = f"members-{timezone.localtime(export.created_at):%Y%m%d-%H%M}-{export.pk}.{export.file_format}"
    with tempfile.TemporaryFile() as handle:
        done = _write(handle, export.file_format, headers, rows, total, progress)
        handle.seek(0)
        if export.file:
            export.file.delete(save=False)
        export.file.save(name, File(handle), save=False)
    export.rows = done
    export.save(update_fields=["file", "rows"])
    if revealed:
        PersonalData(user).export_logged(count=done, region_id=export.region_id)
    return {"rows": done, "file": export.file.name, "revealed": revealed}


def _write(handle, file_format: str, headers, rows, total: int, progress: Progress | None) -> int:
    """Stream the rows into ``handle`` through the one writer (XLSX write-only, or CSV for Excel: long digit
    strings stay text, formula-like text is neutralised), reporting progress every ``CHUNK`` rows."""
    done = 0
    with SpreadsheetWriter(handle, file_format) as book:
        sheet = book.sheet(_("union members"), headers)
        for row in rows:
            sheet.row(row)
            done += 1
            if progress and done % CHUNK == 0:
                progress(done, total)
    if progress:
        progress(done, total)
    return done


def member_export_downloadable(*, export: MemberExport, user) -> bool:
    """Only the requester downloads; a file with full numbers only while they may still see them."""
    if export.created_by_id != user.pk:
        return False
    return not export.revealed or can_reveal(user)
