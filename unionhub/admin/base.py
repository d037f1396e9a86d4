"""Admin base classes: every ModelAdmin in the project inherits region scoping from here.

``ScopedAdminMixin`` routes the changelist, change page, delete, history, list-filter choices, foreign-key
and many-to-many choices, imports and exports through ``unionhub.scoping``. An object outside the user's
scope behaves exactly like a missing one, and a save that would move an object out of scope is refused with
a form error before anything is written.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from import_export.admin import ExportMixin, ImportExportMixin
from import_export.forms import SelectableFieldsExportForm
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from unionhub.admin.areas import AreaListFilter
from unionhub.admin.helpers import money_column
from unionhub.admin.scale import ScaleAdminMixin
from unionhub.admin.views import CHECKED_ATTRIBUTE, AdminView, admin_view_path
from unionhub.http import content_disposition
from unionhub.personal import PERSONAL_FIELDS, mask_field
from unionhub.scoping import has_area, in_scope, is_scoped_model, reach_of, scope_queryset
from unionhub.spreadsheets.formats import ExcelCSV, ExcelXLSX

OUT_OF_SCOPE_MESSAGE = _("This record would be outside the area you manage, so it cannot be saved there.")


CHOICES_CACHE_SECONDS = 300
MAX_FILTER_CHOICES = 200


class ScopedRelatedFieldListFilter(admin.RelatedFieldListFilter):
    """A foreign-key list filter that offers only the related rows the user may see.

    The choices (the unions, stations or counties in reach) are cached for five minutes per reach: they change
    rarely, and reading them cost one query on every page of every list. More than ``MAX_FILTER_CHOICES`` of
    them (the stations of a province) are not a filter but a page of links: the filter is then not shown (a
    filtered URL still works) and the search box or a narrower filter does the job."""

    def has_output(self):
        return super().has_output() and len(self.lookup_choices) <= MAX_FILTER_CHOICES

    def field_choices(self, field, request, model_admin):
        reach = reach_of(request.user)
        who = f"{reach.everything}:{reach.region_code}:{reach.user_id}"
        key = f"listfilter:{model_admin.opts.label_lower}:{field.name}:{who}"
        choices = cache.get(key)
        if choices is None:
            choices = self._scoped_choices(field, request, model_admin)
            cache.set(key, choices, CHOICES_CACHE_SECONDS)
        return choices

    def _scoped_choices(self, field, request, model_admin):
        related = field.related_model
        queryset = related._default_manager.complex_filter(field.get_limit_choices_to())
        if is_scoped_model(related):
            queryset = scope_queryset(queryset, request.user)
        ordering = self.field_admin_ordering(field, request, model_admin)
        if ordering:
            queryset = queryset.order_by(*ordering)
        # One more than can be shown says "too many" (``has_output``) as well as all of them would: a province's
        # 100,000 stations were a 2.5 MB entry read back on every page of the review queue.
        return [(obj.pk, str(obj)) for obj in queryset[: MAX_FILTER_CHOICES + 1]]


def scoped_list_filter(model, list_filter):
    """Swap the plain related-field filter for the scoped one on every foreign key or m2m in ``list_filter``."""
    result = []
    for item in list_filter:
        if isinstance(item, str) and "__" not in item:
            field = model._meta.get_field(item)
            if field.is_relation and field.related_model is not None and is_scoped_model(field.related_model):
                item = (item, ScopedRelatedFieldListFilter)
        result.append(item)
    return result


class ScopedFormfieldsMixin:
    """Foreign-key and many-to-many choices narrowed to the user's scope (admins and inlines alike)."""

    def _narrow(self, formfield, db_field, request):
        if formfield is not None and is_scoped_model(db_field.related_model) and hasattr(formfield, "queryset"):
            formfield.queryset = scope_queryset(formfield.queryset, request.user)
        return formfield

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return self._narrow(super().formfield_for_foreignkey(db_field, request, **kwargs), db_field, request)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return self._narrow(super().formfield_for_manytomany(db_field, request, **kwargs), db_field, request)


def _scope_checked_form(form_class, user):
    """A subclass of ``form_class`` that refuses, as a form error, an instance edited out of the user's scope."""

    class ScopeCheckedForm(form_class):
        def _post_clean(self):
            super()._post_clean()
            if not self.errors and not in_scope(self.instance, user):
                self.add_error(None, OUT_OF_SCOPE_MESSAGE)

    ScopeCheckedForm.__name__ = form_class.__name__
    return ScopeCheckedForm


class ScopedInlineMixin(ScopedFormfieldsMixin):
    """For inlines: choices scoped; rows already belong to an in-scope parent."""


# URL names (after "<app>_<model>_") that Django, django-import-export and simple-history add themselves.
LIBRARY_URL_NAMES = {"changelist", "add", "change", "delete", "history", "simple_history"}
LIBRARY_URL_NAMES |= {"import", "process_import", "export"}


def has_simple_history(model) -> bool:
    return getattr(model._meta, "simple_history_manager_attribute", None) is not None


class ScopedAdminMixin(ScaleAdminMixin, ScopedFormfieldsMixin):
    """Region scoping for a ModelAdmin, with changelists that stay fast at millions of rows
    (``unionhub.admin.scale``). Put it first in the bases.

    History: a model with simple-history shows its trail; an admin that sets ``log_history = True`` (its
    changes are made in the admin and logged there) shows Django's admin log; any other has no history URL
    and no "history" link - there is nothing to show."""

    log_history = False

    def get_list_display(self, request):
        """Amounts grouped and to the fen in every list (``unionhub.money``)."""
        return [money_column(self.model, name) for name in super().get_list_display(request)]

    # The list selector's scoped base (``<app>.selectors.lists``: ``members_reached(user, queryset)``), where the
    # app names one, so that the changelist and every other reader of the list (exports, the dashboard) share
    # one scope; else the scoping rule itself. Set it with ``staticmethod``.
    scoped_base = None

    def get_custom_views(self) -> list[AdminView]:
        """This admin's extra views (see ``unionhub.admin.views``); subclasses and mixins extend the list."""
        return []

    @property
    def history_kind(self) -> str | None:
        if has_simple_history(self.model):
            return "simple"
        return "log" if self.log_history else None

    def get_urls(self):
        urls = super().get_urls()
        prefix = f"{self.opts.app_label}_{self.opts.model_name}_"
        if self.history_kind != "simple":
            urls = [u for u in urls if u.name != f"{prefix}simple_history"]
        if self.history_kind is None:
            urls = [u for u in urls if u.name != f"{prefix}history"]
        for url in urls:
            name = (url.name or "").removeprefix(prefix)
            if url.name is None and str(url.pattern) == "<path:object_id>/":
                continue  # Django's redirect of the old change URL
            if name not in LIBRARY_URL_NAMES and not hasattr(url.callback, CHECKED_ATTRIBUTE):
                raise ImproperlyConfigured(
                    f"{type(self).__name__}: the URL {url.pattern} does not go through get_custom_views()"
                )
        return [admin_view_path(self, spec) for spec in self.get_custom_views()] + urls

    def render_change_form(self, request, context, *args, **kwargs):
        context["has_history"] = self.history_kind is not None
        return super().render_change_form(request, context, *args, **kwargs)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.scoped_base is not None:
            return self.scoped_base(request.user, queryset)
        return scope_queryset(queryset, request.user)

    def get_list_filter(self, request):
        list_filter = scoped_list_filter(self.model, super().get_list_filter(request))
        return [AreaListFilter, *list_filter] if has_area(self.model) else list_filter

    def changelist_view(self, request, extra_context=None):
        # Django titles a list "选择 会员 来修改"; county staff read a list titled by what it lists.
        extra_context = {"title": capfirst(self.opts.verbose_name_plural), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        return _scope_checked_form(super().get_form(request, obj, change=change, **kwargs), request.user)

    def get_changelist_form(self, request, **kwargs):
        return _scope_checked_form(super().get_changelist_form(request, **kwargs), request.user)

    def _missing_unless_in_scope(self, request, object_id):
        if self.get_object(request, unquote(object_id)) is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return None

    def history_view(self, request, object_id, extra_context=None):
        # Permission first, as every other view (a refusal says nothing about existence). simple-history falls
        # back to the last historical record of a row it cannot find, which would show an out-of-scope
        # object's history; check scope next so it behaves as missing.
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        missing = self._missing_unless_in_scope(request, object_id)
        if missing:
            return missing
        if self.history_kind == "log":
            response = admin.ModelAdmin.history_view(self, request, object_id, extra_context=extra_context)
            if isinstance(response, TemplateResponse):
                response.template_name = ["admin/object_history.html"]
            return response
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return self._missing_unless_in_scope(request, object_id) or super().history_form_view(
            request, object_id, version_id, extra_context=extra_context
        )

    def get_resource_kwargs(self, request, *args, **kwargs):
        kwargs = super().get_resource_kwargs(request, *args, **kwargs)
        kwargs["user"] = request.user
        return kwargs


class ReadOnlyAdminMixin:
    """Rows written only by the system (jobs, logs, computed allocations): listed and shown, never added,
    changed or deleted in the admin. Put it first in the bases."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MaskedHistoryHelper(HistoricalRecordContextHelper):
    """History pages list changed values: personal numbers appear there masked, as everywhere else."""

    def prepare_delta_change_value(self, change, value):
        if change.field in PERSONAL_FIELDS:
            return mask_field(change.field, value)
        return super().prepare_delta_change_value(change, value)


class MaskedHistoryMixin:
    """Every audited admin's history pages mask personal numbers (simple-history's context helper)."""

    def get_historical_record_context_helper(self, request, historical_record):
        return MaskedHistoryHelper(self.model, historical_record)


class ScopedModelAdmin(ScopedAdminMixin, MaskedHistoryMixin, SimpleHistoryAdmin):
    """The base for every domain ModelAdmin: scoped, with the audit trail."""

    list_per_page = 50
    formfield_overrides = {models.TextField: {"widget": admin.widgets.AdminTextareaWidget(attrs={"rows": 3})}}


class ChineseExportForm(SelectableFieldsExportForm):
    """The export page's field checkboxes labelled with the sheet's Chinese headers ("编号", not "Code")."""

    def _get_field_label(self, resource, field_name: str) -> str:
        cache = self.__dict__.setdefault("_uh_resources", {})
        if resource not in cache:
            cache[resource] = resource()
        instance = cache[resource]
        return instance.column_label(field_name) if hasattr(instance, "column_label") else field_name


class ChineseExportMixin:
    """Exports named after the model and the local date (Asia/Shanghai, not UTC): 站点-2026-12-02.xlsx, sent
    with an RFC 6266 file name so that the Chinese survives every browser."""

    export_form_class = ChineseExportForm

    def get_export_filename(self, request, queryset, file_format):
        name = str(self.model._meta.verbose_name_plural)
        return f"{name}-{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"

    def get_export_data(self, file_format, request, queryset, **kwargs):
        # The library's own, but for ``force_native_type``: it passes dates and numbers as such only to its own
        # binary formats (``type(format) in BINARY_FORMATS``), and ours are subclasses.
        if not self.has_export_permission(request):
            raise PermissionDenied
        data = self.get_data_for_export(request, queryset, force_native_type=file_format.is_binary(), **kwargs)
        export_data = file_format.export_data(data)
        encoding = kwargs.get("encoding")
        if not file_format.is_binary() and encoding:
            export_data = export_data.encode(encoding)
        return export_data

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        # The library writes filename="…" raw; non-ASCII there is mangled. Same body, a proper header.
        response = super()._do_file_export(file_format, request, queryset, export_form=export_form)
        response["Content-Disposition"] = content_disposition(self.get_export_filename(request, queryset, file_format))
        return response


class ScopedExportAdmin(ScopedAdminMixin, ChineseExportMixin, ExportMixin, MaskedHistoryMixin, SimpleHistoryAdmin):
    """Scoped, audited, with XLSX and CSV export of the filtered changelist."""

    list_per_page = 50
    export_formats = [ExcelXLSX, ExcelCSV]


class ScopedImportExportAdmin(
    ScopedAdminMixin, ChineseExportMixin, ImportExportMixin, MaskedHistoryMixin, SimpleHistoryAdmin
):
    """Scoped, audited, with import and export through scoped resources."""

    list_per_page = 50
    import_formats = [ExcelXLSX, ExcelCSV]
    export_formats = [ExcelXLSX, ExcelCSV]
