"""Writes of employment: the only place for its rules."""

from employment.services.fairs import fair_validate
from employment.services.referrals import referral_make, referral_record
from employment.services.sheets import sheet_print
from employment.services.vacancies import (
    vacancy_check,
    vacancy_check_reasons_preview,
    vacancy_close,
    vacancy_post,
    vacancy_save,
    vacancy_validate,
)
from employment.services.wish_import import wishes_import
from employment.services.wishes import wish_file, wish_prepare, wish_renew, wish_validate, wish_withdraw

__all__ = [
    "fair_validate",
    "referral_make",
    "referral_record",
    "sheet_print",
    "vacancy_check",
    "vacancy_check_reasons_preview",
    "vacancy_close",
    "vacancy_post",
    "vacancy_save",
    "vacancy_validate",
    "wish_file",
    "wish_prepare",
    "wish_renew",
    "wish_validate",
    "wish_withdraw",
    "wishes_import",
]
