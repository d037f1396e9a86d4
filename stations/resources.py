"""Station import/export: natural keys (region code, host union credit code or name), Chinese labels for
choices, all-or-nothing."""

from django.utils.translation import gettext_lazy as _
from import_export import fields, widgets

from stations.choices import OperatingModel, StationKind
from stations.models import Facility, Station
from stations.services.registry import station_next_code, station_refresh
from unionhub.models.regions import Region, UnionOrganization
from unionhub.resources import ChoiceLabelWidget, ScopedForeignKeyWidget, ScopedResource


class HostWidget(ScopedForeignKeyWidget):
    """The host union by unified social credit code or by name."""

    def get_lookup_kwargs(self, value, row, **kwargs):
        text = str(value).strip()
        return (
            {"credit_code": text.upper()}
            if len(text) == 18 and text[:2].isalnum() and text.isascii()
            else {"name": text}
        )


class StationResource(ScopedResource):
    column_labels = {"region": _("town code")}
    code = fields.Field(attribute="code", column_name="code")
    kind = fields.Field(attribute="kind", column_name="kind", widget=ChoiceLabelWidget(StationKind))
    region = fields.Field(attribute="region", column_name="region_code", widget=ScopedForeignKeyWidget(Region, "code"))
    host = fields.Field(attribute="host", column_name="host", widget=HostWidget(UnionOrganization, "name"))
    operating_model = fields.Field(
        attribute="operating_model", column_name="operating_model", widget=ChoiceLabelWidget(OperatingModel)
    )
    facilities = fields.Field(
        attribute="facilities",
        column_name="facilities",
        widget=widgets.ManyToManyWidget(Facility, separator="、", field="name"),
    )
    status = fields.Field(attribute="get_status_display", column_name="status", readonly=True)

    class Meta:
        model = Station
        import_id_fields = ["code"]
        fields = [
            "code",
            "name",
            "kind",
            "region",
            "host",
            "address",
            "latitude",
            "longitude",
            "area_m2",
            "open_24h",
            "operating_model",
            "phone",
            "facilities",
            "status",
            "plaque_number",
            "plaque_date",
        ]
        export_order = fields
        clean_model_instances = True
        use_transactions = True
        skip_unchanged = True
        report_skipped = False

    def before_import(self, dataset, **kwargs):
        self._assigned: dict[str, int] = {}

    def before_import_row(self, row, **kwargs):
        """Rows without a code get the next free one for their town and kind, distinct within the file."""
        if str(row.get("code") or "").strip() or not row.get("region_code") or not row.get("kind"):
            return
        try:
            kind = ChoiceLabelWidget(StationKind).clean(row["kind"])
        except ValueError:
            return  # the kind column reports the error
        code = station_next_code(region_code=str(row["region_code"]).strip(), kind=kind)
        prefix, number = code.rsplit("-", 1)
        number = max(int(number), self._assigned.get(prefix, 0) + 1)
        self._assigned[prefix] = number
        row["code"] = f"{prefix}-{number:03d}"

    def after_import_row(self, row, row_result, **kwargs):
        if row_result.object_id:
            station_refresh(station=Station.objects.get(pk=row_result.object_id))
