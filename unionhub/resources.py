"""Import/export base classes: every resource in the project is scoped and writes safe spreadsheets.

* Existing rows are looked up only inside the user's scope, foreign keys are matched by natural key inside
  the user's scope, and a row that would land outside it is an error on that row.
* Exports hold only in-scope rows, and every text cell that a spreadsheet would run as a formula
  (starting with = + - @, a tab or a carriage return) is neutralised with a leading apostrophe.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from unionhub.models.regions import Region, UnionOrganization
from unionhub.scoping import in_scope, is_scoped_model, scope_queryset

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """A leading apostrophe makes Excel and WPS show the text instead of evaluating it."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


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
                % {"value": value, "model": self.model._meta.verbose_name_plural}
            ) from None
        except self.model.MultipleObjectsReturned:
            raise ValueError(_("“%(value)s” matches more than one record.") % {"value": value}) from None


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
                % {"value": "、".join(missing), "model": self.model._meta.verbose_name_plural}
            )
        return scoped


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

    def __init__(self, *, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user
        for field in self.fields.values():
            field.widget = _scoped_widget(field.widget)
            if isinstance(field.widget, (ScopedForeignKeyWidget, ScopedManyToManyWidget)):
                field.widget.user = user

    def get_queryset(self):
        return scope_queryset(super().get_queryset(), self.user)

    def import_data(self, dataset, **kwargs):
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
