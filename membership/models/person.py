"""The personal details that an application and a member share."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from membership.choices import Gender, Occupation
from unionhub.db.fields import CodePointCharField
from unionhub.personal import MOBILE, RESIDENT_ID, mask
from unionhub.validators import normalize_mobile, normalize_resident_id, resident_id_birth_date, resident_id_gender


class PersonalDetails(models.Model):
    """Name, resident ID number, mobile, employer and occupation. Gender and birth date are derived from the
    ID number (GB 11643), never typed, so they cannot disagree with it."""

    # Compared by code point on PostgreSQL: one index then sorts the register by name and finds a name by its
    # first characters (unionhub.db.fields).
    name = CodePointCharField(_("full name"), max_length=50)
    resident_id = models.CharField(_("resident ID number"), max_length=18, db_index=True)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, editable=False)
    birth_date = models.DateField(_("birth date"), editable=False)
    mobile = models.CharField(_("mobile number"), max_length=11)
    employer = models.CharField(_("employer or platform"), max_length=100, blank=True)
    occupation = models.CharField(_("occupation"), max_length=20, choices=Occupation.choices)

    class Meta:
        abstract = True

    def set_personal_details(self) -> None:
        """Normalise the ID and mobile numbers and derive gender and birth date; raise ValidationError by field.

        Safe to call twice. Called from ``clean()`` and by the services before ``full_clean()``, so that the
        unique check on the ID number sees the normalised value."""
        errors = {}
        self.name = (self.name or "").strip()
        try:
            self.resident_id = normalize_resident_id(self.resident_id)
        except ValidationError as exc:
            errors["resident_id"] = exc.messages
        else:
            self.gender = resident_id_gender(self.resident_id)
            self.birth_date = resident_id_birth_date(self.resident_id)
        if self.mobile or self._meta.get_field("mobile").blank is False:
            try:
                self.mobile = normalize_mobile(self.mobile)
            except ValidationError as exc:
                errors["mobile"] = exc.messages
        if errors:
            raise ValidationError(errors)

    def clean_fields(self, exclude=None):
        # Normalise before the field checks, or a full-width or spaced ID number fails max_length first. A
        # field that does not normalise is left to clean(), which reports it once, with the reason.
        exclude = set(exclude or ())
        try:
            self.set_personal_details()
        except ValidationError as exc:
            exclude |= set(exc.error_dict) | {"gender", "birth_date"}
        super().clean_fields(exclude=exclude)

    def clean(self) -> None:
        self.set_personal_details()

    @property
    def resident_id_masked(self) -> str:
        return mask(self.resident_id, RESIDENT_ID)

    @property
    def mobile_masked(self) -> str:
        return mask(self.mobile, MOBILE)
