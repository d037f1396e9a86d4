"""Import/export base classes: every resource in the project is scoped, writes safe spreadsheets, and speaks
Chinese.

* Headers are the fields' verbose names (``column_labels`` on a resource for the fields that are not a
  model field's own), choices are written as their labels and yes/no as 是/否, the sheet is named after the
  model; an import takes the Chinese headers of an export (or the internal column names) and labels or
  stored values, so an exported file can be corrected and imported back.
* Existing rows are looked up only inside the user's scope, foreign keys are matched by natural key inside
  the user's scope, and a row that would land outside it is an error on that row.
* Exports hold only in-scope rows, and every text cell that a spreadsheet would run as a formula
  (starting with = + - @, a tab or a carriage return) is neutralised with a leading apostrophe. The admin
  writes them through the one writer (``unionhub.spreadsheets.formats``): long digit strings stay text.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from unionhub.models.regions import Region, UnionOrganization
from unionhub.personal import mask_text
from unionhub.scoping import in_scope, is_scoped_model, scope_queryset
from unionhub.spreadsheets.formulas import neutralise_formula


class ScopedForeignKeyWidget(widgets.ForeignKeyWidget):
    """Matches a foreign key by natural key among the rows the importing user may see."""

    user = None

    def get_queryset(self, value, row, *args, **kwargs):
        queryset = super().get_queryset(value, row, *args, **kwargs)
        if is_scoped_model(self.model):
            queryset = scope_queryset(queryset, self.user)
        return queryset

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row=row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(
                _("“%(value)s” was not found among the %(model)s you manage.")
                % {"value": mask_text(str(value)), "model": self.model._meta.verbose_name_plural}
            ) from None
        except self.model.MultipleObjectsReturned:
            raise ValueError(
                _("“%(value)s” matches more than one record.") % {"value": mask_text(str(value))}
            ) from None


class ScopedManyToManyWidget(widgets.ManyToManyWidget):
    """Matches many-to-many values (a station's facilities) among the rows the importing user may see; a value
    found only outside the user's scope is an error, as a missing one is."""

    user = None

    def clean(self, value, row=None, **kwargs):
        found = super().clean(value, row=row, **kwargs)
        if not value:
            return found
        scoped = scope_queryset(found, self.user) if is_scoped_model(self.model) else found
        wanted = {str(v).strip() for v in str(value).split(self.separator) if str(v).strip()}
        known = {str(v) for v in scoped.values_list(self.field, flat=True)}
        missing = sorted(wanted - known)
        if missing:
            raise ValueError(
                _("“%(value)s” was not found among the %(model)s you manage.")
                % {"value": mask_text("、".join(missing)), "model": self.model._meta.verbose_name_plural}
            )
        return scoped


class ChoiceLabelWidget(widgets.Widget):
    """A choice written as its Chinese label on export, accepted as label or stored value on import.
    ``choices`` is a Choices class or a list of (value, label) pairs."""

    def __init__(self, choices, **kwargs):
        self.pairs = list(getattr(choices, "choices", choices))
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = str(value if value is not None else "").strip()
        if not text:
            return None
        for stored, label in self.pairs:
            with translation.override("zh-hans"):
                chinese = str(label)
            if text in (str(stored), str(label), chinese):
                return stored
        raise ValueError(
            _("“%(value)s” is not one of: %(options)s")
            % {"value": mask_text(text), "options": "、".join(str(label) for _, label in self.pairs)}
        )

    def render(self, value, obj=None, **kwargs):
        if value in (None, ""):
            return ""
        return next((str(label) for stored, label in self.pairs if stored == value), str(value))


class YesNoWidget(widgets.BooleanWidget):
    """是/否 in the sheet; on import also 1/0, TRUE/FALSE and the like."""

    TRUE_VALUES = ["是", "1", 1, True, "true", "TRUE", "True", "y", "Y", "yes", "对", "有"]
    FALSE_VALUES = ["否", "0", 0, False, "false", "FALSE", "False", "n", "N", "no", "无"]

    def render(self, value, obj=None, **kwargs):
        if value is None or not isinstance(value, bool):
            return ""
        return str(_("yes")) if value else str(_("no"))

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, str):
            value = value.strip()
        if value in ("", None) or value in self.NULL_VALUES:
            return None
        return value in self.TRUE_VALUES or str(value) in (str(_("yes")), "是")


def _chinese_widget(field, model):
    """Choices as labels and booleans as 是/否, for fields left with the library's default widgets."""
    widget = field.widget
    if type(widget) not in (widgets.Widget, widgets.CharWidget, widgets.BooleanWidget):
        return widget
    try:
        model_field = model._meta.get_field((field.attribute or "").split("__")[0]) if field.attribute else None
    except FieldDoesNotExist:
        return widget
    if model_field is None or "__" in (field.attribute or ""):
        return widget
    if model_field.choices:
        return ChoiceLabelWidget(model_field.choices)
    if isinstance(widget, widgets.BooleanWidget):
        return YesNoWidget()
    return widget


def _scoped_widget(widget):
    """The scoped version of a plain foreign-key or many-to-many widget to a scoped model, so that no resource
    can resolve a related value outside the user's scope by forgetting to choose the scoped widget."""
    if isinstance(widget, (ScopedForeignKeyWidget, ScopedManyToManyWidget)) or not is_scoped_model(
        getattr(widget, "model", type(None))
    ):
        return widget
    if isinstance(widget, widgets.ManyToManyWidget):
        return ScopedManyToManyWidget(widget.model, separator=widget.separator, field=widget.field)
    if isinstance(widget, widgets.ForeignKeyWidget):
        return ScopedForeignKeyWidget(widget.model, field=widget.field)
    return widget


class ScopedResource(resources.ModelResource):
    """A ModelResource bound to the user who imports or exports. Every foreign-key and many-to-many widget
    to a scoped model resolves values inside the user's scope (plain ones are swapped for scoped ones)."""

    # Headers for fields that are not a model field of their own (a related object's code, a computed value).
    column_labels: dict = {}

    def __init__(self, *, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        for field in self.fields.values():
            field.widget = _scoped_widget(_chinese_widget(field, self._meta.model))
            if isinstance(field.widget, (ScopedForeignKeyWidget, ScopedManyToManyWidget)):
                field.widget.user = user

    def get_queryset(self):
        return scope_queryset(super().get_queryset(), self.user)

    # --- Chinese headers ---------------------------------------------------------------------------------

    def column_label(self, name: str) -> str:
        """The header a person reads for the field called ``name``: its label in ``column_labels``, else the
        verbose name of the model field it reads."""
        if name in self.column_labels:
            return str(self.column_labels[name])
        field = self.fields[name]
        opts = self._meta.model._meta
        for candidate in ((field.attribute or "").split("__")[0], name):
            try:
                return str(opts.get_field(candidate).verbose_name)
            except FieldDoesNotExist:
                continue
        return str(field.column_name)

    def header_labels(self) -> dict[int, str]:
        """id(field) -> its header, distinct within the sheet."""
        labels, seen = {}, set()
        for name, field in self.fields.items():
            label = self.column_label(name)
            if label in seen:
                label = f"{label}（{len(seen)}）"
            seen.add(label)
            labels[id(field)] = label
        return labels

    def get_export_headers(self, selected_fields=None):
        labels = self.header_labels()
        return [labels[id(field)] for field in self.get_export_fields(selected_fields) if field]

    def get_user_visible_fields(self):
        """The fields as the import and export pages list them: by their Chinese headers."""
        labels = self.header_labels()
        return [SimpleNamespace(column_name=labels[id(field)]) for field in self.get_import_fields()]

    def get_diff_headers(self):
        labels = self.header_labels()
        return [labels[id(field)] for field in self.get_import_fields()]

    def export(self, queryset=None, **kwargs):
        dataset = super().export(queryset, **kwargs)
        # The sheet's tab: not tablib's "Tablib Dataset"; Excel allows 31 characters.
        dataset.title = str(self._meta.model._meta.verbose_name_plural)[:31]
        return dataset

    def _internal_headers(self, dataset) -> None:
        """The Chinese headers of an export (and English column names as before) read as the fields' internal
        column names, so that widgets, hooks and ``import_id_fields`` see one set of names."""
        labels = self.header_labels()
        by_label = {labels[id(field)]: field.column_name for field in self.fields.values()}
        if dataset.headers:
            dataset.headers = [
                by_label.get(str(h).strip(), str(h).strip()) if h is not None else h for h in dataset.headers
            ]

    def import_data(self, dataset, **kwargs):
        self._internal_headers(dataset)
        # All or nothing: a file with any bad row writes no row at all.
        kwargs.setdefault("use_transactions", True)
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(dataset, **kwargs)

    def filter_export(self, queryset, **kwargs):
        return scope_queryset(super().filter_export(queryset, **kwargs), self.user)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        super().validate_instance(instance, import_validation_errors, validate_unique)
        if not in_scope(instance, self.user):
            raise ValidationError(_("This row is outside the area you manage."))

    def export_field(self, field, instance, **kwargs):
        return neutralise_formula(super().export_field(field, instance, **kwargs))


class UnionOrganizationResource(ScopedResource):
    """Union organisations matched by natural keys: region code and parent union name."""

    column_labels = {"region": _("region code"), "parent": _("parent union (name)")}

    region = fields.Field(
        attribute="region", column_name="region_code", widget=ScopedForeignKeyWidget(Region, field="code")
    )
    parent = fields.Field(
        attribute="parent", column_name="parent", widget=ScopedForeignKeyWidget(UnionOrganization, field="name")
    )

    class Meta:
        model = UnionOrganization
        import_id_fields = ["name", "region"]
        fields = ["name", "kind", "region", "parent", "employer", "credit_code", "chair", "phone", "is_holding_pool"]
        clean_model_instances = True
        skip_unchanged = True
        use_transactions = True


class RegionResource(ScopedResource):
    """Administrative divisions (export only): code, name, level and the parent's code."""

    column_labels = {"parent": _("parent division (code)")}

    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent"]
        export_order = fields
