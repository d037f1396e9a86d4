"""Spreadsheet export of the member register."""

from __future__ import annotations

from import_export import fields

from membership.masking import can_reveal, mask_mobile, mask_resident_id
from membership.models import Member
from unionhub.resources import ScopedResource


class MemberResource(ScopedResource):
    """Members in the user's scope. ID and mobile numbers are masked unless the user may reveal them; an
    export with the full numbers is logged by the admin (one log row per export, with the count)."""

    union = fields.Field(attribute="union__name", column_name="union")

    class Meta:
        model = Member
        fields = [
            "card_number",
            "name",
            "resident_id",
            "gender",
            "birth_date",
            "mobile",
            "union",
            "employer",
            "occupation",
            "join_date",
            "status",
            "source",
        ]
        export_order = fields

    def get_queryset(self):
        return super().get_queryset().select_related("union")

    def dehydrate_resident_id(self, member: Member) -> str:
        return member.resident_id if can_reveal(self.user) else mask_resident_id(member.resident_id)

    def dehydrate_mobile(self, member: Member) -> str:
        return member.mobile if can_reveal(self.user) else mask_mobile(member.mobile)

    def dehydrate_gender(self, member: Member) -> str:
        return member.get_gender_display()

    def dehydrate_occupation(self, member: Member) -> str:
        return member.get_occupation_display()

    def dehydrate_status(self, member: Member) -> str:
        return member.get_status_display()

    def dehydrate_source(self, member: Member) -> str:
        return member.get_source_display()
