"""Spreadsheet export of the member register."""

from __future__ import annotations

from import_export import fields

from membership.models import Member
from unionhub.personal import MOBILE, RESIDENT_ID, can_reveal, mask
from unionhub.resources import ScopedResource


class MemberResource(ScopedResource):
    """Members in the user's scope. ID and mobile numbers are masked unless ``reveal`` (by default: whether
    the user may reveal them, ``unionhub.personal``); an export with the full numbers is logged by its caller
    (one log row per export, with the count). The resource is made per export, never shared."""

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

    def __init__(self, *, user=None, reveal: bool | None = None, **kwargs):
        super().__init__(user=user, **kwargs)
        self.reveal = can_reveal(user) if reveal is None else reveal and can_reveal(user)

    def get_queryset(self):
        return super().get_queryset().select_related("union")

    def dehydrate_resident_id(self, member: Member) -> str:
        return member.resident_id if self.reveal else mask(member.resident_id, RESIDENT_ID)

    def dehydrate_mobile(self, member: Member) -> str:
        return member.mobile if self.reveal else mask(member.mobile, MOBILE)

    def dehydrate_gender(self, member: Member) -> str:
        return member.get_gender_display()

    def dehydrate_occupation(self, member: Member) -> str:
        return member.get_occupation_display()

    def dehydrate_status(self, member: Member) -> str:
        return member.get_status_display()

    def dehydrate_source(self, member: Member) -> str:
        return member.get_source_display()
