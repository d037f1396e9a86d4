"""Member roster imports (会员花名册导入): the uploaded file, its preview and its outcome, and the staging rows."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from unionhub.models.regions import Region
from unionhub.scoping import scoped


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all", _("all or nothing: write nothing if any row has an error")
    VALID_ONLY = "valid", _("import only the valid rows")


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("uploaded")
    PREVIEWING = "previewing", _("checking")
    PREVIEWED = "previewed", _("checked, waiting for confirmation")
    IMPORTING = "importing", _("importing")
    DONE = "done", _("imported")
    REFUSED = "refused", _("refused: errors, nothing written")
    FAILED = "failed", _("failed")


class RowAction(models.TextChoices):
    CREATE = "create", _("new member")
    UPDATE = "update", _("update")
    UNCHANGED = "unchanged", _("unchanged")
    TRANSFER = "transfer", _("transfer candidate")
    ERROR = "error", _("error")
    SKIP = "skip", _("skipped: not a member row")


def roster_upload_to(instance: RosterImport, filename: str) -> str:
    return timezone.localtime().strftime("rosters/%Y/%m/") + filename


@scoped(region="region__code")
class RosterImport(models.Model):
    """One member roster file uploaded by county staff, from preview to outcome.

    The file is checked first (``services``' preview: every row validated, nothing written to the member
    register) and written only when the user confirms. ``region`` is the importing user's region, which
    scopes the import; the counts, the error summary and the outcome stay as the record of the import, and
    each member created or changed has a history row attributed to ``created_by`` with the reason
    "roster import #<id>". The check and the import each run as a ``unionhub.Job`` (``job`` is the latest)."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("imported by")
    )
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("region")
    )
    file = models.FileField(_("file"), upload_to=roster_upload_to, max_length=200)
    filename = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    mode = models.CharField(_("mode"), max_length=8, choices=ImportMode.choices, default=ImportMode.ALL_OR_NOTHING)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.UPLOADED)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    created = models.PositiveIntegerField(_("new members"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    transfers = models.PositiveIntegerField(_("transfer candidates"), default=0)
    errors = models.PositiveIntegerField(_("rows with errors"), default=0)
    job = models.ForeignKey(
        "unionhub.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("job")
    )
    skipped = models.PositiveIntegerField(_("rows skipped"), default=0)
    unknown_columns = models.JSONField(_("unknown columns"), default=list, blank=True)
    default_union = models.CharField(
        _("union for rows without one"),
        max_length=100,
        blank=True,
        help_text=_("Name or credit code of the union for rows whose union cell is empty (a one-union roster)."),
    )
    sheet = models.PositiveSmallIntegerField(
        _("sheet"), null=True, blank=True, help_text=_("The sheet the user chose (0 = the first); empty: found.")
    )
    mapping = models.JSONField(
        _("column mapping chosen"),
        default=dict,
        blank=True,
        help_text=_("The user's corrections: column number -> field, or “_ignore” for a column not imported."),
    )
    layout = models.JSONField(
        _("layout found"),
        default=dict,
        blank=True,
        help_text=_("What the check found: sheet, sheet names, header row and each column's header and field."),
    )
    error = models.TextField(_("error"), blank=True, help_text=_("Why the file as a whole was refused or failed."))
    written = models.BooleanField(_("written"), default=False, help_text=_("Whether any member was written."))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("member roster import")
        verbose_name_plural = _("member roster imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.filename}"

    @property
    def is_running(self) -> bool:
        return self.status in (ImportStatus.UPLOADED, ImportStatus.PREVIEWING, ImportStatus.IMPORTING)


class RosterRow(models.Model):
    """One data row of a roster file, normalised and classified during the preview.

    Empty optional cells are NULL: for an existing member they mean "leave as it is". ``errors`` holds the
    per-cell problems found in Python as ``[[column, message], ...]`` (``invalid`` says whether there are
    any); the file-wide checks (the same ID number twice, the union) are set-based and recorded in
    ``duplicate`` and ``union_problem``. Scoped through its import; not shown in the admin on its own."""

    # No index of its own: the composite indexes below start with it, and every index costs on each COPY.
    # Staging rows are written only by the check, under the import it has claimed; no database constraint,
    # which PostgreSQL would check once per copied row (deleting an import still deletes its rows).
    roster = models.ForeignKey(
        RosterImport, on_delete=models.CASCADE, related_name="staged_rows", db_index=False, db_constraint=False
    )
    row_number = models.PositiveIntegerField()
    resident_id = models.CharField(max_length=18, blank=True)
    name = models.CharField(max_length=50, blank=True)
    name_as_read = models.CharField(max_length=50, blank=True, db_default="")  # before its middle dots were made one
    gender = models.CharField(max_length=1, blank=True)
    birth_date = models.DateField(null=True)
    mobile = models.CharField(max_length=11, null=True)
    union_text = models.CharField(max_length=100, blank=True)
    employer = models.CharField(max_length=100, null=True)
    occupation = models.CharField(max_length=20, null=True)
    join_date = models.DateField(null=True)
    status = models.CharField(max_length=12, null=True)
    union_id = models.BigIntegerField(null=True)
    county = models.CharField(max_length=6, blank=True)
    card_year = models.PositiveSmallIntegerField(default=0)
    union_problem = models.CharField(max_length=12, blank=True)
    invalid = models.BooleanField(default=False)
    duplicate = models.BooleanField(default=False)
    duplicate_rows = models.CharField(max_length=200, blank=True, db_default="")  # the other rows with this ID
    member_id = models.BigIntegerField(null=True)
    action = models.CharField(max_length=10, choices=RowAction.choices, blank=True)
    errors = models.JSONField(default=list)

    class Meta:
        indexes = [
            models.Index(fields=["roster", "resident_id"], name="rosterrow_import_id"),
            # The writes take the rows of one action, county and card year a slice of row numbers at a time:
            # this index finds each slice exactly (on (roster, action) alone, every slice read them all).
            models.Index(fields=["roster", "action", "county", "card_year", "row_number"], name="rosterrow_slice"),
        ]

    def __str__(self) -> str:
        return f"{self.roster_id}:{self.row_number}"
