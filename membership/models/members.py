"""The member register: members, their transfers between unions, and the card-number counters."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.db.models.functions import Left
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from membership.choices import MemberSource, MemberStatus
from membership.models.person import PersonalDetails
from unionhub.db.indexes import tail_index, trigram_index
from unionhub.models.regions import Region, RegionLevel, UnionOrganization
from unionhub.scoping import scoped


@scoped(region="union__region__code", county="county", city=True)
class Member(PersonalDetails):
    """A union member (会员): one row per person, keyed by the resident ID number.

    The card number is ``<county code><year><6-digit sequence>`` (1405212026000001), assigned once by
    ``services.card_number_next`` from the county of the union the member first joined, gap-free per county
    and year, and kept for life: a transfer to another union - even in another county - keeps it. Members
    with no grassroots union yet belong to their county's holding-pool union (周转库) until assigned.
    ID and mobile numbers are shown masked; the full values need ``membership.reveal_personal_data`` and
    every reveal is logged (``PersonalDataReveal``)."""

    resident_id = models.CharField(_("resident ID number"), max_length=18, unique=True)
    mobile = models.CharField(_("mobile number"), max_length=11, blank=True)
    # No index of its own: member_union_status and member_union_join_order both begin with the union. No
    # single-column constraint either: on PostgreSQL the two-column key (union, county) below checks the union.
    union = models.ForeignKey(
        UnionOrganization,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("grassroots union"),
        db_index=False,
        db_constraint=False,
    )
    # The union's county (the first six digits of its region code), which scoping reads instead of joining the
    # union (unionhub.scoping, ``county``): the register's indexes begin with it where county staff read them.
    # Set from the union on save; a bulk write names it (the roster import copies its staging rows' county).
    # On PostgreSQL the database keeps it right: (union, county) is a foreign key to the union's (id, county)
    # (migration 0013), so a write that leaves it out or wrong fails, and a union's move to another county
    # carries over (ON UPDATE CASCADE).
    county = models.CharField(_("county code"), max_length=6, editable=False)
    join_date = models.DateField(_("join date"), default=timezone.localdate)
    card_number = models.CharField(_("card number"), max_length=20, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=MemberStatus.choices, default=MemberStatus.ACTIVE)
    source = models.CharField(
        _("source"), max_length=8, choices=MemberSource.choices, default=MemberSource.MANUAL, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The audit trail is read per member (by id), never looked up by ID, card number or union: without the
    # indexes those fields would give it (and their LIKE twins), a roster import writes its history rows in
    # about half the time. On the member table itself, the LIKE twins PostgreSQL gets for the unique ID and
    # card number are dropped (migration 0009): every search on them is an exact match (unionhub.search)
    # and each index costs every roster import its share of the writes.
    # Nor does it carry a database constraint on the user who made the change: a roster import writes a
    # hundred thousand history rows at once, and PostgreSQL checks a deferred foreign key row by row at
    # commit (about 0.4 s per 100,000). Deleting a user still clears the field (Django's on_delete).
    history = HistoricalRecords(
        no_db_index=["resident_id", "card_number", "union"], user_db_constraint=False, excluded_fields=["county"]
    )

    class Meta:
        verbose_name = _("union member")
        verbose_name_plural = _("union members")
        ordering = ["-join_date", "-card_number"]
        permissions = [("reveal_personal_data", _("Can see full resident ID and mobile numbers (logged)"))]
        # One index per way the register is read (see unionhub.admin.scale and .search): the default order,
        # each filtered or sortable column followed by the default order (which is also the tie-breaker, so one
        # index serves the filter and the sort in both directions) - except the name, whose index is the name
        # alone (below) -, the exact mobile search, and the name search (trigrams for ILIKE '%…%', the name's
        # own index for a short prefix). The trigram index is PostgreSQL's; SQLite matches names by scanning.
        indexes = [
            models.Index(fields=["union", "status"], name="member_union_status"),
            models.Index(fields=["join_date", "card_number"], name="member_join_order"),
            # County staff's default order and card-number sort, index-served whatever the county's share of
            # the register (a county's rows are not where a walk of the whole register's order finds them).
            models.Index(fields=["county", "join_date", "card_number"], name="member_county_join_order"),
            models.Index(fields=["county", "card_number"], name="member_county_card"),
            # The same two for city staff, by the county code's first four digits (unionhub.scoping, ``city``):
            # a city's rows in one run of each index, in order (a walk of the register's own order or card
            # numbers passes every other city's rows first).
            models.Index(Left("county", 4), F("join_date"), F("card_number"), name="member_city_join_order"),
            models.Index(Left("county", 4), F("card_number"), name="member_city_card"),
            models.Index(fields=["union", "join_date", "card_number"], name="member_union_join_order"),
            # The status and source filters: partial, for the values that are not the register's bulk. A
            # filter on active members or imported ones reads the default order's index (most rows match, so
            # a page is found at once), and a roster import - active members, source "import" - writes
            # neither index.
            models.Index(
                fields=["status", "join_date", "card_number"],
                name="member_status_not_active",
                condition=~models.Q(status=MemberStatus.ACTIVE),
            ),
            models.Index(
                fields=["source", "join_date", "card_number"],
                name="member_source_not_import",
                condition=~models.Q(source=MemberSource.IMPORT),
            ),
            models.Index(fields=["occupation", "join_date", "card_number"], name="member_occupation_order"),
            models.Index(fields=["mobile"], name="member_mobile"),
            # A caller's "尾号1813": the last four of the mobile and of the ID (unionhub.search, tail_index), after
            # the county, so that a county's roster writes one run of each index, not pages all over it.
            tail_index("mobile", name="member_mobile_tail", within="county"),
            tail_index("resident_id", name="member_resident_id_tail", within="county"),
            trigram_index("name", name="member_name_trgm"),
            # The name in code-point order (the column's collation on PostgreSQL: unionhub.db.fields): the
            # sort by name (its ties put in the default order as they are read) and a two-character name's
            # prefix, both from this one index.
            models.Index(fields=["name"], name="member_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.card_number})" if self.card_number else self.name

    def clean(self) -> None:
        super().clean()
        if self.union_id and len(self.union.region_id) < 6:
            raise ValidationError(
                {"union": _("Members belong to a union inside a county, not to a city or provincial federation.")}
            )

    def set_county(self) -> None:
        self.county = self.union.region_id[:6] if self.union_id else ""

    def save(self, *args, **kwargs) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "union" in update_fields:  # not for a save of other fields only
            self.set_county()
            if update_fields is not None and "county" not in update_fields:
                kwargs["update_fields"] = [*update_fields, "county"]
        super().save(*args, **kwargs)

    @property
    def in_holding_pool(self) -> bool:
        return bool(self.union_id) and self.union.is_holding_pool


@scoped(region="member__union__region__code")
class MemberTransfer(models.Model):
    """One transfer (转会) of a member from one union to another. The member keeps the card number and the
    join date; the member's own history records the change of union as well."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="transfers", verbose_name=_("member"))
    from_union = models.ForeignKey(
        UnionOrganization, on_delete=models.PROTECT, related_name="+", verbose_name=_("from union")
    )
    to_union = models.ForeignKey(
        UnionOrganization, on_delete=models.PROTECT, related_name="+", verbose_name=_("to union")
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("by")
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["member", "-recorded_at"]

    def __str__(self) -> str:
        return f"{self.from_union} → {self.to_union}"

    def clean(self) -> None:
        if self.from_union_id and self.from_union_id == self.to_union_id:
            raise ValidationError({"to_union": _("The member is already in this union.")})


@scoped(region="county__code")
class CardCounter(models.Model):
    """The last card sequence number issued in one county and year.

    ``services.card_number_next`` increments it with ``UPDATE … SET last = last + 1``, which row-locks it until
    the approving transaction ends: concurrent approvals in one county queue on this row, and a rolled-back
    approval rolls its number back too, so numbers are unique and have no gaps."""

    county = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("county"),
        limit_choices_to={"level": RegionLevel.COUNTY},
    )
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number issued"), default=0)

    class Meta:
        verbose_name = _("card number counter")
        verbose_name_plural = _("card number counters")
        constraints = [models.UniqueConstraint(fields=["county", "year"], name="cardcounter_one_per_county_year")]

    def __str__(self) -> str:
        return f"{self.county_id}/{self.year}: {self.last}"
